"""The back office's reads of one course: its roster (confirmed, waiting in order, cancelled), the
attendance of its sessions, and their exports (Excel and a printable sign-in sheet).

Personal data is masked here as everywhere else (김*용, 010-1234-****) unless the caller passes
``unmasked=True`` — which the admin does only for viewers holding the 개인정보 열람 permission (and, for
Excel files, only when they gave a reason), logging each such use in the access log.
"""

import contextlib
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from jeonju_center.common.personal_data import mask_personal_value
from jeonju_center.common.spreadsheets import neutralize_dataset, neutralize_row
from jeonju_center.common.validators import normalize_phone

from .completion import sessions_required
from .models import Attendance, CourseSession, Enrollment, EnrollmentStatus

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What a roster row reveals about the person, in the access log's words (the enrollee's account fields
# and the enrolment's own personal fields).
ROSTER_PERSONAL_FIELDS = ("user.name", "user.phone", "certificate_number", "cancel_note")
SHEET_PERSONAL_FIELDS = ("user.name", "user.phone")
SEARCHED_PERSONAL_FIELDS = ("user.name", "user.username", "user.email", "user.phone", "certificate_number")


# --- roster ------------------------------------------------------------------------------------------


def _search_q(search):
    search = search.strip()
    q = (
        Q(user__name__icontains=search)
        | Q(user__username__icontains=search)
        | Q(user__email__icontains=search)
        | Q(user__phone__icontains=search)
        | Q(certificate_number__icontains=search)
    )
    with contextlib.suppress(ValidationError):  # not a phone number: the other fields still match
        q |= Q(user__phone=normalize_phone(search))
    return q


