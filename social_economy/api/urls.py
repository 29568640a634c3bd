from .views import (
    ConsultingCaseViewSet,
    NetworkViewSet,
    OrganizationViewSet,
    ProductViewSet,
    StoreViewSet,
    SurveyCampaignViewSet,
)

ROUTES = [
    ("organizations", OrganizationViewSet, "organization"),
    ("products", ProductViewSet, "product"),
    ("survey-campaigns", SurveyCampaignViewSet, "survey-campaign"),
    ("stores", StoreViewSet, "store"),
    ("consulting-cases", ConsultingCaseViewSet, "consulting-case"),
    ("networks", NetworkViewSet, "network"),
]
