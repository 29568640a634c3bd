import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from courses.models import (
    Attendance,
    CancelReason,
    Course,
    CourseSession,
    Enrollment,
    EnrollmentStatus,
    Track,
)
from courses.reference import TRACKS, load_tracks

from .factories import (
    AttendanceFactory,
    CourseFactory,
    CourseSessionFactory,
    DongFactory,
    EnrollmentFactory,
    TrackFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def assert_rejected(obj, message):
    """The row is refused twice: by full_clean() with the Korean message, and by the database itself."""
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert message in excinfo.value.messages
    with transaction.atomic(), pytest.raises(IntegrityError):
        obj.save()


def assert_rejected_by_constraint_only(obj, field, message):
    """For choice fields full_clean() already reports the field; the constraint still guards the database."""
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert field in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        obj.validate_constraints()
    assert message in excinfo.value.messages
    with transaction.atomic(), pytest.raises(IntegrityError):
        obj.save()


# --- valid data ------------------------------------------------------------------------------------


def test_valid_rows_of_every_model_pass_full_clean():
    attendance = AttendanceFactory()
    for obj in (
        attendance,
        attendance.session,
        attendance.enrollment,
        attendance.enrollment.course,
        attendance.enrollment.course.track,
    ):
        obj.full_clean()
    assert attendance.session.course_id == attendance.enrollment.course_id


def test_course_restricted_to_dongs_keeps_its_dongs():
    dongs = [DongFactory(name="풍남동"), DongFactory(name="노송동")]
    course = CourseFactory(audience=Course.Audience.DONG_RESIDENTS, audience_dongs=dongs)
    course.full_clean()
    assert set(course.audience_dongs.values_list("name", flat=True)) == {"풍남동", "노송동"}


def test_str_of_enrollment_masks_the_name():
    enrollment = EnrollmentFactory(user=UserFactory(name="김철용"), course__title="사회적경제 입문")
    assert str(enrollment) == "사회적경제 입문 · 김*용"
    assert "김철용" not in str(AttendanceFactory(enrollment=enrollment))


# --- Course ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("capacity", -1, "정원은 0 이상이어야 합니다."),
        ("waitlist_limit", -1, "대기 인원 한도는 0 이상이어야 합니다."),
        ("fee", -1000, "수강료는 0원 이상이어야 합니다."),
        ("completion_percent", 0, "수료 기준은 1%에서 100% 사이여야 합니다."),
        ("completion_percent", 101, "수료 기준은 1%에서 100% 사이여야 합니다."),
    ],
)
def test_course_number_ranges(field, value, message):
    course = CourseFactory()
    setattr(course, field, value)
    assert_rejected(course, message)


def test_course_zero_capacity_free_course_and_full_completion_rule_are_accepted():
    course = CourseFactory(capacity=0, waitlist_limit=0, fee=0, completion_percent=100)
    course.full_clean()
    assert course.is_free


@pytest.mark.parametrize("hours", [0, -1])
def test_course_enrollment_must_close_after_it_opens(hours):
    course = CourseFactory()
    course.enrollment_closes_at = course.enrollment_opens_at + datetime.timedelta(hours=hours)
    assert_rejected(course, "신청 마감은 신청 시작보다 늦어야 합니다.")


def test_course_cancellation_deadline_after_opening():
    course = CourseFactory()
    course.cancellation_deadline = course.enrollment_opens_at - datetime.timedelta(days=1)
    assert_rejected(course, "취소 마감은 신청 시작보다 늦어야 합니다.")
    course.cancellation_deadline = course.enrollment_opens_at + datetime.timedelta(days=10)
    course.full_clean()


def test_course_status_must_be_a_known_one():
    course = CourseFactory()
    course.status = "unknown"
    assert_rejected_by_constraint_only(course, "status", "강좌 상태가 올바르지 않습니다.")


def test_course_audience_must_be_a_known_one():
    course = CourseFactory()
    course.audience = "aliens"
    assert_rejected_by_constraint_only(course, "audience", "수강 대상이 올바르지 않습니다.")


def test_course_slug_is_unique():
    CourseFactory(slug="community-001")
    duplicate = CourseFactory.build(slug="community-001", track=TrackFactory())
    with pytest.raises(ValidationError) as excinfo:
        duplicate.full_clean()
    assert excinfo.value.message_dict["slug"] == ["같은 주소용 이름의 강좌가 이미 있습니다."]
    with transaction.atomic(), pytest.raises(IntegrityError):
        duplicate.save()


def test_track_cannot_be_deleted_while_it_has_courses():
    course = CourseFactory()
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        course.track.delete()


# --- CourseSession ---------------------------------------------------------------------------------


@pytest.mark.parametrize("end", [datetime.time(19, 0), datetime.time(18, 30)])
def test_session_must_end_after_it_starts(end):
    session = CourseSessionFactory(start_time=datetime.time(19, 0), end_time=datetime.time(21, 0))
    session.end_time = end
    assert_rejected(session, "종료 시각은 시작 시각보다 늦어야 합니다.")


