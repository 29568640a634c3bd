"""Enrollment rules (issue 3, item 3): every rule, every refusal with its message and nothing changed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses import services
from courses.models import CancelReason, CourseAudience, CourseStatus, Enrollment, EnrollmentStatus
from jeonju_center.accounts.models import ConsentRecord
from jeonju_center.common.models import OutboxEmail
from tests.actors import ANONYMOUS_VISITOR, TEST_JOB

from .factories import CourseSessionFactory, DongFactory, EnrollmentFactory, UserFactory, future_course

pytestmark = pytest.mark.django_db

VERSION = "2026-11-01"


def enroll(course, user=None, **kwargs):
    kwargs.setdefault("consent_version", VERSION)
    kwargs.setdefault("actor", TEST_JOB)
    return services.enrollment_create(course=course, user=user or UserFactory(), **kwargs)


def snapshot():
    """Everything a refused call must leave as it was."""
    rows = Enrollment.objects.order_by("pk").values_list(
        "pk", "course_id", "user_id", "status", "confirmed_at", "promoted_at", "cancelled_at", "cancel_reason"
    )
    return (
        list(rows),
        sorted(OutboxEmail.objects.values_list("dedup_key", flat=True)),
        ConsentRecord.objects.count(),
    )


def assert_refused(call, message):
    before = snapshot()
    with pytest.raises(ValidationError) as raised:
        call()
    assert message in " ".join(raised.value.messages)
    assert snapshot() == before


@pytest.fixture
def staff():
    return UserFactory(is_staff=True)


def start(course):
    """Move the course's first session to yesterday: the course has started."""
    first = course.sessions.order_by("date").first()
    first.date = timezone.localdate() - datetime.timedelta(days=1)
    first.save()


def waiting_order(course):
    return list(
        course.enrollments.filter(status=EnrollmentStatus.WAITING)
        .order_by("requested_at", "pk")
        .values_list("user__username", flat=True)
    )


# --- enrolment -------------------------------------------------------------------------------------


def test_a_free_seat_confirms_and_records_consent_dong_and_email():
    course = future_course(capacity=2)
    user = UserFactory()
    enrollment = enroll(course, user, consent_ip="10.0.0.7")
    assert enrollment.status == EnrollmentStatus.CONFIRMED
    assert enrollment.confirmed_at == enrollment.requested_at
    assert enrollment.applicant_dong_id == user.dong_id
    assert (enrollment.consent_version, enrollment.consented_at) == (VERSION, enrollment.requested_at)
    consent = ConsentRecord.objects.get(user=user)
    assert (consent.item, consent.version, consent.ip_address) == (
        ConsentRecord.Item.PRIVACY_ENROLLMENT,
        VERSION,
        "10.0.0.7",
    )
    assert OutboxEmail.objects.get().dedup_key == f"course-enrollment-confirmed:{enrollment.pk}"


def test_a_full_course_puts_people_on_the_waiting_list_in_order_up_to_its_limit():
    course = future_course(capacity=1, waitlist_limit=2)
    enroll(course)
    second = enroll(course, UserFactory(username="second"))
    third = enroll(course, UserFactory(username="third"))
    assert (second.status, third.status) == (EnrollmentStatus.WAITING, EnrollmentStatus.WAITING)
    assert (services.waiting_position(second), services.waiting_position(third)) == (1, 2)
    assert second.confirmed_at is None
    assert OutboxEmail.objects.filter(dedup_key=f"course-enrollment-waiting:{third.pk}").exists()
    assert_refused(lambda: enroll(course), "정원과 대기 인원(2명)이 모두 찼습니다")


def test_no_waiting_list_when_its_limit_is_zero():
    course = future_course(capacity=1, waitlist_limit=0)
    enroll(course)
    assert_refused(lambda: enroll(course), "대기 신청을 받지 않습니다")


@pytest.mark.parametrize(
    ("opens", "closes", "message"),
    [
        (datetime.timedelta(days=1), datetime.timedelta(days=5), "아직 신청 기간이 아닙니다"),
        (-datetime.timedelta(days=10), -datetime.timedelta(days=1), "신청이 마감되었습니다"),
    ],
)
def test_citizens_enroll_only_inside_the_window_staff_also_outside(opens, closes, message, staff):
    now = timezone.now()
    course = future_course(enrollment_opens_at=now + opens, enrollment_closes_at=now + closes)
    user = UserFactory()
    assert_refused(lambda: enroll(course, user), message)
    enrollment = enroll(course, user, actor=staff, consent_version=None)
    assert enrollment.status == EnrollmentStatus.CONFIRMED
    assert enrollment.consent_version == ""  # a phone sign-up: consent is taken on paper, not recorded here


