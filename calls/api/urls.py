from .views import CallViewSet

ROUTES = [("calls", CallViewSet, "call")]
