"""E-mails about enrolments (issue 3, item 4): Korean text, .ics with an alarm, sent once, after commit,
and still sent when the broker was down; the reminder job sends once."""

import datetime
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone, translation
from icalendar import Calendar

from courses import services, tasks
from courses.models import CourseStatus, Enrollment, EnrollmentStatus
from jeonju_center.common.models import OutboxEmail
from jeonju_center.common.tasks import flush_outbox, send_outbox_email
from tests.actors import TEST_JOB

from .factories import CourseSessionFactory, UserFactory, future_course

pytestmark = pytest.mark.django_db


def enroll(course, user=None):
    return services.enrollment_create(
        course=course, user=user or UserFactory(), consent_version="2026-11-01", actor=TEST_JOB
    )


def ics_of(message):
    [attachment] = [a for a in message.attachments if a[0].endswith(".ics")]
    return Calendar.from_ical(attachment[1])


def test_confirmation_is_korean_sent_after_commit_with_the_sessions_and_an_alarm(
    django_capture_on_commit_callbacks,
):
    course = future_course(title="협동조합 설립 실무", sessions=3, place="전주도시혁신센터 2층")
    user = UserFactory(name="김민지", email="minji@example.com")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        enroll(course, user)
    assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == ["minji@example.com"]
    assert message.subject == "[전주도시혁신센터] 수강신청이 확정되었습니다: 협동조합 설립 실무"
    assert "김민지 님" in message.body and "전주도시혁신센터 2층" in message.body
    assert "/courses/" in message.body and "/me/" in message.body
    events = ics_of(message).walk("VEVENT")
    assert len(events) == 3
    alarm = events[0].walk("VALARM")[0]
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm.decoded("TRIGGER") == -timedelta(hours=1)


def test_waiting_and_promotion_emails(django_capture_on_commit_callbacks):
    course = future_course(title="마을 예산 이해하기", capacity=1, waitlist_limit=3)
    seat = enroll(course)
    with django_capture_on_commit_callbacks(execute=True):
        waiting = enroll(course, UserFactory(email="wait@example.com"))
    assert mail.outbox[-1].subject == "[전주도시혁신센터] 대기 1번으로 신청되었습니다: 마을 예산 이해하기"
    assert "대기 1번으로 신청되었습니다" in mail.outbox[-1].body
    # The seat is not theirs yet: the calendar says so, in the status and in the title.
    tentative = ics_of(mail.outbox[-1]).walk("VEVENT")
    assert [str(event["STATUS"]) for event in tentative] == ["TENTATIVE", "TENTATIVE"]
    assert all(str(event["SUMMARY"]).startswith("[대기] 마을 예산 이해하기") for event in tentative)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrollment_cancel(enrollment=seat, actor=TEST_JOB)
    promoted = [m for m in mail.outbox if m.to == ["wait@example.com"]][-1]
    assert (
        promoted.subject == "[전주도시혁신센터] 대기하시던 강좌의 수강이 확정되었습니다: 마을 예산 이해하기"
    )
    confirmed = ics_of(promoted).walk("VEVENT")
    assert [str(event["STATUS"]) for event in confirmed] == ["CONFIRMED", "CONFIRMED"]
    assert not any(str(event["SUMMARY"]).startswith("[대기]") for event in confirmed)
    # The same event ids, so importing the confirmation replaces the tentative entries.
    assert [event["UID"] for event in confirmed] == [event["UID"] for event in tentative]
    assert Enrollment.objects.get(pk=waiting.pk).status == EnrollmentStatus.CONFIRMED


def test_course_cancelled_and_changed_emails(django_capture_on_commit_callbacks):
    staff = UserFactory(is_staff=True)
    course = future_course(title="집수리 기초 실습")
    enroll(course, UserFactory(email="a@example.com"))
    with django_capture_on_commit_callbacks(execute=True):
        services.course_change_notify(course=course, actor=staff, message="2회차가 목요일로 바뀝니다.")
    assert mail.outbox[-1].subject == "[전주도시혁신센터] 강좌 안내가 변경되었습니다: 집수리 기초 실습"
    assert "목요일" in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        services.course_cancel(course=course, actor=staff, reason="신청 인원 부족")
    message = mail.outbox[-1]
    assert message.subject == "[전주도시혁신센터] 강좌가 폐강되었습니다: 집수리 기초 실습"
    assert "신청 인원 부족" in message.body
    assert all(event["STATUS"] == "CANCELLED" for event in ics_of(message).walk("VEVENT"))


def test_emails_are_korean_even_from_an_english_request(django_capture_on_commit_callbacks):
    course = future_course(title="사회적경제 입문")
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        enroll(course)
    assert mail.outbox[-1].subject.startswith("[전주도시혁신센터] 수강신청이 확정되었습니다")


def test_no_email_without_an_address():
    enroll(future_course(), UserFactory(email=""))
    assert OutboxEmail.objects.count() == 0
    assert Enrollment.objects.count() == 1


