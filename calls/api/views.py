import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view

from jeonju_center.api.views import PartnerReadOnlyViewSet

from ..models import CallProgram
from ..selectors import public_calls
from .serializers import CallSerializer

PHASES = [("open", _("접수 중")), ("upcoming", _("접수 예정")), ("closed", _("마감"))]


class CallFilterSet(django_filters.FilterSet):
    program = django_filters.ChoiceFilter(label=_("사업"), choices=CallProgram.choices)
    phase = django_filters.ChoiceFilter(label=_("접수 상태"), choices=PHASES, method="filter_phase")

    def filter_phase(self, queryset, name, value):
        now = timezone.now()
        if value == "open":
            return queryset.filter(opens_at__lte=now, closes_at__gt=now)
        if value == "upcoming":
            return queryset.filter(opens_at__gt=now)
        return queryset.filter(closes_at__lte=now)


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
