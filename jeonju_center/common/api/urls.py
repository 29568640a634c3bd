from .views import DistrictViewSet

ROUTES = [("districts", DistrictViewSet, "district")]