def test_unpublished_course_only_by_staff(staff):
    course = future_course(is_published=False)
    assert_refused(lambda: enroll(course), "공개되지 않은 강좌")
    assert enroll(course, actor=staff).status == EnrollmentStatus.CONFIRMED


@pytest.mark.parametrize(
    ("status", "message"),
    [(CourseStatus.CANCELLED, "폐강된 강좌에는 신청할 수 없습니다"), (CourseStatus.FINISHED, "종료된 강좌")],
)
def test_cancelled_or_finished_courses_take_nobody_not_even_from_staff(status, message, staff):
    course = future_course(status=status)
    assert_refused(lambda: enroll(course), message)
    assert_refused(lambda: enroll(course, actor=staff), message)


def test_a_course_that_has_started_takes_nobody(staff):
    course = future_course(sessions=0)
    CourseSessionFactory(course=course, date=timezone.localdate() - datetime.timedelta(days=1))
    CourseSessionFactory(course=course, date=timezone.localdate() + datetime.timedelta(days=6))
    assert_refused(lambda: enroll(course), "이미 시작된 강좌")
    assert_refused(lambda: enroll(course, actor=staff), "이미 시작된 강좌")


def test_audience_restricted_to_dongs_for_citizens_and_staff(staff):
    pungnam, nosong = DongFactory(name="풍남동"), DongFactory(name="노송동")
    course = future_course(audience=CourseAudience.DONG_RESIDENTS, audience_dongs=[pungnam])
    assert_refused(lambda: enroll(course, UserFactory(dong=nosong)), "풍남동 주민만 신청할 수 있습니다")
    assert_refused(lambda: enroll(course, UserFactory(dong=None)), "거주 행정동을 입력한 뒤")
    assert_refused(lambda: enroll(course, UserFactory(dong=nosong), actor=staff), "풍남동 주민만")
    assert enroll(course, UserFactory(dong=pungnam)).status == EnrollmentStatus.CONFIRMED


def test_one_active_enrollment_per_person_and_a_cancelled_person_rejoins_at_the_end():
    course = future_course(capacity=1, waitlist_limit=5)
    enroll(course)
    user = UserFactory(username="comeback")
    first = enroll(course, user)
    assert_refused(lambda: enroll(course, user), "이미 이 강좌에 신청(확정 또는 대기)되어 있습니다")
    enroll(course, UserFactory(username="later"))
    services.enrollment_cancel(enrollment=first, actor=TEST_JOB)
    again = enroll(course, user)
    assert again.pk != first.pk
    assert waiting_order(course) == ["later", "comeback"]


def test_citizens_must_consent():
    course = future_course()
    assert_refused(lambda: enroll(course, consent_version=None), "개인정보 수집·이용 동의가 필요합니다")


def test_only_staff_may_act_for_someone_else():
    course = future_course()
    assert_refused(lambda: enroll(course, actor=UserFactory(is_staff=False)), "센터 직원만")


def test_inactive_accounts_cannot_enroll():
    assert_refused(lambda: enroll(future_course(), UserFactory(is_active=False)), "사용할 수 없는 계정")


# --- cancellation and promotion -----------------------------------------------------------------


def full_course_with_queue(capacity=1, waiting=3, **kwargs):
    course = future_course(capacity=capacity, waitlist_limit=10, **kwargs)
    seated = [enroll(course, UserFactory(username=f"seat{n}")) for n in range(capacity)]
    queue = [enroll(course, UserFactory(username=f"wait{n}")) for n in range(waiting)]
    return course, seated, queue


