from drf_spectacular.utils import extend_schema, extend_schema_view

from jeonju_center.api.views import PartnerReadOnlyViewSet

from .. import selectors
from ..filters import (
    ActivationAreaFilterSet,
    CouncilMeetingFilterSet,
    HousingProgramFilterSet,
    ResidentCouncilFilterSet,
    VacantHouseFilterSet,
)
from .serializers import (
    ActivationAreaSerializer,
    CouncilMeetingSerializer,
    HousingProgramSerializer,
    ResidentCouncilSerializer,
    VacantHouseSerializer,
)

READ_SCOPE = "regeneration:read"


@extend_schema_view(
    list=extend_schema(summary="도시재생활성화지역 목록", tags=["areas"]),
    retrieve=extend_schema(summary="도시재생활성화지역", tags=["areas"]),
)
class ActivationAreaViewSet(PartnerReadOnlyViewSet):
    """Designated urban-regeneration areas with their dongs and resident council."""

    serializer_class = ActivationAreaSerializer
    filterset_class = ActivationAreaFilterSet
    read_scope = READ_SCOPE
    ordering_fields = ["name", "designated_on", "updated_at"]
    ordering = ["-designated_on", "name", "id"]

    def get_queryset(self):
        return selectors.area_list()


@extend_schema_view(
    list=extend_schema(summary="빈집 목록 (통계용 공개 대장)", tags=["vacant-houses"]),
    retrieve=extend_schema(summary="빈집", tags=["vacant-houses"]),
)
class VacantHouseViewSet(PartnerReadOnlyViewSet):
    """Every surveyed vacant house, public fields only: no address or owner data, and coordinates
    rounded to about 100 m."""

    serializer_class = VacantHouseSerializer
    filterset_class = VacantHouseFilterSet
    read_scope = READ_SCOPE
    ordering_fields = ["management_number", "vacant_since", "updated_at"]
    ordering = ["management_number", "id"]

    def get_queryset(self):
        return selectors.vacant_house_list()


@extend_schema_view(
    list=extend_schema(summary="빈집 활용 사업 목록", tags=["housing-programs"]),
    retrieve=extend_schema(summary="빈집 활용 사업", tags=["housing-programs"]),
)
class HousingProgramViewSet(PartnerReadOnlyViewSet):
    """Vacant-house reuse programs with their occupancy (counts only, no tenant data)."""

    serializer_class = HousingProgramSerializer
    filterset_class = HousingProgramFilterSet
    read_scope = READ_SCOPE
    ordering_fields = ["year", "name", "budget", "updated_at"]
    ordering = ["-year", "name", "id"]

    def get_queryset(self):
        return selectors.housing_program_list()


@extend_schema_view(
    list=extend_schema(summary="주민협의체 목록", tags=["councils"]),
    retrieve=extend_schema(summary="주민협의체", tags=["councils"]),
)
class ResidentCouncilViewSet(PartnerReadOnlyViewSet):
    """Resident councils with their current member counts (no member names)."""

    serializer_class = ResidentCouncilSerializer
    filterset_class = ResidentCouncilFilterSet
    read_scope = READ_SCOPE
    ordering_fields = ["name", "founded_on", "current_member_count", "updated_at"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return selectors.council_list()


@extend_schema_view(
    list=extend_schema(summary="주민협의체 회의 목록 (공개 회의록)", tags=["council-meetings"]),
    retrieve=extend_schema(summary="주민협의체 회의 (공개 회의록)", tags=["council-meetings"]),
)
class CouncilMeetingViewSet(PartnerReadOnlyViewSet):
    """Council meetings whose minutes are published; per-member attendance is not part of the API."""

    serializer_class = CouncilMeetingSerializer
    filterset_class = CouncilMeetingFilterSet
    read_scope = READ_SCOPE
    ordering_fields = ["held_at", "published_at", "updated_at"]
    ordering = ["-held_at", "id"]

    def get_queryset(self):
        return selectors.published_meeting_list()
