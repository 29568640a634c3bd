"""Attendance (bulk, per session) and completion (the course's rule → certificate number and code)."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses.completion import (
    attendance_record,
    certificate_by_code,
    completion_evaluate,
    demo_certificate_code,
    format_certificate_code,
    normalize_certificate_code,
    sessions_required,
)
from courses.models import Attendance, Course, Enrollment, EnrollmentStatus
from tests.actors import TEST_JOB

from .factories import CourseFactory, CourseSessionFactory, EnrollmentFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def past_course(*, sessions=5, **kwargs):
    """A course whose ``sessions`` weekly sessions all took place (the last one a week ago)."""
    course = CourseFactory(status=Course.Status.IN_PROGRESS, **kwargs)
    last = timezone.localdate() - datetime.timedelta(days=7)
    for number in range(sessions):
        CourseSessionFactory(course=course, date=last - datetime.timedelta(days=7 * (sessions - 1 - number)))
    return course


def attend(course, staff, presence):
    """``presence``: {enrollment: number of sessions attended, from the first}."""
    for index, session in enumerate(course.sessions.order_by("date")):
        attendance_record(
            session=session,
            present_enrollment_ids=[e.pk for e, count in presence.items() if index < count],
            actor=staff,
        )


def attendance_state():
    return sorted(
        Attendance.objects.values_list("session_id", "enrollment_id", "is_present", "checked_by_id")
    )


def enrollment_state():
    return sorted(
        Enrollment.objects.values_list(
            "pk", "is_completed", "completed_at", "certificate_number", "certificate_code"
        )
    )


@pytest.fixture
def staff():
    return StaffFactory()


# --- rule arithmetic and codes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "percent", "required"),
    [(5, 80, 4), (6, 80, 5), (10, 80, 8), (3, 80, 3), (4, 50, 2), (7, 100, 7), (1, 1, 1)],
)
def test_sessions_required_rounds_the_percentage_up(total, percent, required):
    assert sessions_required(total_sessions=total, completion_percent=percent) == required


def test_certificate_codes_are_typed_forgivingly_and_printed_in_groups():
    assert normalize_certificate_code(" abcd-efgh jklm ") == "ABCDEFGHJKLM"
    assert format_certificate_code("ABCDEFGHJKLM") == "ABCD-EFGH-JKLM"
    # Look-alike symbols are not in the alphabet, wrong lengths are rejected.
    assert normalize_certificate_code("ABCDEFGHJKL0") == ""
    assert normalize_certificate_code("ABCDEFGHJKLMN") == ""
    assert normalize_certificate_code("") == ""
    assert demo_certificate_code("JUIC-2026-0001-001") == demo_certificate_code("JUIC-2026-0001-001")
    assert re.fullmatch(r"[A-HJ-NP-Z2-9]{12}", demo_certificate_code("JUIC-2026-0001-001"))


# --- attendance ---------------------------------------------------------------------------------


def test_attendance_records_every_confirmed_enrollee_present_or_absent(staff):
    course = past_course(sessions=2)
    present, absent = EnrollmentFactory.create_batch(2, course=course)
    waiting = EnrollmentFactory(course=course, status=EnrollmentStatus.WAITING)
    session = course.sessions.first()

    result = attendance_record(session=session, present_enrollment_ids=[str(present.pk)], actor=staff)

    assert (result.present, result.absent) == (1, 1)
    rows = {a.enrollment_id: a for a in Attendance.objects.filter(session=session)}
    assert set(rows) == {present.pk, absent.pk}
    assert waiting.pk not in rows
    assert rows[present.pk].is_present is True
    assert rows[absent.pk].is_present is False
    assert rows[present.pk].checked_by == staff
    assert rows[present.pk].checked_at is not None


def test_recording_a_session_again_replaces_the_earlier_record(staff):
    course = past_course(sessions=1)
    first, second = EnrollmentFactory.create_batch(2, course=course)
    session = course.sessions.get()
    attendance_record(session=session, present_enrollment_ids=[first.pk], actor=staff)
    attendance_record(session=session, present_enrollment_ids=[second.pk], actor=staff)
    assert Attendance.objects.count() == 2
    assert set(Attendance.objects.filter(is_present=True).values_list("enrollment_id", flat=True)) == {
        second.pk
    }


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("not_staff", "출석과 수료는 센터 직원만 처리할 수 있습니다."),
        ("waiting_person", "이 강좌의 확정 수강생이 아닌 신청은 출석 처리할 수 없습니다"),
        ("other_course", "이 강좌의 확정 수강생이 아닌 신청은 출석 처리할 수 없습니다"),
        ("bad_id", "출석 명단의 신청 번호가 올바르지 않습니다."),
        ("future_session", "아직 열리지 않은 회차"),
        ("cancelled_course", "폐강된 강좌는 출석을 기록할 수 없습니다."),
    ],
)
def test_attendance_refusals_change_nothing(staff, case, message):
    course = past_course(sessions=1)
    confirmed = EnrollmentFactory(course=course)
    session = course.sessions.get()
    attendance_record(session=session, present_enrollment_ids=[], actor=staff)
    before = attendance_state()
    acting, ids = staff, [confirmed.pk]
    if case == "not_staff":
        acting = UserFactory()
    elif case == "waiting_person":
        ids.append(EnrollmentFactory(course=course, status=EnrollmentStatus.WAITING).pk)
    elif case == "other_course":
        ids.append(EnrollmentFactory().pk)
    elif case == "bad_id":
        ids.append("abc")
    elif case == "future_session":
        session = CourseSessionFactory(course=course, date=timezone.localdate() + datetime.timedelta(days=3))
    elif case == "cancelled_course":
        Course.objects.filter(pk=course.pk).update(status=Course.Status.CANCELLED)

    with pytest.raises(ValidationError) as error:
        attendance_record(session=session, present_enrollment_ids=ids, actor=acting)

    assert message in " ".join(error.value.messages)
    assert attendance_state() == before


# --- completion ---------------------------------------------------------------------------------


def test_completion_follows_the_default_80_percent_rule(staff):
    course = past_course(sessions=5)
    assert course.completion_percent == 80
    four, three, five = EnrollmentFactory.create_batch(3, course=course)
    attend(course, staff, {four: 4, three: 3, five: 5})

    result = completion_evaluate(course=course, actor=TEST_JOB)

    assert (result.total_sessions, result.required_sessions) == (5, 4)
    assert {e.pk for e in result.issued} == {four.pk, five.pk}
    assert result.not_completed == 1
    for enrollment in (four, five):
        enrollment.refresh_from_db()
        assert enrollment.is_completed
        assert enrollment.completed_at is not None
        year = course.sessions.order_by("date").last().date.year
        assert enrollment.certificate_number == f"JUIC-{year}-{course.pk:04d}-{enrollment.pk:06d}"
        assert re.fullmatch(r"[A-HJ-NP-Z2-9]{12}", enrollment.certificate_code)
    three.refresh_from_db()
    assert (three.is_completed, three.certificate_number, three.certificate_code) == (False, "", "")
    assert four.certificate_code != five.certificate_code
    assert certificate_by_code(format_certificate_code(four.certificate_code).lower()).pk == four.pk


def test_the_course_rule_is_per_course(staff):
    strict = past_course(sessions=4, completion_percent=100)
    lenient = past_course(sessions=4, completion_percent=50)
    in_strict, in_lenient = EnrollmentFactory(course=strict), EnrollmentFactory(course=lenient)
    attend(strict, staff, {in_strict: 3})
    attend(lenient, staff, {in_lenient: 2})
    assert completion_evaluate(course=strict, actor=TEST_JOB).issued == []
    assert [e.pk for e in completion_evaluate(course=lenient, actor=TEST_JOB).issued] == [in_lenient.pk]


def test_evaluating_again_keeps_certificates_and_corrections_withdraw_them(staff):
    course = past_course(sessions=5)
    kept, corrected = EnrollmentFactory.create_batch(2, course=course)
    attend(course, staff, {kept: 5, corrected: 4})
    completion_evaluate(course=course, actor=TEST_JOB)
    issued = enrollment_state()

    again = completion_evaluate(course=course, actor=TEST_JOB)
    assert (again.issued, again.withdrawn, again.kept) == ([], [], 2)
    assert enrollment_state() == issued

    code = Enrollment.objects.get(pk=corrected.pk).certificate_code
    kept_certificate = Enrollment.objects.values_list("certificate_number", "certificate_code").get(
        pk=kept.pk
    )
    first = course.sessions.order_by("date").first()
    attendance_record(session=first, present_enrollment_ids=[kept.pk], actor=staff)  # 4 → 3
    result = completion_evaluate(course=course, actor=TEST_JOB)
    assert [e.pk for e in result.withdrawn] == [corrected.pk]
    corrected.refresh_from_db()
    assert (corrected.is_completed, corrected.certificate_number, corrected.certificate_code) == (
        False,
        "",
        "",
    )
    assert certificate_by_code(code) is None
    assert result.kept == 1
    assert Enrollment.objects.values_list("certificate_number", "certificate_code").get(pk=kept.pk) == (
        kept_certificate
    )


def test_only_confirmed_enrollees_are_evaluated(staff):
    course = past_course(sessions=1)
    confirmed = EnrollmentFactory(course=course)
    attend(course, staff, {confirmed: 1})
    now = timezone.now()
    cancelled = EnrollmentFactory(
        course=course, status=EnrollmentStatus.CANCELLED, cancelled_at=now, cancel_reason="by_user"
    )
    Attendance.objects.create(session=course.sessions.get(), enrollment=cancelled, is_present=True)
    result = completion_evaluate(course=course, actor=TEST_JOB)
    assert [e.pk for e in result.issued] == [confirmed.pk]
    assert not Enrollment.objects.get(pk=cancelled.pk).is_completed


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("not_finished", "마지막 회차"),
        ("no_sessions", "회차가 없는 강좌는 수료를 판정할 수 없습니다."),
        ("cancelled", "폐강된 강좌는 수료를 판정할 수 없습니다."),
    ],
)
def test_completion_refusals_change_nothing(staff, case, message):
    course = past_course(sessions=2)
    enrollment = EnrollmentFactory(course=course)
    attend(course, staff, {enrollment: 2})
    if case == "not_finished":
        CourseSessionFactory(course=course, date=timezone.localdate() + datetime.timedelta(days=1))
    elif case == "no_sessions":
        course = CourseFactory()
        EnrollmentFactory(course=course)
    elif case == "cancelled":
        Course.objects.filter(pk=course.pk).update(status=Course.Status.CANCELLED)
    before = enrollment_state()

    with pytest.raises(ValidationError) as error:
        completion_evaluate(course=course, actor=TEST_JOB)

    assert message in " ".join(error.value.messages)
    assert enrollment_state() == before
