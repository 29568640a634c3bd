from .views import CommunityViewSet, SupportProgramViewSet

ROUTES = [
    ("communities", CommunityViewSet, "community"),
    ("support-programs", SupportProgramViewSet, "support-program"),
]