def test_cancel_promotes_the_first_waiting_person_in_the_same_transaction():
    _course, [seat], [first, second, _third] = full_course_with_queue()
    cancelled = services.enrollment_cancel(enrollment=seat, actor=TEST_JOB)
    assert (cancelled.status, cancelled.cancel_reason) == (EnrollmentStatus.CANCELLED, CancelReason.BY_USER)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == EnrollmentStatus.CONFIRMED
    assert first.promoted_at is not None and first.promoted_at == first.confirmed_at
    assert second.status == EnrollmentStatus.WAITING
    assert services.waiting_position(second) == 1
    keys = set(OutboxEmail.objects.values_list("dedup_key", flat=True))
    assert {f"course-enrollment-cancelled:{seat.pk}", f"course-enrollment-promoted:{first.pk}"} <= keys
    assert f"course-enrollment-promoted:{second.pk}" not in keys


def test_queue_order_is_requested_time_then_id():
    course = future_course(capacity=1, waitlist_limit=10)
    seat = enroll(course)
    same_time = timezone.now()
    later = EnrollmentFactory(course=course, status=EnrollmentStatus.WAITING, requested_at=same_time)
    earlier_id_later_time = EnrollmentFactory(
        course=course, status=EnrollmentStatus.WAITING, requested_at=same_time + datetime.timedelta(seconds=1)
    )
    tie_but_higher_id = EnrollmentFactory(
        course=course, status=EnrollmentStatus.WAITING, requested_at=same_time
    )
    assert [services.waiting_position(e) for e in (later, tie_but_higher_id, earlier_id_later_time)] == [
        1,
        2,
        3,
    ]
    services.enrollment_cancel(enrollment=seat, actor=TEST_JOB)
    assert Enrollment.objects.get(pk=later.pk).status == EnrollmentStatus.CONFIRMED
    assert Enrollment.objects.get(pk=tie_but_higher_id.pk).status == EnrollmentStatus.WAITING


def test_a_promotion_never_goes_to_someone_who_cancelled():
    _course, [seat], [first, second, _third] = full_course_with_queue()
    services.enrollment_cancel(enrollment=first, actor=TEST_JOB)
    services.enrollment_cancel(enrollment=seat, actor=TEST_JOB)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == EnrollmentStatus.CANCELLED and first.promoted_at is None
    assert second.status == EnrollmentStatus.CONFIRMED


def test_no_promotion_once_the_first_session_has_started(staff):
    course, [seat], [first, *_] = full_course_with_queue()
    start(course)
    services.enrollment_cancel(enrollment=seat, actor=staff)
    first.refresh_from_db()
    assert first.status == EnrollmentStatus.WAITING
    assert not OutboxEmail.objects.filter(dedup_key__startswith="course-enrollment-promoted").exists()


def test_citizens_cancel_a_seat_only_until_the_deadline_staff_any_time(staff):
    now = timezone.now()
    _course, [seat], [first, *_] = full_course_with_queue(
        enrollment_opens_at=now - datetime.timedelta(days=10),
        enrollment_closes_at=now + datetime.timedelta(days=3),
        cancellation_deadline=now - datetime.timedelta(hours=1),
    )
    assert_refused(lambda: services.enrollment_cancel(enrollment=seat, actor=TEST_JOB), "취소 마감(")
    # Leaving the waiting list frees nobody's seat, so it stays possible.
    assert services.enrollment_cancel(enrollment=first, actor=TEST_JOB).status == EnrollmentStatus.CANCELLED
    done = services.enrollment_cancel(enrollment=seat, actor=staff, reason="전화로 취소 요청")
    assert (done.cancel_reason, done.cancel_note) == (CancelReason.BY_STAFF, "전화로 취소 요청")


def test_without_a_cancellation_deadline_the_window_end_is_the_deadline():
    now = timezone.now()
    course = future_course(
        enrollment_opens_at=now - datetime.timedelta(days=10),
        enrollment_closes_at=now + datetime.timedelta(days=1),
    )
    seat = enroll(course)
    course.enrollment_closes_at = now - datetime.timedelta(minutes=1)
    course.save()
    assert_refused(lambda: services.enrollment_cancel(enrollment=seat, actor=TEST_JOB), "취소 마감(")


def test_cancelling_twice_is_refused():
    seat = enroll(future_course())
    services.enrollment_cancel(enrollment=seat, actor=TEST_JOB)
    assert_refused(
        lambda: services.enrollment_cancel(enrollment=seat, actor=TEST_JOB), "이미 취소된 신청입니다"
    )


