from .views import (
    ActivationAreaViewSet,
    CouncilMeetingViewSet,
    HousingProgramViewSet,
    ResidentCouncilViewSet,
    VacantHouseViewSet,
)

ROUTES = [
    ("areas", ActivationAreaViewSet, "area"),
    ("vacant-houses", VacantHouseViewSet, "vacant-house"),
    ("housing-programs", HousingProgramViewSet, "housing-program"),
    ("councils", ResidentCouncilViewSet, "council"),
    ("council-meetings", CouncilMeetingViewSet, "council-meeting"),
]