def test_session_slot_is_unique_per_course():
    first = CourseSessionFactory()
    duplicate = CourseSession(
        course=first.course, date=first.date, start_time=first.start_time, end_time=datetime.time(22, 0)
    )
    assert_rejected(duplicate, "이 강좌에는 같은 날짜·시작 시각의 회차가 이미 있습니다.")
    # The same slot in another course is fine.
    CourseSessionFactory(date=first.date, start_time=first.start_time).full_clean()


# --- Enrollment ------------------------------------------------------------------------------------

ONE_ACTIVE = "이미 이 강좌에 신청(확정 또는 대기)되어 있습니다."


@pytest.mark.parametrize(
    ("first_status", "second_status"),
    [
        (EnrollmentStatus.CONFIRMED, EnrollmentStatus.CONFIRMED),
        (EnrollmentStatus.CONFIRMED, EnrollmentStatus.WAITING),
        (EnrollmentStatus.WAITING, EnrollmentStatus.WAITING),
    ],
)
def test_one_active_enrollment_per_person_and_course(first_status, second_status):
    first = EnrollmentFactory(status=first_status)
    now = timezone.now()
    second = Enrollment(
        course=first.course,
        user=first.user,
        status=second_status,
        requested_at=now,
        confirmed_at=now if second_status == EnrollmentStatus.CONFIRMED else None,
    )
    assert_rejected(second, ONE_ACTIVE)


def test_a_cancelled_enrollment_does_not_block_a_new_one():
    now = timezone.now()
    cancelled = EnrollmentFactory(
        status=EnrollmentStatus.CANCELLED,
        requested_at=now,
        cancelled_at=now,
        cancel_reason=CancelReason.BY_USER,
    )
    again = Enrollment(
        course=cancelled.course, user=cancelled.user, status=EnrollmentStatus.WAITING, requested_at=now
    )
    again.full_clean()
    again.save()
    # Another cancelled row of the same person is history, not an active enrolment.
    EnrollmentFactory(
        course=cancelled.course,
        user=cancelled.user,
        status=EnrollmentStatus.CANCELLED,
        requested_at=now,
        cancelled_at=now,
        cancel_reason=CancelReason.BY_USER,
    ).full_clean()
    assert Enrollment.objects.filter(course=cancelled.course, user=cancelled.user).count() == 3


def test_anonymised_enrollments_of_one_course_do_not_collide():
    course = CourseFactory()
    now = timezone.now()
    for _ in range(2):
        EnrollmentFactory(course=course, user=None, anonymised_at=now).full_clean()
    assert Enrollment.objects.filter(course=course, user=None, status=EnrollmentStatus.CONFIRMED).count() == 2


def test_deleting_the_account_keeps_the_enrollment():
    enrollment = EnrollmentFactory()
    enrollment.user.delete()
    enrollment.refresh_from_db()
    assert enrollment.user is None
    assert enrollment.enrollee_display == "(익명)"


def test_certificate_number_is_unique_when_present():
    now = timezone.now()
    EnrollmentFactory(is_completed=True, completed_at=now, certificate_number="JUIC-2026-0001-001")
    other = EnrollmentFactory(is_completed=True, completed_at=now)
    other.certificate_number = "JUIC-2026-0001-001"
    assert_rejected(other, "같은 번호의 수료증이 이미 있습니다.")
    # Blank numbers (no certificate yet) never collide.
    EnrollmentFactory(certificate_number="").full_clean()
    EnrollmentFactory(certificate_number="").full_clean()


def test_enrollment_status_must_be_a_known_one():
    enrollment = EnrollmentFactory()
    enrollment.status = "maybe"
    assert_rejected_by_constraint_only(enrollment, "status", "수강신청 상태가 올바르지 않습니다.")


def test_confirmed_enrollment_has_a_confirmation_time():
    enrollment = EnrollmentFactory(status=EnrollmentStatus.WAITING)
    enrollment.status = EnrollmentStatus.CONFIRMED
    assert_rejected(enrollment, "확정된 신청에는 확정일시가 있어야 합니다.")


def test_cancelled_enrollment_needs_a_cancellation_time():
    enrollment = EnrollmentFactory()
    enrollment.status = EnrollmentStatus.CANCELLED
    enrollment.cancel_reason = CancelReason.BY_USER
    assert_rejected(enrollment, "취소일시는 취소된 신청에만, 취소된 신청에는 반드시 있어야 합니다.")


def test_active_enrollment_has_no_cancellation_data():
    enrollment = EnrollmentFactory()
    enrollment.cancelled_at = timezone.now()
    assert_rejected(enrollment, "취소일시는 취소된 신청에만, 취소된 신청에는 반드시 있어야 합니다.")