def test_citizens_cannot_pick_a_staff_cancel_reason():
    seat = enroll(future_course())
    assert_refused(
        lambda: services.enrollment_cancel(
            enrollment=seat, reason=CancelReason.COURSE_CANCELLED, actor=TEST_JOB
        ),
        "취소 사유가 올바르지 않습니다",
    )


# --- capacity, course cancellation, moves, change notices ----------------------------------------


def test_capacity_increase_promotes_in_order_and_returns_them(staff):
    course, _seated, [first, second, third] = full_course_with_queue()
    promoted = services.course_capacity_change(course=course, capacity=3, actor=staff)
    assert [e.pk for e in promoted] == [first.pk, second.pk]
    assert course.enrollments.filter(status=EnrollmentStatus.CONFIRMED).count() == 3
    assert Enrollment.objects.get(pk=third.pk).status == EnrollmentStatus.WAITING
    course.refresh_from_db()
    assert course.capacity == 3


@pytest.mark.parametrize(
    ("capacity", "message"),
    [(1, "확정된 수강생이 2명이라"), (-1, "0 이상의 정수"), ("열", "0 이상의 정수")],
)
def test_capacity_change_refusals(capacity, message, staff):
    course, _seated, _queue = full_course_with_queue(capacity=2)
    assert_refused(
        lambda: services.course_capacity_change(course=course, capacity=capacity, actor=staff), message
    )
    course.refresh_from_db()
    assert course.capacity == 2


def test_capacity_change_needs_staff_and_an_open_course(staff):
    course = future_course()
    assert_refused(
        lambda: services.course_capacity_change(course=course, capacity=5, actor=ANONYMOUS_VISITOR),
        "센터 직원만",
    )
    course.status = CourseStatus.CANCELLED
    course.save()
    assert_refused(
        lambda: services.course_capacity_change(course=course, capacity=5, actor=staff),
        "폐강되었거나 종료된",
    )


def test_capacity_increase_after_the_start_promotes_nobody(staff):
    course, _seated, [first, *_] = full_course_with_queue()
    start(course)
    assert services.course_capacity_change(course=course, capacity=5, actor=staff) == []
    assert Enrollment.objects.get(pk=first.pk).status == EnrollmentStatus.WAITING


def test_course_cancel_cancels_everyone_active_and_tells_them(staff):
    course, seated, queue = full_course_with_queue(capacity=2, waiting=2)
    earlier = enroll(future_course())  # another course: untouched
    already = queue[0]
    services.enrollment_cancel(enrollment=already, actor=TEST_JOB)
    OutboxEmail.objects.all().delete()
    assert services.course_cancel(course=course, actor=staff, reason="강사 사정") == 3
    course.refresh_from_db()
    assert course.status == CourseStatus.CANCELLED
    for enrollment in [*seated, queue[1]]:
        enrollment.refresh_from_db()
        assert (enrollment.status, enrollment.cancel_reason, enrollment.cancel_note) == (
            EnrollmentStatus.CANCELLED,
            CancelReason.COURSE_CANCELLED,
            "강사 사정",
        )
    assert Enrollment.objects.get(pk=already.pk).cancel_reason == CancelReason.BY_USER
    emails = OutboxEmail.objects.filter(dedup_key__startswith="course-cancelled:")
    assert emails.count() == 3
    assert "강사 사정" in emails.first().body
    assert Enrollment.objects.get(pk=earlier.pk).status == EnrollmentStatus.CONFIRMED


def test_course_cancel_refusals(staff):
    course = future_course(status=CourseStatus.CANCELLED)
    assert_refused(lambda: services.course_cancel(course=course, actor=staff), "이미 폐강된 강좌")
    finished = future_course(status=CourseStatus.FINISHED)
    assert_refused(
        lambda: services.course_cancel(course=finished, actor=staff),
        "종료된 강좌는 폐강할 수 없습니다",
    )
    assert_refused(
        lambda: services.course_cancel(course=future_course(), actor=ANONYMOUS_VISITOR), "센터 직원만"
    )


