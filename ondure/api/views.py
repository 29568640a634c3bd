from drf_spectacular.utils import extend_schema, extend_schema_view

from jeonju_center.api.views import PartnerReadOnlyViewSet

from .. import selectors
from ..filters import CommunityFilterSet, SupportProgramFilterSet
from .serializers import CommunityCSVSerializer, CommunitySerializer, SupportProgramSerializer


@extend_schema_view(
    list=extend_schema(summary="온두레 공동체 목록", tags=["communities"]),
    retrieve=extend_schema(summary="온두레 공동체", tags=["communities"]),
)
class CommunityViewSet(PartnerReadOnlyViewSet):
    """Ondure communities that are published (``is_public``), with their stage history and grant totals.
    No leader or member names or phones."""

    serializer_class = CommunitySerializer
    filterset_class = CommunityFilterSet
    read_scope = "ondure:read"
    ordering_fields = ["name", "cohort_year", "updated_at"]
    ordering = ["-cohort_year", "name", "id"]

    def get_queryset(self):
        return selectors.community_list()

    def get_serializer_class(self):
        renderer = getattr(getattr(self, "request", None), "accepted_renderer", None)
        if getattr(renderer, "format", None) == "csv":
            return CommunityCSVSerializer
        return super().get_serializer_class()


@extend_schema_view(
    list=extend_schema(summary="온두레 지원 사업 목록", tags=["support-programs"]),
    retrieve=extend_schema(summary="온두레 지원 사업", tags=["support-programs"]),
)
class SupportProgramViewSet(PartnerReadOnlyViewSet):
    """Yearly support programs of the Ondure communities with their budget, number of supports, grant
    totals and remaining budget."""

    serializer_class = SupportProgramSerializer
    filterset_class = SupportProgramFilterSet
    read_scope = "ondure:read"
    ordering_fields = ["year", "name", "budget"]
    ordering = ["-year", "name", "id"]

    def get_queryset(self):
        return selectors.support_program_list()
