"""Attendance and completion (수료) of citizen courses, and the reads behind certificates.

Staff record attendance per session in bulk; ``completion_evaluate`` applies the course's rule
(``completion_percent`` of the sessions, default 80 %) and issues each person who meets it a
certificate number and a verification code that anyone can check on the public verification page.
Evaluation is authoritative: run it again after correcting attendance and it issues or withdraws
certificates to match; certificates already issued keep their number and code.

Both services lock the course row first, as the enrolment services do, so attendance and completion
never interleave with a cancellation or a move of the same course's enrollees.
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from jeonju_center.common.actors import writes

from .models import Attendance, Course, CourseSession, CourseStatus, Enrollment, EnrollmentStatus

# 32 symbols without the look-alikes 0/O and 1/I, so a code read off paper is typed correctly.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
CERTIFICATE_PREFIX = "JUIC"


# --- certificate numbers and verification codes -----------------------------------------------


def new_certificate_code():
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def demo_certificate_code(certificate_number):
    """A deterministic code for demo data (the same number always gets the same code)."""
    digest = hashlib.sha256(f"demo-certificate:{certificate_number}".encode()).digest()
    # 256 is a multiple of 32, so taking each byte modulo 32 keeps the symbols uniform.
    return "".join(CODE_ALPHABET[byte % len(CODE_ALPHABET)] for byte in digest[:CODE_LENGTH])


def normalize_certificate_code(raw):
    """What a person typed (lower case, spaces, hyphens) → the stored code, or "" if it cannot be one."""
    code = "".join(ch for ch in str(raw or "").upper() if ch not in " -\t")
    if len(code) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in code):
        return ""
    return code


def format_certificate_code(code):
    """ABCDEFGHJKLM → ABCD-EFGH-JKLM (how it is printed and shown)."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4)) if code else ""


def certificate_number_for(enrollment, *, year):
    """JUIC-<year of the last session>-<course id>-<enrollment id>: unique because the enrolment id is,
    and stable, so a certificate withdrawn and issued again keeps its number."""
    return f"{CERTIFICATE_PREFIX}-{year}-{enrollment.course_id:04d}-{enrollment.pk:06d}"


def sessions_required(*, total_sessions, completion_percent):
    """Sessions a person must attend: the percentage rounded up (80 % of 6 sessions → 5)."""
    return -(-total_sessions * completion_percent // 100)


# --- attendance ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceResult:
    present: int
    absent: int


def _parse_ids(values):
    try:
        return {int(value) for value in values}
    except (TypeError, ValueError):
        raise ValidationError(_("출석 명단의 신청 번호가 올바르지 않습니다.")) from None


@writes(Attendance)
@transaction.atomic
def attendance_record(*, session, present_enrollment_ids, actor):
    """Record one session's attendance for every confirmed enrollee at once: the ids given are present,
    every other confirmed enrollee is absent. Recording again replaces the earlier record."""
    actor.require_staff(_("출석과 수료는 센터 직원만 처리할 수 있습니다."))
    present_ids = _parse_ids(present_enrollment_ids)
    course = Course.objects.select_for_update().get(pk=session.course_id)
    session = CourseSession.objects.get(pk=session.pk)
    if course.status == CourseStatus.CANCELLED:
        raise ValidationError(_("폐강된 강좌는 출석을 기록할 수 없습니다."))
    if session.date > timezone.localdate():
        raise ValidationError(
            _("아직 열리지 않은 회차(%(date)s)의 출석은 기록할 수 없습니다.")
            % {"date": session.date.strftime("%Y-%m-%d")}
        )
    confirmed_ids = set(
        Enrollment.objects.filter(course=course, status=EnrollmentStatus.CONFIRMED).values_list(
            "pk", flat=True
        )
    )
    unknown = sorted(present_ids - confirmed_ids)
    if unknown:
        raise ValidationError(
            _("이 강좌의 확정 수강생이 아닌 신청은 출석 처리할 수 없습니다: %(ids)s")
            % {"ids": ", ".join(str(pk) for pk in unknown)}
        )
    now = timezone.now()
    rows = [
        Attendance(
            session=session,
            enrollment_id=pk,
            is_present=pk in present_ids,
            checked_by=actor.user,
            checked_at=now,
        )
        for pk in sorted(confirmed_ids)
    ]
    # Attendance is not part of the partner change feed, so a bulk upsert needs no feed events.
    Attendance.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["session", "enrollment"],
        update_fields=["is_present", "checked_by", "checked_at", "updated_at"],
    )
    return AttendanceResult(present=len(present_ids), absent=len(confirmed_ids) - len(present_ids))