def test_move_cancels_here_enrolls_there_and_promotes_here(staff):
    _source, [seat], [first, *_] = full_course_with_queue()
    target = future_course(capacity=5)
    moved = services.enrollment_move(enrollment=seat, to_course=target, actor=staff)
    assert (moved.course_id, moved.user_id, moved.status) == (
        target.pk,
        seat.user_id,
        EnrollmentStatus.CONFIRMED,
    )
    assert moved.consent_version == seat.consent_version
    seat.refresh_from_db()
    assert (seat.status, seat.cancel_reason) == (EnrollmentStatus.CANCELLED, CancelReason.BY_STAFF)
    assert Enrollment.objects.get(pk=first.pk).status == EnrollmentStatus.CONFIRMED
    assert OutboxEmail.objects.filter(dedup_key=f"course-enrollment-moved:{moved.pk}").exists()


def test_move_to_a_full_course_joins_its_waiting_list(staff):
    seat = enroll(future_course())
    target, _seated, _queue = full_course_with_queue(waiting=1)
    moved = services.enrollment_move(enrollment=seat, to_course=target, actor=staff)
    assert moved.status == EnrollmentStatus.WAITING
    assert services.waiting_position(moved) == 2


def test_move_refusals_change_nothing(staff):
    seat = enroll(future_course())
    full = future_course(capacity=1, waitlist_limit=0)
    enroll(full)
    assert_refused(
        lambda: services.enrollment_move(enrollment=seat, to_course=full, actor=staff),
        "대기 신청을 받지 않습니다",
    )
    assert_refused(
        lambda: services.enrollment_move(enrollment=seat, to_course=seat.course, actor=staff),
        "같은 강좌로는",
    )
    other = future_course()
    enroll(other, seat.user)
    assert_refused(
        lambda: services.enrollment_move(enrollment=seat, to_course=other, actor=staff),
        "이미 이 강좌에",
    )
    services.enrollment_cancel(enrollment=seat, actor=TEST_JOB)
    assert_refused(
        lambda: services.enrollment_move(enrollment=seat, to_course=future_course(), actor=staff),
        "취소된 신청은",
    )
    assert_refused(
        lambda: services.enrollment_move(enrollment=seat, to_course=future_course(), actor=ANONYMOUS_VISITOR),
        "센터 직원만",
    )


def test_course_change_notice_goes_to_everyone_active(staff):
    course, seated, queue = full_course_with_queue(capacity=1, waiting=1)
    services.enrollment_cancel(enrollment=queue[0], actor=TEST_JOB)
    OutboxEmail.objects.all().delete()
    assert (
        services.course_change_notify(course=course, actor=staff, message="2회차 강의실이 301호로 바뀝니다.")
        == 1
    )
    email = OutboxEmail.objects.get()
    assert email.to == [seated[0].user.email]
    assert "301호" in email.body
    assert_refused(
        lambda: services.course_change_notify(course=course, actor=staff, message=" "), "안내 문구"
    )


# --- reminders and the waiting-list expiry ---------------------------------------------------------


def test_reminder_is_queued_once_and_only_for_confirmed_before_the_start():
    _course, [seat], [waiting] = full_course_with_queue(waiting=1)
    assert services.enrollment_reminder_send(enrollment_id=seat.pk, actor=TEST_JOB) is True
    assert services.enrollment_reminder_send(enrollment_id=seat.pk, actor=TEST_JOB) is False
    assert services.enrollment_reminder_send(enrollment_id=waiting.pk, actor=TEST_JOB) is False
    assert OutboxEmail.objects.filter(dedup_key__startswith="course-reminder:").count() == 1
    seat.refresh_from_db()
    assert seat.reminder_sent_at is not None

    late = enroll(future_course())
    later = timezone.now() + datetime.timedelta(days=60)
    assert services.enrollment_reminder_send(enrollment_id=late.pk, now=later, actor=TEST_JOB) is False


def test_waitlist_expiry_after_the_start_only_once():
    course, [seat], queue = full_course_with_queue(waiting=2)
    assert services.course_waitlist_expire(course_id=course.pk, actor=TEST_JOB) == 0
    start(course)
    assert services.course_waitlist_expire(course_id=course.pk, actor=TEST_JOB) == 2
    assert services.course_waitlist_expire(course_id=course.pk, actor=TEST_JOB) == 0
    for enrollment in queue:
        enrollment.refresh_from_db()
        assert enrollment.cancel_reason == CancelReason.WAITLIST_EXPIRED
    assert Enrollment.objects.get(pk=seat.pk).status == EnrollmentStatus.CONFIRMED
    assert OutboxEmail.objects.filter(dedup_key__startswith="course-waitlist-expired:").count() == 2
