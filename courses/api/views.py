from drf_spectacular.utils import extend_schema, extend_schema_view

from jeonju_center.api.views import PartnerReadOnlyViewSet

from ..filters import CourseFilterSet
from ..selectors import courses_changed_since, public_courses
from .serializers import CourseSerializer


@extend_schema_view(
    list=extend_schema(summary="시민강좌 목록 (회차·남은 자리 포함)", tags=["courses"]),
    retrieve=extend_schema(summary="시민강좌", tags=["courses"]),
)
class CourseViewSet(PartnerReadOnlyViewSet):
    """Published citizen courses with their sessions, seats left and waiting-list length. Public:
    the catalogue needs no key (a key with ``courses:read`` works too). No enrolment data."""

    serializer_class = CourseSerializer
    filterset_class = CourseFilterSet
    public_read = True
    read_scope = "courses:read"
    ordering_fields = ["first_session_date", "title", "updated_at", "enrollment_opens_at"]
    ordering = ["-enrollment_opens_at", "id"]

    def get_queryset(self):
        return public_courses()

    def filter_updated_since(self, queryset, moment):
        # A course's record includes its sessions and seats left: their changes count as the course's.
        return courses_changed_since(queryset, moment)