def test_promotion_from_the_waiting_list_implies_confirmation():
    enrollment = EnrollmentFactory(status=EnrollmentStatus.WAITING)
    enrollment.promoted_at = timezone.now()
    assert_rejected(enrollment, "대기 후 확정된 신청에는 확정일시가 있어야 합니다.")


def test_completion_needs_a_time():
    enrollment = EnrollmentFactory()
    enrollment.is_completed = True
    assert_rejected(enrollment, "수료는 확정된 신청에만 수료일시와 함께 기록할 수 있습니다.")


def test_only_confirmed_enrollments_complete():
    enrollment = EnrollmentFactory(status=EnrollmentStatus.WAITING)
    enrollment.is_completed = True
    enrollment.completed_at = timezone.now()
    assert_rejected(enrollment, "수료는 확정된 신청에만 수료일시와 함께 기록할 수 있습니다.")


def test_certificate_requires_completion():
    enrollment = EnrollmentFactory()
    enrollment.certificate_number = "JUIC-2026-0002-001"
    assert_rejected(enrollment, "수료증 번호는 수료한 신청에만 부여할 수 있습니다.")


@pytest.mark.parametrize(("version", "has_time"), [("2026-01", False), ("", True)])
def test_consent_version_and_time_go_together(version, has_time):
    enrollment = EnrollmentFactory()
    enrollment.consent_version = version
    enrollment.consented_at = timezone.now() if has_time else None
    assert_rejected(enrollment, "개인정보 동의 버전과 동의일시는 함께 기록해야 합니다.")


def test_anonymised_enrollment_has_no_user():
    enrollment = EnrollmentFactory()
    enrollment.anonymised_at = timezone.now()
    assert enrollment.is_anonymised
    assert_rejected(enrollment, "익명 처리된 신청은 수강생과 연결할 수 없습니다.")


def test_an_enrollment_is_anonymised_exactly_when_it_has_the_time():
    enrollment = EnrollmentFactory(user=None)
    assert not enrollment.is_anonymised
    enrollment.anonymised_at = timezone.now()
    enrollment.full_clean()
    enrollment.save()
    assert Enrollment.objects.get(pk=enrollment.pk).is_anonymised


def test_enrollment_clean_checks_times_and_reason():
    requested = timezone.now()
    enrollment = EnrollmentFactory.build(
        course=CourseFactory(),
        user=UserFactory(),
        requested_at=requested,
        status=EnrollmentStatus.CANCELLED,
        confirmed_at=requested - datetime.timedelta(hours=1),
        cancelled_at=requested - datetime.timedelta(minutes=5),
        cancel_reason="",
    )
    with pytest.raises(ValidationError) as excinfo:
        enrollment.full_clean()
    errors = excinfo.value.message_dict
    assert errors["confirmed_at"] == ["확정일시는 신청일시보다 앞설 수 없습니다."]
    assert errors["cancelled_at"] == ["취소일시는 신청일시보다 앞설 수 없습니다."]
    assert errors["cancel_reason"] == ["취소된 신청에는 취소 사유를 고르세요."]


# --- Attendance ------------------------------------------------------------------------------------


def test_attendance_is_unique_per_session_and_enrollment():
    first = AttendanceFactory()
    duplicate = Attendance(session=first.session, enrollment=first.enrollment, is_present=False)
    assert_rejected(duplicate, "이 회차에 이 수강생의 출석 기록이 이미 있습니다.")


def test_attendance_checked_by_staff_needs_a_time():
    attendance = AttendanceFactory()
    attendance.checked_at = None
    assert_rejected(attendance, "출석을 확인한 직원이 있으면 확인일시도 있어야 합니다.")


def test_attendance_session_must_belong_to_the_enrollment_course():
    enrollment = EnrollmentFactory()
    other_session = CourseSessionFactory()
    attendance = Attendance(session=other_session, enrollment=enrollment, is_present=True)
    with pytest.raises(ValidationError) as excinfo:
        attendance.full_clean()
    assert excinfo.value.message_dict["enrollment"] == [
        "이 회차의 강좌에 신청한 수강생만 출석을 기록할 수 있습니다."
    ]


# --- reference data --------------------------------------------------------------------------------


def test_load_tracks_creates_the_five_tracks_once_and_keeps_staff_edits():
    assert load_tracks() == "course tracks: 5 created"
    assert list(Track.objects.values_list("name", flat=True)) == [name for _, name, _ in TRACKS]
    Track.objects.filter(slug="community").update(name="마을공동체")
    assert load_tracks() == "course tracks: 0 created"
    assert Track.objects.count() == 5
    assert Track.objects.get(slug="community").name == "마을공동체"


def test_waiting_list_index_exists_in_the_database():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Enrollment._meta.db_table)
    assert constraints["courses_enrollment_queue_idx"]["columns"] == ["course_id", "requested_at", "id"]
    assert constraints["courses_enrollment_queue_idx"]["index"] is True
