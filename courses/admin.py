from django import forms
from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.masking import mask_name

from .models import Attendance, Course, CourseAudience, CourseSession, Enrollment, EnrollmentStatus, Track


def _masked_user(user):
    if user is None:
        return _("(익명)")
    return mask_name(user.name or user.username)


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "display_order", "course_count"]
    list_editable = ["display_order"]
    search_fields = ["name", "slug"]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(course_count=Count("courses"))

    @admin.display(description=_("강좌 수"), ordering="course_count")
    def course_count(self, obj):
        return obj.course_count


class CourseSessionInline(admin.TabularInline):
    model = CourseSession
    fields = ["date", "start_time", "end_time", "room", "topic"]
    extra = 0


class CourseAdminForm(forms.ModelForm):
    """The dongs of a restricted course are many-to-many, so no table constraint can require them."""

    class Meta:
        model = Course
        fields = [
            "title", "slug", "track", "status", "is_published", "summary", "description",
            "instructor_name", "instructor_bio", "place",
            "audience", "audience_dongs", "capacity", "waitlist_limit",
            "enrollment_opens_at", "enrollment_closes_at", "cancellation_deadline", "fee",
            "completion_percent", "image", "image_alt",
        ]  # fmt: skip

    def clean(self):
        cleaned_data = super().clean()
        audience, dongs = cleaned_data.get("audience"), cleaned_data.get("audience_dongs")
        if audience == CourseAudience.DONG_RESIDENTS and dongs is not None and not dongs.exists():
            self.add_error(
                "audience_dongs", _("지정 행정동 주민 대상 강좌는 대상 행정동을 하나 이상 고르세요.")
            )
        if audience == CourseAudience.EVERYONE and dongs is not None and dongs.exists():
            self.add_error("audience_dongs", _("모든 시민 대상 강좌에는 대상 행정동을 고르지 마세요."))
        return cleaned_data


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    form = CourseAdminForm
    list_display = [
        "title",
        "track",
        "status",
        "audience",
        "capacity",
        "seats_taken",
        "waiting_count",
        "enrollment_opens_at",
        "enrollment_closes_at",
        "fee",
        "is_published",
    ]
    list_filter = ["status", "track", "audience", "is_published"]
    list_select_related = ["track"]
    search_fields = ["title", "slug", "instructor_name", "place"]
    autocomplete_fields = ["audience_dongs"]
    date_hierarchy = "enrollment_opens_at"
    inlines = [CourseSessionInline]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "track", "status", "is_published", "summary", "description"]}),
        (_("강사·장소"), {"fields": ["instructor_name", "instructor_bio", "place"]}),
        (_("모집"), {
            "fields": [
                "audience", "audience_dongs", "capacity", "waitlist_limit",
                "enrollment_opens_at", "enrollment_closes_at", "cancellation_deadline", "fee",
            ]
        }),
        (_("수료·이미지"), {"fields": ["completion_percent", "image", "image_alt"]}),
        (_("기록"), {"fields": ["created_at", "updated_at"]}),
    ]  # fmt: skip

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                seats_taken=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.CONFIRMED)),
                waiting_count=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.WAITING)),
            )
        )

    @admin.display(description=_("확정 인원"), ordering="seats_taken")
    def seats_taken(self, obj):
        return obj.seats_taken

    @admin.display(description=_("대기 인원"), ordering="waiting_count")
    def waiting_count(self, obj):
        return obj.waiting_count


class AttendanceInline(admin.TabularInline):
    model = Attendance
    fields = ["enrollment", "is_present", "checked_by", "checked_at"]
    autocomplete_fields = ["enrollment", "checked_by"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enrollment__course", "enrollment__user")


@admin.register(CourseSession)
class CourseSessionAdmin(admin.ModelAdmin):
    list_display = ["course", "date", "start_time", "end_time", "room", "topic", "present_count"]
    list_filter = ["course__track", "course__status"]
    list_select_related = ["course"]
    search_fields = ["course__title", "topic", "room"]
    autocomplete_fields = ["course"]
    date_hierarchy = "date"
    inlines = [AttendanceInline]
    readonly_fields = ["created_at", "updated_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(present_count=Count("attendances", filter=Q(attendances__is_present=True)))
        )

    @admin.display(description=_("출석 인원"), ordering="present_count")
    def present_count(self, obj):
        return obj.present_count


class EnrollmentAttendanceInline(admin.TabularInline):
    model = Attendance
    fk_name = "enrollment"
    fields = ["session", "is_present", "checked_by", "checked_at"]
    autocomplete_fields = ["session", "checked_by"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("session__course")


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "course",
        "enrollee",
        "status",
        "requested_at",
        "confirmed_at",
        "promoted_at",
        "cancelled_at",
        "is_completed",
        "certificate_number",
    ]
    list_display_links = ["id", "course"]
    list_filter = ["status", "course__track", "course", "is_completed", "is_anonymized", "cancel_reason"]
    list_select_related = ["course", "user"]
    search_fields = ["course__title", "user__username", "user__name", "certificate_number"]
    autocomplete_fields = ["course", "user", "applicant_dong"]
    date_hierarchy = "requested_at"
    inlines = [EnrollmentAttendanceInline]
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["course", "user", "applicant_dong", "status", "requested_at"]}),
        (_("확정·대기"), {"fields": ["confirmed_at", "promoted_at", "reminder_sent_at"]}),
        (_("취소"), {"fields": ["cancelled_at", "cancel_reason", "cancel_note"]}),
        (_("수료"), {"fields": ["is_completed", "completed_at", "certificate_number"]}),
        (_("개인정보"), {"fields": ["consent_version", "consented_at", "is_anonymized", "anonymized_at"]}),
        (_("기록"), {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description=_("수강생"), ordering="user__name")
    def enrollee(self, obj):
        return _masked_user(obj.user)


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["session", "enrollee", "is_present", "checked_by_display", "checked_at"]
    list_filter = ["is_present", "session__course__track"]
    list_select_related = ["session__course", "enrollment__user", "checked_by"]
    search_fields = ["session__course__title", "enrollment__user__name", "enrollment__user__username"]
    autocomplete_fields = ["session", "enrollment", "checked_by"]
    date_hierarchy = "session__date"
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("수강생"), ordering="enrollment__user__name")
    def enrollee(self, obj):
        return _masked_user(obj.enrollment.user)

    @admin.display(description=_("확인한 직원"), ordering="checked_by__username")
    def checked_by_display(self, obj):
        return obj.checked_by.username if obj.checked_by else "-"