def test_a_retried_send_task_sends_once(django_capture_on_commit_callbacks):
    enroll(future_course())
    email = OutboxEmail.objects.get()
    send_outbox_email.apply(args=(email.pk,))
    send_outbox_email.apply(args=(email.pk,))
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.SENT, 1)


def test_broker_down_keeps_the_enrollment_and_the_flush_sends_the_email_once(
    django_capture_on_commit_callbacks, monkeypatch
):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("redis is down")

    monkeypatch.setattr(send_outbox_email, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        enrollment = enroll(future_course())
    assert Enrollment.objects.get(pk=enrollment.pk).status == EnrollmentStatus.CONFIRMED
    assert mail.outbox == []
    assert OutboxEmail.objects.get().status == OutboxEmail.Status.PENDING

    OutboxEmail.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert flush_outbox() == 1
    assert flush_outbox() == 0
    assert len(mail.outbox) == 1


def starting_in(hours, **kwargs):
    """A course whose only session starts ``hours`` from now (on the hour, local time)."""
    start = (timezone.localtime() + timedelta(hours=hours)).replace(minute=0, second=0, microsecond=0)
    course = future_course(sessions=0, **kwargs)
    end = min(
        datetime.datetime.combine(start.date(), datetime.time(23, 59)),
        start.replace(tzinfo=None) + timedelta(hours=1),
    )
    CourseSessionFactory(course=course, date=start.date(), start_time=start.time(), end_time=end.time())
    return course


def test_reminder_job_sends_once_to_confirmed_people_of_courses_starting_soon(
    django_capture_on_commit_callbacks, settings
):
    settings.COURSE_REMINDER_HOURS = 24
    soon = starting_in(10, title="곧 시작", capacity=1, waitlist_limit=2)
    seat = enroll(soon, UserFactory(email="seat@example.com"))
    enroll(soon, UserFactory(email="waiting@example.com"))
    later = starting_in(24 * 4, title="나중에 시작")
    enroll(later, UserFactory(email="later@example.com"))
    cancelled = starting_in(5, title="폐강")
    enroll(cancelled, UserFactory(email="cancelled@example.com"))
    cancelled.status = CourseStatus.CANCELLED
    cancelled.save()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_course_reminders() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_course_reminders() == 0
        assert tasks.send_enrollment_reminder(seat.pk) is False
    [message] = mail.outbox
    assert message.to == ["seat@example.com"]
    assert message.subject == "[전주도시혁신센터] 강좌가 곧 시작합니다: 곧 시작"
    assert len(ics_of(message).walk("VALARM")) == 1

    settings.COURSE_REMINDER_HOURS = 24 * 5
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.send_course_reminders() == 1
    assert mail.outbox[-1].to == ["later@example.com"]


def test_waitlist_expiry_job_tells_those_still_waiting_once(django_capture_on_commit_callbacks):
    course = future_course(capacity=1, waitlist_limit=3, sessions=0)
    CourseSessionFactory(course=course, date=timezone.localdate() + timedelta(days=2))
    enroll(course)
    waiting = enroll(course, UserFactory(email="w@example.com"))
    assert tasks.expire_course_waitlists() == 0
    course.sessions.update(date=timezone.localdate() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.expire_course_waitlists() == 1
        assert tasks.expire_course_waitlists() == 0
    assert Enrollment.objects.get(pk=waiting.pk).cancel_reason == Enrollment.CancelReason.WAITLIST_EXPIRED
    assert [m.subject for m in mail.outbox if m.to == ["w@example.com"]][-1].startswith(
        "[전주도시혁신센터] 대기 신청이 마감되었습니다"
    )


@pytest.mark.redis
@pytest.mark.postgres
def test_a_real_worker_sends_an_enrollment_email_once_even_when_the_task_runs_twice(
    celery_worker_process, monkeypatch
):
    from kombu import pools

    from jeonju_center.celery import app
    from jeonju_center.common import outbox

    # The shared fixture closes kombu's connection/producer pools, and this Celery/kombu (5.7) then
    # refuses to publish ("Acquire on closed pool"): start fresh pools, as Celery does after a fork.
    pools.reset()
    app._after_fork()

    # The enrolment commits while the after-commit dispatch is lost (as with a broker outage); the task
    # is then delivered twice to a real worker on Redis, as a redelivery after a worker crash would.
    monkeypatch.setattr(outbox, "_dispatch", lambda email_id: None)
    enrollment = enroll(future_course())
    email = OutboxEmail.objects.get(dedup_key=f"course-enrollment-confirmed:{enrollment.pk}")
    celery_worker_process(send_outbox_email, email.pk)
    celery_worker_process(send_outbox_email, email.pk)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        email.refresh_from_db()
        if email.status == OutboxEmail.Status.SENT:
            break
        time.sleep(0.3)
    time.sleep(2)  # give the duplicate task time to run too
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.SENT, 1)
