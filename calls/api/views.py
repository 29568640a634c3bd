from drf_spectacular.utils import extend_schema, extend_schema_view

from jeonju_center.api.views import PartnerReadOnlyViewSet

from ..filters import CallFilterSet
from ..selectors import public_calls
from .serializers import CallSerializer


@extend_schema_view(
    list=extend_schema(summary="모집·공모 목록 (모집 인원·신청 수·공개추첨 포함)", tags=["calls"]),
    retrieve=extend_schema(summary="모집·공모", tags=["calls"]),
)
class CallViewSet(PartnerReadOnlyViewSet):
    """Published calls with their period, eligibility rules, places, how many applied and the published draw.
    Public: no key needed (a key with ``calls:read`` works too). No applicant data."""

    serializer_class = CallSerializer
    filterset_class = CallFilterSet
    public_read = True
    read_scope = "calls:read"
    ordering_fields = ["opens_at", "closes_at", "updated_at"]
    ordering = ["-opens_at", "id"]

    def get_queryset(self):
        return public_calls().select_related("draw").prefetch_related("dongs", "rooms__house", "documents")
