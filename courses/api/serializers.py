"""Output of the ``courses`` resource: the public catalogue. No enrolment or enrollee data, ever."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jeonju_center.api.serializers import ChoiceLabelField, FastModelSerializer

from ..models import Course, CourseSession


class CourseSessionSerializer(FastModelSerializer):
    """One meeting (회차) of a course."""

    class Meta:
        model = CourseSession
        fields = ["id", "date", "start_time", "end_time", "room", "topic"]


class CourseSerializer(FastModelSerializer):
    """A published citizen course (시민강좌) with its sessions and the seats left."""

    track_name = serializers.CharField(source="track.name", read_only=True)
    track_slug = serializers.CharField(source="track.slug", read_only=True)
    audience_label = ChoiceLabelField("audience")
    audience_dongs = serializers.SerializerMethodField(
        help_text="수강 대상 행정동 id (지정 행정동 주민 대상일 때)"
    )
    audience_dong_names = serializers.SerializerMethodField(help_text="수강 대상 행정동 이름")
    status_label = ChoiceLabelField("status")
    seats_left = serializers.IntegerField(
        read_only=True, help_text="남은 자리: 정원 − 확정 인원 (0 미만 없음)"
    )
    waitlist_length = serializers.IntegerField(read_only=True, help_text="대기 인원")
    is_enrollment_open = serializers.BooleanField(
        read_only=True, help_text="지금 신청 기간이고 폐강되지 않았는지 (open=true 필터와 같은 기준)"
    )
    first_session_date = serializers.DateField(read_only=True, allow_null=True, help_text="첫 회차 날짜")
    last_session_date = serializers.DateField(read_only=True, allow_null=True, help_text="마지막 회차 날짜")
    session_count = serializers.SerializerMethodField(help_text="회차 수")
    sessions = CourseSessionSerializer(many=True, read_only=True)

    class Meta:
        model = Course
        fields = [
            "id",
            "slug",
            "title",
            "track",
            "track_name",
            "track_slug",
            "summary",
            "description",
            "instructor_name",
            "instructor_bio",
            "place",
            "audience",
            "audience_label",
            "audience_dongs",
            "audience_dong_names",
            "capacity",
            "seats_left",
            "waitlist_length",
            "waitlist_limit",
            "enrollment_opens_at",
            "enrollment_closes_at",
            "is_enrollment_open",
            "cancellation_deadline",
            "fee",
            "completion_percent",
            "status",
            "status_label",
            "image",
            "image_alt",
            "first_session_date",
            "last_session_date",
            "session_count",
            "sessions",
            "created_at",
            "updated_at",
        ]
        extra_kwargs = {
            "completion_percent": {"help_text": "수료 기준: 전체 회차 중 이 비율(%) 이상 출석"},
            "cancellation_deadline": {"help_text": "취소 마감 (null이면 신청 마감까지)"},
        }

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_audience_dongs(self, course):
        return [dong.pk for dong in course.audience_dongs.all()]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_audience_dong_names(self, course):
        return [dong.name for dong in course.audience_dongs.all()]

    @extend_schema_field(OpenApiTypes.INT)
    def get_session_count(self, course):
        return len(course.sessions.all())