# --- completion ---------------------------------------------------------------------------------


@dataclass
class CompletionResult:
    total_sessions: int
    required_sessions: int
    issued: list = field(default_factory=list)
    withdrawn: list = field(default_factory=list)
    kept: int = 0
    not_completed: int = 0


def _session_end(session):
    return timezone.make_aware(datetime.datetime.combine(session.date, session.end_time))


def _unused_code():
    while True:
        code = new_certificate_code()
        if not Enrollment.objects.filter(certificate_code=code).exists():
            return code


@writes(Enrollment)
@transaction.atomic
def completion_evaluate(*, course, actor):
    """Apply the course's completion rule to every confirmed enrollee once its last session has ended."""
    course = Course.objects.select_for_update().get(pk=course.pk)
    if course.status == CourseStatus.CANCELLED:
        raise ValidationError(_("폐강된 강좌는 수료를 판정할 수 없습니다."))
    sessions = list(course.sessions.order_by("date", "start_time"))
    if not sessions:
        raise ValidationError(_("회차가 없는 강좌는 수료를 판정할 수 없습니다."))
    last = sessions[-1]
    if _session_end(last) > timezone.now():
        raise ValidationError(
            _("마지막 회차(%(date)s)가 끝난 뒤에 수료를 판정할 수 있습니다.")
            % {"date": last.date.strftime("%Y-%m-%d")}
        )
    result = CompletionResult(
        total_sessions=len(sessions),
        required_sessions=sessions_required(
            total_sessions=len(sessions), completion_percent=course.completion_percent
        ),
    )
    enrollments = list(
        Enrollment.objects.select_for_update()
        .filter(course=course, status=EnrollmentStatus.CONFIRMED, anonymised_at__isnull=True)
        .order_by("pk")
    )
    attended = dict(
        Attendance.objects.filter(session__course=course, is_present=True, enrollment__in=enrollments)
        .order_by()
        .values("enrollment")
        .annotate(n=Count("pk"))
        .values_list("enrollment", "n")
    )
    now = timezone.now()
    for enrollment in enrollments:
        meets = attended.get(enrollment.pk, 0) >= result.required_sessions
        if meets and enrollment.is_completed:
            result.kept += 1
            continue
        if not meets and not enrollment.is_completed:
            result.not_completed += 1
            continue
        if meets:
            enrollment.is_completed = True
            enrollment.completed_at = now
            enrollment.certificate_number = certificate_number_for(enrollment, year=last.date.year)
            enrollment.certificate_code = _unused_code()
            result.issued.append(enrollment)
        else:
            enrollment.is_completed = False
            enrollment.completed_at = None
            enrollment.certificate_number = ""
            enrollment.certificate_code = ""
            result.withdrawn.append(enrollment)
            result.not_completed += 1
        enrollment.full_clean()
        enrollment.save(
            update_fields=[
                "is_completed",
                "completed_at",
                "certificate_number",
                "certificate_code",
                "updated_at",
            ]
        )
    return result


# --- reads ----------------------------------------------------------------------------------------


def _certificates():
    return Enrollment.objects.filter(is_completed=True, status=EnrollmentStatus.CONFIRMED).select_related(
        "course__track", "user"
    )


def certificate_by_code(code):
    """The valid certificate with this verification code (as typed), or None."""
    code = normalize_certificate_code(code)
    if not code:
        return None
    return _with_course_dates(_certificates().filter(certificate_code=code)).first()


def certificate_by_number(number):
    """The valid certificate with this number, or None (the caller checks who may see it)."""
    if not number:
        return None
    return _with_course_dates(_certificates().filter(certificate_number=number)).first()


def _with_course_dates(queryset):
    def session_date(aggregate):
        return Subquery(
            CourseSession.objects.filter(course=OuterRef("course"))
            .order_by()
            .values("course")
            .annotate(d=aggregate("date"))
            .values("d")
        )

    def session_count():
        return Subquery(
            CourseSession.objects.filter(course=OuterRef("course"))
            .order_by()
            .values("course")
            .annotate(n=Count("pk"))
            .values("n")
        )

    attended = Count("attendances", filter=Q(attendances__is_present=True), distinct=True)
    return queryset.annotate(
        first_session_date=session_date(Min),
        last_session_date=session_date(Max),
        session_count=session_count(),
        attended_count=attended,
    )