def roster_enrollments(course, *, search=""):
    """Every enrolment of ``course`` (one query) with ``attended_count`` and, for people waiting,
    ``waiting_position`` (1 = next to get a seat), counted over the whole waiting list even when
    ``search`` narrows the rows."""
    ahead = (
        Enrollment.objects.filter(course=OuterRef("course"), status=EnrollmentStatus.WAITING)
        .filter(
            Q(requested_at__lt=OuterRef("requested_at"))
            | Q(requested_at=OuterRef("requested_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    attended = (
        Attendance.objects.filter(enrollment=OuterRef("pk"), is_present=True)
        .order_by()
        .values("enrollment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    queryset = (
        Enrollment.objects.filter(course=course)
        .select_related("user", "applicant_dong")
        .annotate(
            attended_count=Coalesce(Subquery(attended, output_field=IntegerField()), Value(0)),
            waiting_position=Case(
                When(
                    status=EnrollmentStatus.WAITING,
                    then=Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1,
                ),
                default=None,
                output_field=IntegerField(),
            ),
        )
    )
    if search and search.strip():
        queryset = queryset.filter(_search_q(search))
    return queryset.order_by("requested_at", "pk")


@dataclass
class Roster:
    confirmed: list = field(default_factory=list)
    waiting: list = field(default_factory=list)
    cancelled: list = field(default_factory=list)


def course_roster(course, *, search="", unmasked=False):
    """The roster split in three: confirmed and waiting in request order, cancelled latest first."""
    roster = Roster()
    for enrollment in roster_enrollments(course, search=search):
        set_people_display(enrollment, unmasked=unmasked)
        if enrollment.status == EnrollmentStatus.CONFIRMED:
            roster.confirmed.append(enrollment)
        elif enrollment.status == EnrollmentStatus.WAITING:
            roster.waiting.append(enrollment)
        else:
            roster.cancelled.append(enrollment)
    roster.waiting.sort(key=lambda e: e.waiting_position)
    roster.cancelled.sort(key=lambda e: (e.cancelled_at, e.pk), reverse=True)
    return roster


def course_sessions(course):
    """The course's sessions in time order with ``present_count`` and ``recorded_count``."""
    return list(
        CourseSession.objects.filter(course=course)
        .annotate(
            present_count=Count("attendances", filter=Q(attendances__is_present=True)),
            recorded_count=Count("attendances"),
        )
        .order_by("date", "start_time", "pk")
    )


def enrollee_value(enrollment, field_name, *, unmasked=False):
    """The enrollee's ``name`` or ``phone`` as the viewer may see it; "(익명)" / "" once anonymised."""
    user = None if enrollment.is_anonymised else enrollment.user
    if user is None:
        return str(_("(익명)")) if field_name == "name" else ""
    value = getattr(user, field_name) or (user.username if field_name == "name" else "")
    return value if unmasked else mask_personal_value(field_name, value)


def enrollment_value(enrollment, field_name, *, unmasked=False):
    """One of the enrolment's own ``PERSONAL_DATA_FIELDS`` as the viewer may see it."""
    value = getattr(enrollment, field_name)
    return value if unmasked else mask_personal_value(field_name, value)


def set_people_display(enrollment, *, unmasked):
    """Attach what the back-office pages show of the person: ``name_display``, ``phone_display``,
    ``certificate_display``, ``cancel_note_display``."""
    enrollment.name_display = enrollee_value(enrollment, "name", unmasked=unmasked)
    enrollment.phone_display = enrollee_value(enrollment, "phone", unmasked=unmasked)
    enrollment.certificate_display = enrollment_value(enrollment, "certificate_number", unmasked=unmasked)
    enrollment.cancel_note_display = enrollment_value(enrollment, "cancel_note", unmasked=unmasked)
    return enrollment


def session_attendance_sheet(session, *, unmasked=False):
    """Confirmed enrollees of the session's course in request order, each with ``is_present`` (True,
    False, or None when not recorded yet)."""
    recorded = dict(Attendance.objects.filter(session=session).values_list("enrollment_id", "is_present"))
    enrollees = list(
        Enrollment.objects.filter(course_id=session.course_id, status=EnrollmentStatus.CONFIRMED)
        .select_related("user")
        .order_by("requested_at", "pk")
    )
    for enrollment in enrollees:
        enrollment.is_present = recorded.get(enrollment.pk)
        set_people_display(enrollment, unmasked=unmasked)
    return enrollees


# --- Excel -------------------------------------------------------------------------------------------


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


class RosterResource(resources.ModelResource):
    """The roster as rows with Korean headers (django-import-export); rows come from ``roster_enrollments``."""

    status = fields.Field(column_name=gettext_lazy("상태"))
    waiting_position = fields.Field(column_name=gettext_lazy("대기 순번"))
    name = fields.Field(column_name=gettext_lazy("성명(가림)"))
    phone = fields.Field(column_name=gettext_lazy("휴대전화(가림)"))
    dong = fields.Field(column_name=gettext_lazy("신청 시 행정동"))
    requested_at = fields.Field(column_name=gettext_lazy("신청일시"))
    confirmed_at = fields.Field(column_name=gettext_lazy("확정일시"))
    promoted = fields.Field(column_name=gettext_lazy("대기 후 확정"))
    cancelled_at = fields.Field(column_name=gettext_lazy("취소일시"))
    cancel_reason = fields.Field(column_name=gettext_lazy("취소 사유"))
    attended_count = fields.Field(column_name=gettext_lazy("출석 횟수"))
    is_completed = fields.Field(column_name=gettext_lazy("수료"))
    certificate_number = fields.Field(column_name=gettext_lazy("수료증 번호"))

    class Meta:
        model = Enrollment
        fields = (
            "id", "status", "waiting_position", "name", "phone", "dong", "requested_at", "confirmed_at",
            "promoted", "cancelled_at", "cancel_reason", "attended_count", "is_completed", "certificate_number",
        )  # fmt: skip
        export_order = fields

    def __init__(self, *, unmasked=False, **kwargs):
        super().__init__(**kwargs)
        self.unmasked = unmasked

    def get_export_headers(self, selected_fields=None):
        headers = super().get_export_headers(selected_fields=selected_fields)
        renamed = {"id": _("신청 번호")}
        if self.unmasked:
            renamed.update({str(_("성명(가림)")): _("성명"), str(_("휴대전화(가림)")): _("휴대전화")})
        return [str(renamed.get(str(header), header)) for header in headers]

    def dehydrate_status(self, enrollment):
        return enrollment.get_status_display()

    def dehydrate_waiting_position(self, enrollment):
        return enrollment.waiting_position or ""

    def dehydrate_name(self, enrollment):
        return enrollment.name_display

    def dehydrate_phone(self, enrollment):
        return enrollment.phone_display

    def dehydrate_certificate_number(self, enrollment):
        return enrollment.certificate_display

    def dehydrate_dong(self, enrollment):
        return enrollment.applicant_dong.name if enrollment.applicant_dong else ""

    def dehydrate_requested_at(self, enrollment):
        return _local(enrollment.requested_at)

    def dehydrate_confirmed_at(self, enrollment):
        return _local(enrollment.confirmed_at)

    def dehydrate_promoted(self, enrollment):
        return _("예") if enrollment.promoted_at else ""

    def dehydrate_cancelled_at(self, enrollment):
        return _local(enrollment.cancelled_at)

    def dehydrate_cancel_reason(self, enrollment):
        return enrollment.get_cancel_reason_display() if enrollment.cancel_reason else ""

    def dehydrate_attended_count(self, enrollment):
        return enrollment.attended_count

    def dehydrate_is_completed(self, enrollment):
        return _("수료") if enrollment.is_completed else ""


def roster_rows(course, *, unmasked=False):
    """The whole roster in export order: confirmed, then waiting in order, then cancelled."""
    roster = course_roster(course, unmasked=unmasked)
    return roster.confirmed + roster.waiting + roster.cancelled


def roster_xlsx(rows, *, unmasked=False):
    """``roster_rows`` as an Excel file."""
    dataset = RosterResource(unmasked=unmasked).export(queryset=rows)
    dataset.title = str(_("수강생 명단"))[:31]
    return neutralize_dataset(dataset).export("xlsx")


def attendance_enrollees(course, *, unmasked=False):
    return [
        set_people_display(enrollment, unmasked=unmasked)
        for enrollment in Enrollment.objects.filter(course=course, status=EnrollmentStatus.CONFIRMED)
        .select_related("user")
        .order_by("requested_at", "pk")
    ]


def attendance_xlsx(course, enrollees, *, unmasked=False):
    """One row per confirmed enrollee, one column per session (O present, X absent, blank not recorded),
    with the total, the rate and whether the course's completion rule is met; ``enrollees`` come from
    ``attendance_enrollees``."""
    sessions = list(CourseSession.objects.filter(course=course).order_by("date", "start_time", "pk"))
    marks = {
        (enrollment_id, session_id): present
        for enrollment_id, session_id, present in Attendance.objects.filter(
            session__course=course, enrollment__status=EnrollmentStatus.CONFIRMED
        ).values_list("enrollment_id", "session_id", "is_present")
    }
    required = sessions_required(total_sessions=len(sessions), completion_percent=course.completion_percent)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("출석부"))[:31]
    sheet.append(neutralize_row([_("%(title)s 출석부") % {"title": course.title}]))
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            _("수료 기준: 전체 %(total)d회 중 %(required)d회 이상 출석(%(percent)d%%)")
            % {"total": len(sessions), "required": required, "percent": course.completion_percent}
        ]
    )
    headers = [_("번호"), _("신청 번호")]
    headers += [_("성명"), _("휴대전화")] if unmasked else [_("성명(가림)"), _("휴대전화(가림)")]
    headers += [f"{index}{_('회차')} {session.date:%m/%d}" for index, session in enumerate(sessions, 1)]
    headers += [_("출석 합계"), _("출석률(%)"), _("수료 기준 충족")]
    sheet.append(headers)
    for cell in sheet[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for number, enrollment in enumerate(enrollees, 1):
        row = [number, enrollment.pk, enrollment.name_display, enrollment.phone_display]
        present = 0
        for session in sessions:
            mark = marks.get((enrollment.pk, session.pk))
            present += bool(mark)
            row.append("O" if mark else ("X" if mark is False else ""))
        rate = round(100 * present / len(sessions)) if sessions else 0
        row += [present, rate, _("예") if sessions and present >= required else _("아니요")]
        sheet.append(neutralize_row(row))
    for column in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 14 if column > 4 else 16
    sheet.freeze_panes = "E4"
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def feedback_xlsx(course, results):
    """The satisfaction results of a course as staff file them: a summary sheet (per item the mean and each
    score's count), the comments (no names), and the earlier runs."""
    workbook = Workbook()
    summary = workbook.active
    summary.title = str(_("만족도 요약"))[:31]
    summary.append(neutralize_row([_("%(title)s 만족도 조사 결과") % {"title": course.title}]))
    summary["A1"].font = Font(bold=True, size=14)
    summary.append(
        [
            _("응답 %(responses)d명 / 출석자 %(attendees)d명 (응답률 %(rate)d%%)")
            % {"responses": results["responses"], "attendees": results["attendees"], "rate": results["rate"]}
        ]
    )
    headers = [
        _("문항"),
        _("평균(5점 만점)"),
        *[_("%(score)d점") % {"score": score} for score in range(5, 0, -1)],
    ]
    summary.append([str(header) for header in headers])
    for cell in summary[3]:
        cell.font = Font(bold=True)
    for item in results["items"]:
        mean = round(item["mean"], 2) if item["mean"] is not None else None
        summary.append(
            neutralize_row([str(item["label"]), mean, *[count for _score, count, _pct in item["counts"]]])
        )
    summary.column_dimensions["A"].width = 44
    comments = workbook.create_sheet(str(_("하고 싶은 말"))[:31])
    comments.append([str(_("번호")), str(_("내용"))])
    for number, comment in enumerate(results["comments"], start=1):
        comments.append(neutralize_row([number, comment]))
    comments.column_dimensions["B"].width = 100
    earlier = workbook.create_sheet(str(_("지난 기수"))[:31])
    earlier.append(
        [
            str(_("강좌")),
            str(_("마지막 수업")),
            str(_("응답")),
            str(_("전반적 만족도")),
            str(_("강의 내용")),
            str(_("강사")),
        ]
    )
    for run in results["earlier_runs"]:
        earlier.append(
            neutralize_row(
                [
                    run.title,
                    run.last_session_date,
                    run.responses,
                    *[
                        round(value, 2) if value is not None else None
                        for value in (run.overall_mean, run.content_mean, run.instructor_mean)
                    ],
                ]
            )
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
