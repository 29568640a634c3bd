"""The staff back office of citizen courses.

Besides the model pages, a course has a roster (``roster_admin.py``: enrol on behalf, cancel or move an
enrolment, capacity, cancelling the course, attendance, completion, satisfaction results and exports). Every
write goes through ``courses.services`` / ``courses.completion``, the same functions the public pages use,
so rules (capacity, waiting-list order, e-mails) cannot drift apart.

Personal data: the enrollee's name and phone live on their account, so the shared masking mixin (which
masks a model's own ``PERSONAL_DATA_FIELDS``) is extended here: every page and export shows them masked
unless the viewer holds the 개인정보 열람 permission, and each unmasked view, search on people and export
writes one access-log row. Excel exports are unmasked only with the permission and a reason.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Count, Exists, Min, OuterRef, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.admin_mixins import PortalModelAdmin, ReadOnlyAdminMixin, ServiceAdminMixin
from jeonju_center.common.models import PersonalDataAccess
from jeonju_center.common.personal_data import (
    can_view_personal_data,
    personal_fields_of,
)

from . import exports, services
from .completion import completion_evaluate
from .models import (
    Attendance,
    CancelReason,
    Course,
    CourseAudience,
    CourseFeedback,
    CourseSession,
    CourseStatus,
    Enrollment,
    EnrollmentStatus,
    Track,
)
from .roster_admin import CourseRosterAdminMixin, error_text

Action = PersonalDataAccess.Action


class EnrolleeColumnsMixin:
    """Columns that show the enrollee's name or phone (fields of their account, not of this model).

    The queryset carries whether the viewer may see personal data, so that a column (which only gets the
    row) can mask by permission; an unmasked list page writes one access-log row, like the shared mixin
    does for the model's own personal fields.
    """

    #: list column → what it reveals, in the access log's words
    enrollee_columns = {}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                viewer_sees_personal_data=Value(
                    can_view_personal_data(request.user), output_field=BooleanField()
                )
            )
        )

    def changelist_access(self, request, changelist):
        shown = [
            self.enrollee_columns[name] for name in changelist.list_display if name in self.enrollee_columns
        ]
        searched = changelist.query and self.personal_search_fields(request)
        if searched or not shown or not can_view_personal_data(request.user):
            return super().changelist_access(request, changelist)
        object_ids = [obj.pk for obj in changelist.result_list]
        if not object_ids:
            return None
        own = [name for name in changelist.list_display if name in personal_fields_of(self.model)]
        return {"action": Action.VIEW, "object_ids": object_ids, "fields": [*shown, *own]}


def _enrollee(enrollment, field_name, row):
    return exports.enrollee_value(
        enrollment, field_name, unmasked=getattr(row, "viewer_sees_personal_data", False)
    )


@admin.register(Track)
class TrackAdmin(PortalModelAdmin):
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


class CourseStartFilter(admin.SimpleListFilter):
    """Courses (not cancelled) whose first session falls in the week starting on the given Monday; the
    dashboard links here with an explicit date so the list shows exactly what it counted."""

    title = _("첫 회차 주간")
    parameter_name = "starts_week"

    def lookups(self, request, model_admin):
        monday = _monday(timezone.localdate())
        return [
            (monday.isoformat(), _("이번 주 시작")),
            ((monday + datetime.timedelta(days=7)).isoformat(), _("다음 주 시작")),
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            monday = _monday(datetime.date.fromisoformat(self.value()))
        except ValueError:
            raise IncorrectLookupParameters(_("날짜 형식이 올바르지 않습니다.")) from None
        return courses_starting_between(queryset, monday, monday + datetime.timedelta(days=6))


def _monday(day):
    return day - datetime.timedelta(days=day.weekday())


def courses_starting_between(queryset, first_day, last_day):
    starts = (
        CourseSession.objects.values("course")
        .annotate(first_date=Min("date"))
        .filter(first_date__range=(first_day, last_day))
        .values("course")
    )
    return queryset.filter(pk__in=starts).exclude(status=CourseStatus.CANCELLED)


class AttendanceToRecordFilter(admin.SimpleListFilter):
    """Sessions of courses still running or finished (not cancelled) that have confirmed enrollees but no
    attendance recorded yet; combined with ``date__lt`` it lists the sessions held and not recorded."""

    title = _("출석 기록")
    parameter_name = "attendance"

    def lookups(self, request, model_admin):
        return [("missing", _("미기록 (확정 수강생 있음)")), ("recorded", _("기록함"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return sessions_without_attendance(queryset)
        if self.value() == "recorded":
            return queryset.filter(Exists(Attendance.objects.filter(session=OuterRef("pk"))))
        return queryset


def sessions_without_attendance(queryset):
    return (
        queryset.exclude(course__status=CourseStatus.CANCELLED)
        .filter(
            Exists(Enrollment.objects.filter(course=OuterRef("course"), status=EnrollmentStatus.CONFIRMED))
        )
        .exclude(Exists(Attendance.objects.filter(session=OuterRef("pk"))))
    )


# --- back-office forms ------------------------------------------------------------------------------


@admin.register(Course)
class CourseAdmin(CourseRosterAdminMixin, ServiceAdminMixin, PortalModelAdmin):
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
        "roster_link",
    ]
    list_filter = ["status", "track", "audience", "is_published", CourseStartFilter]
    list_select_related = ["track"]
    search_fields = ["title", "slug", "instructor_name", "place"]
    autocomplete_fields = ["audience_dongs"]
    date_hierarchy = "enrollment_opens_at"
    inlines = [CourseSessionInline]
    readonly_fields = ["created_at", "updated_at"]
    actions = ["evaluate_completion"]
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

    def save_through_service(self, request, obj, form, change):
        services.course_save(course=obj, actor=request.user)

    def get_readonly_fields(self, request, obj=None):
        # A new capacity must promote people waiting: existing courses change it from the roster.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "capacity"] if obj is not None else readonly

    @admin.display(description=_("확정 인원"), ordering="seats_taken")
    def seats_taken(self, obj):
        return obj.seats_taken

    @admin.display(description=_("대기 인원"), ordering="waiting_count")
    def waiting_count(self, obj):
        return obj.waiting_count

    @admin.display(description=_("수강생 명단"))
    def roster_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:courses_course_roster", args=[obj.pk]), _("명단")
        )

    @admin.action(description=_("선택한 강좌의 수료 판정"), permissions=["change"])
    def evaluate_completion(self, request, queryset):
        for course in queryset.order_by("pk"):
            self._evaluate(request, course)

    def _evaluate(self, request, course):
        try:
            result = completion_evaluate(course=course, actor=request.user)
        except ValidationError as error:
            self.message_user(request, f"{course.title}: {error_text(error)}", messages.ERROR)
            return
        self.message_user(
            request,
            gettext(
                "%(title)s: 수료 기준 %(required)d/%(total)d회 — 새로 발급 %(issued)d명, 유지 %(kept)d명, "
                "발급 취소 %(withdrawn)d명, 미수료 %(not_completed)d명"
            )
            % {
                "title": course.title,
                "required": result.required_sessions,
                "total": result.total_sessions,
                "issued": len(result.issued),
                "kept": result.kept,
                "withdrawn": len(result.withdrawn),
                "not_completed": result.not_completed,
            },
            messages.SUCCESS,
        )


class AttendanceInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Attendance is recorded per session on the roster's attendance page (``attendance_record``: only
    confirmed enrollees, not for sessions still to come)."""

    model = Attendance
    fields = ["enrollment", "is_present", "checked_by", "checked_at"]
    autocomplete_fields = ["enrollment", "checked_by"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("enrollment__course", "enrollment__user")


@admin.register(CourseSession)
class CourseSessionAdmin(PortalModelAdmin):
    list_display = ["course", "date", "start_time", "end_time", "room", "topic", "present_count"]
    list_filter = ["course__track", "course__status", AttendanceToRecordFilter]
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


class EnrollmentAttendanceInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = Attendance
    fk_name = "enrollment"
    fields = ["session", "is_present", "checked_by", "checked_at"]
    autocomplete_fields = ["session", "checked_by"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("session__course")


class EnrollmentAddForm(forms.ModelForm):
    """Staff enrol a citizen: the service decides seat or waiting list and sends the e-mails."""

    consent = forms.BooleanField(
        label=_("신청자에게서 개인정보 수집·이용 동의를 받았습니다."),
        error_messages={"required": _("개인정보 수집·이용 동의를 받은 뒤에 대리 신청할 수 있습니다.")},
    )

    class Meta:
        model = Enrollment
        fields = ["course", "user"]

    def clean(self):
        cleaned_data = super().clean()
        course, user = cleaned_data.get("course"), cleaned_data.get("user")
        if (
            course
            and user
            and Enrollment.objects.filter(
                course=course, user=user, status__in=Enrollment.ACTIVE_STATUSES
            ).exists()
        ):
            raise forms.ValidationError(_("이미 이 강좌에 신청(확정 또는 대기)되어 있습니다."))
        if user is None and "user" not in self.errors:
            self.add_error("user", _("신청할 회원을 고르세요."))
        return cleaned_data


class RecentCourseListFilter(admin.SimpleListFilter):
    """By course, offering the courses opened most recently: a link for every course ever held would make a
    sidebar of thousands. Any course can still be chosen by its id (the roster's and dashboard's links)."""

    title = _("강좌")
    parameter_name = "course__id__exact"
    OFFERED = 30

    def lookups(self, request, model_admin):
        recent = Course.objects.order_by("-enrollment_opens_at", "-id").values_list("pk", "title")
        offered = list(recent[: self.OFFERED])
        chosen = self.value()
        if chosen and chosen.isdigit() and int(chosen) not in {pk for pk, _title in offered}:
            offered += list(Course.objects.filter(pk=int(chosen)).values_list("pk", "title"))
        return [(str(pk), title) for pk, title in offered]

    def queryset(self, request, queryset):
        chosen = self.value()
        if not chosen:
            return queryset
        if not chosen.isdigit():
            raise IncorrectLookupParameters(_("강좌 번호가 올바르지 않습니다."))
        return queryset.filter(course_id=int(chosen))


ENROLLMENT_FIELDSETS = [
    (
        None,
        {
            "fields": [
                "course",
                "enrollee",
                "enrollee_phone",
                "applicant_dong",
                "status",
                "requested_at",
                "waiting_note",
            ]
        },
    ),
    (_("확정·대기"), {"fields": ["confirmed_at", "promoted_at", "reminder_sent_at"]}),
    (_("취소"), {"fields": ["cancelled_at", "cancel_reason", "cancel_note"]}),
    (_("수료"), {"fields": ["is_completed", "completed_at", "certificate_number", "certificate_code"]}),
    (_("개인정보"), {"fields": ["consent_version", "consented_at", "anonymised_at"]}),
    (_("기록"), {"fields": ["created_at", "updated_at"]}),
]


@admin.register(Enrollment)
class EnrollmentAdmin(EnrolleeColumnsMixin, ServiceAdminMixin, PortalModelAdmin):
    """Enrolments change only through the services (enrol, cancel, move, completion): the change page
    is read-only and points to the course's roster, where those operations are."""

    enrollee_columns = {"enrollee": "user.name"}
    fieldsets = ENROLLMENT_FIELDSETS

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
    list_filter = [
        "status",
        "course__track",
        RecentCourseListFilter,
        "requested_at",
        "is_completed",
        ("anonymised_at", admin.EmptyFieldListFilter),
        "cancel_reason",
    ]
    # Dashboard links filter on ``requested_at__date`` (a lookup on the model's own field).
    list_select_related = ["course", "user"]
    search_fields = ["course__title", "user__username", "user__name", "certificate_number"]
    autocomplete_fields = ["course", "user"]
    # Newest first, read from the (requested_at, id) index. The model's order (by course, whose own order is
    # its opening date and title) sorted a join of every enrolment on every page. The period is a list filter
    # (today, 7 days, this month, this year): a date drill-down scanned every enrolment for its months.
    ordering = ["-requested_at", "-id"]
    inlines = [EnrollmentAttendanceInline]
    actions = ["cancel_by_staff"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = EnrollmentAddForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["course", "user", "consent"]})]
        # Nothing on the change page can be changed, so there is no change to give a reason for.
        return [
            (title, options)
            for title, options in super().get_fieldsets(request, obj)
            if "history_change_reason" not in options["fields"]
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        names = [name for _title, options in ENROLLMENT_FIELDSETS for name in options["fields"]]
        masked = self._mask_names(names) if self._masks_form(request, obj) else names
        # The change-reason form field goes too (a declared form field is dropped when read-only).
        return list(
            dict.fromkeys([*super().get_readonly_fields(request, obj), *masked, "history_change_reason"])
        )

    def shown_personal_fields(self, obj):
        shown = super().shown_personal_fields(obj)
        if obj.user_id is not None and not obj.is_anonymised:
            shown = ["user.name", *(["user.phone"] if obj.user.phone else []), *shown]
        return shown

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def save_through_service(self, request, obj, form, change):
        # Nothing on the change page is editable: only a new enrolment (a phone sign-up) is saved.
        enrollment = services.enrollment_create(
            course=form.cleaned_data["course"],
            user=form.cleaned_data["user"],
            actor=request.user,
            consent_version=settings.PRIVACY_TERMS_VERSION,
        )
        self.adopt(obj, enrollment)

    @admin.display(description=_("수강생"), ordering="user__name")
    def enrollee(self, obj):
        return _enrollee(obj, "name", obj)

    @admin.display(description=_("수강생 휴대전화"))
    def enrollee_phone(self, obj):
        return _enrollee(obj, "phone", obj) or "-"

    @admin.display(description=_("안내"))
    def waiting_note(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:courses_course_roster", args=[obj.course_id]),
            _("취소·이동·출석·수료는 강좌의 수강생 명단에서 합니다."),
        )

    @admin.action(description=_("선택한 신청을 관리자 취소 (빈자리는 대기자에게)"), permissions=["change"])
    def cancel_by_staff(self, request, queryset):
        cancelled = 0
        for enrollment in queryset.select_related("user").order_by("course_id", "requested_at", "pk"):
            try:
                services.enrollment_cancel(
                    enrollment=enrollment, actor=request.user, reason=CancelReason.BY_STAFF
                )
            except ValidationError as error:
                self.message_user(
                    request,
                    f"#{enrollment.pk} {enrollment.enrollee_display}: {error_text(error)}",
                    messages.ERROR,
                )
            else:
                cancelled += 1
        if cancelled:
            self.message_user(
                request, gettext("신청 %(count)d건을 취소했습니다.") % {"count": cancelled}, messages.SUCCESS
            )


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdminMixin, EnrolleeColumnsMixin, PortalModelAdmin):
    """Attendance is recorded on the roster's attendance page (``attendance_record``); here it is looked up."""

    enrollee_columns = {"enrollee": "user.name"}
    list_display = ["session", "enrollee", "is_present", "checked_by_display", "checked_at"]
    list_filter = ["is_present", "session__course__track"]
    list_select_related = ["session__course", "enrollment__user", "checked_by"]
    search_fields = ["session__course__title", "enrollment__user__name", "enrollment__user__username"]
    autocomplete_fields = ["session", "enrollment", "checked_by"]
    date_hierarchy = "session__date"
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description=_("수강생"), ordering="enrollment__user__name")
    def enrollee(self, obj):
        return _enrollee(obj.enrollment, "name", obj)

    @admin.display(description=_("확인한 직원"), ordering="checked_by__username")
    def checked_by_display(self, obj):
        return obj.checked_by.username if obj.checked_by else "-"


@admin.register(CourseFeedback)
class CourseFeedbackAdmin(PortalModelAdmin):
    """Single answers, read only and without names (the link to the enrolment is never shown); the results
    page of each course sums them up."""

    list_display = ["course", "overall", "content", "instructor", "venue", "schedule", "submitted_at"]
    list_filter = ["overall"]
    list_select_related = ["course"]
    search_fields = ["course__title", "comment"]
    fields = ["course", "overall", "content", "instructor", "venue", "schedule", "comment", "submitted_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
