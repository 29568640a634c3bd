"""A Celery worker is SIGKILLed in the middle of a task: the task runs again and its effect happens once.

Celery's delivery guarantees as the project configures them: ``acks_late`` (a message is acknowledged only
after its task ran), ``reject_on_worker_lost`` (a pool process that dies hands its task back at once) and
Redis's visibility timeout (a whole worker that dies gives its unacknowledged task to the next worker);
the tasks are idempotent, so a second run finishes the work without repeating what was done.

Each task is stopped at a chosen point without mocking anything: another connection holds a row lock the
task needs, or the row of the e-mail the task is about to queue (its insert waits on the unique key), or
the SMTP server keeps the message without answering. Then the worker is killed, and e-mails are counted
in a real SMTP server.

Covered elsewhere: the newsletter batch chain killed mid-send (``tests/news/test_exactly_once.py``).
"""

import os
import signal

import pytest

from courses.models import CancelReason, Enrollment, EnrollmentStatus
from courses.tasks import expire_course_waitlists, send_course_reminders
from jeonju_center.common.models import OutboxEmail
from jeonju_center.common.outbox import outbox_enqueue
from jeonju_center.common.tasks import send_outbox_email
from tests.courses.factories import EnrollmentFactory, future_course

from .conftest import OpenTransaction, wait_for, wait_until_settled

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

SEND_EMAIL = "jeonju_center.common.tasks.send_outbox_email"
# Long enough that a task waiting on the test's lock is still waiting when it is killed.
PATIENT = {"DB_LOCK_TIMEOUT_MS": 30000}
# A worker that dies entirely leaves its task unacknowledged in Redis; the next worker gets it after the
# visibility timeout (an hour in production, seconds here).
REDELIVER_AFTER = 3


def hold_email_slot(dedup_key):
    """Another transaction inserting the e-mail with this key: the task's own insert waits for it."""
    return OpenTransaction(
        lambda: OutboxEmail.objects.create(dedup_key=dedup_key, to=["x@example.com"], subject="-", body="-")
    )


def kill_pool_process(worker):
    """SIGKILL the prefork pool's process running the task (as the OOM killer would); the worker stays."""
    [pid] = worker.pool_processes()
    os.kill(pid, signal.SIGKILL)
    assert wait_for(lambda: "WorkerLostError" in worker.log(), timeout=15), worker.log()[-3000:]


def held_by_redis(private_redis):
    """Messages Redis still holds: handed out but not acknowledged, or waiting in the default queue."""
    client = private_redis.client()
    return client.hlen("unacked") + client.llen("celery")


def test_an_email_whose_pool_process_is_killed_before_sending_is_sent_once(celery_workers, smtp_sink):
    worker = celery_workers(**PATIENT)
    email = OutboxEmail.objects.create(
        dedup_key="faults:killed-before-claim", to=["first@example.com"], subject="한 번만", body="본문"
    )

    with OpenTransaction(lambda: list(OutboxEmail.objects.select_for_update().filter(pk=email.pk))):
        task = send_outbox_email.delay(email.pk)
        first = wait_for(lambda: worker.backends(waiting_on_lock=True), timeout=15)
        assert first, worker.log()[-3000:]
        kill_pool_process(worker)
        # The task is handed back and a new pool process takes it: it waits on the same row again.
        assert wait_for(lambda: set(worker.backends(waiting_on_lock=True)) - set(first), timeout=15)
        email.refresh_from_db()
        assert (email.status, email.attempts) == (OutboxEmail.Status.PENDING, 0)

    assert wait_for(
        lambda: OutboxEmail.objects.get(pk=email.pk).status == OutboxEmail.Status.SENT, timeout=20
    )
    wait_until_settled(smtp_sink.delivered_count)
    assert len(smtp_sink.delivered_to("first@example.com")) == 1
    assert smtp_sink.delivered_count() == 1
    assert OutboxEmail.objects.get(pk=email.pk).attempts == 1
    assert worker.received(SEND_EMAIL).count(task.id) >= 2


def test_an_email_whose_worker_dies_during_smtp_is_not_sent_twice_and_waits_for_staff(
    celery_workers, smtp_sink, private_redis, admin_client
):
    """The documented limit: once a message is handed to SMTP nobody knows whether it left, so the row
    stays "sending" (shown to staff) rather than risk a second copy; staff resend it, and it goes once."""
    worker = celery_workers(redeliver_after=REDELIVER_AFTER)
    smtp_sink.hold()
    email = outbox_enqueue(
        dedup_key="faults:killed-mid-smtp", to="second@example.com", subject="확인", body="본문"
    )

    assert wait_for(lambda: smtp_sink.arrived, timeout=15), worker.log()[-3000:]
    [task_id] = worker.received(SEND_EMAIL)
    worker.kill()
    assert wait_for(lambda: smtp_sink.cut_off, timeout=10)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.SENDING, 1)
    assert held_by_redis(private_redis) == 1

    smtp_sink.let_go()
    replacement = celery_workers(redeliver_after=REDELIVER_AFTER)
    # Redis hands the dead worker's task to the new one, which runs it and sends nothing.
    assert wait_for(lambda: task_id in replacement.received(SEND_EMAIL), timeout=20), replacement.log()[
        -3000:
    ]
    assert wait_for(lambda: f"{SEND_EMAIL}[{task_id}] succeeded" in replacement.log(), timeout=15)
    assert wait_for(lambda: held_by_redis(private_redis) == 0, timeout=10)
    assert smtp_sink.delivered == []
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.SENDING, 1)

    # Staff find it under "발송 중 (확인 필요)" and resend it with the admin action.
    changelist = "/admin/common/outboxemail/"
    listed = admin_client.get(changelist, {"status__exact": OutboxEmail.Status.SENDING})
    assert listed.status_code == 200
    assert listed.context["cl"].result_count == 1
    response = admin_client.post(changelist, {"action": "resend", "_selected_action": [email.pk]})
    assert response.status_code == 302

    assert wait_for(
        lambda: OutboxEmail.objects.get(pk=email.pk).status == OutboxEmail.Status.SENT, timeout=20
    )
    wait_until_settled(smtp_sink.delivered_count)
    assert len(smtp_sink.delivered_to("second@example.com")) == 1
    assert smtp_sink.delivered_count() == 1
    assert OutboxEmail.objects.get(pk=email.pk).attempts == 2


def test_the_reminder_job_killed_halfway_reminds_everyone_exactly_once(
    celery_workers, smtp_sink, private_redis
):
    env = {**PATIENT, "COURSE_REMINDER_HOURS": 48, "redeliver_after": REDELIVER_AFTER}
    worker = celery_workers(**env)
    course = future_course(first_session_in_days=1, sessions=1)
    seats = EnrollmentFactory.create_batch(3, course=course, status=EnrollmentStatus.CONFIRMED)
    waiting = EnrollmentFactory(course=course, status=EnrollmentStatus.WAITING)

    with hold_email_slot(f"course-reminder:{seats[1].pk}"):
        task = send_course_reminders.delay()
        assert wait_for(lambda: worker.backends(waiting_on_lock=True), timeout=15), worker.log()[-3000:]
        worker.kill()
    # The first reminder was committed before the worker died; the second died with it.
    reminded = Enrollment.objects.filter(course=course, reminder_sent_at__isnull=False)
    assert list(reminded.values_list("pk", flat=True)) == [seats[0].pk]
    assert held_by_redis(private_redis) == 2  # the job itself, and the e-mail task of the first reminder

    replacement = celery_workers(**env)
    assert wait_for(
        lambda: task.id in replacement.received("courses.tasks.send_course_reminders"), timeout=20
    )
    emails = OutboxEmail.objects.filter(dedup_key__startswith="course-reminder:")
    assert wait_for(lambda: emails.filter(status=OutboxEmail.Status.SENT).count() == 3, timeout=20)
    wait_until_settled(smtp_sink.delivered_count)

    for seat in seats:
        seat.refresh_from_db()
        assert seat.reminder_sent_at is not None
        [message] = smtp_sink.delivered_to(seat.user.email)
        assert "강좌가 곧 시작합니다" in message["Subject"]
    assert smtp_sink.delivered_to(waiting.user.email) == []
    assert smtp_sink.delivered_count() == 3
    assert set(emails.values_list("dedup_key", flat=True)) == {f"course-reminder:{seat.pk}" for seat in seats}
    assert set(emails.values_list("attempts", flat=True)) == {1}


def test_waitlist_expiry_killed_mid_transaction_expires_each_waiting_person_once(celery_workers, smtp_sink):
    worker = celery_workers(**PATIENT)
    course = future_course(first_session_in_days=-1, sessions=1)  # started yesterday
    seats = EnrollmentFactory.create_batch(2, course=course, status=EnrollmentStatus.CONFIRMED)
    queue = EnrollmentFactory.create_batch(3, course=course, status=EnrollmentStatus.WAITING)

    with hold_email_slot(f"course-waitlist-expired:{queue[1].pk}"):
        task = expire_course_waitlists.delay()
        first = wait_for(lambda: worker.backends(waiting_on_lock=True), timeout=15)
        assert first, worker.log()[-3000:]
        # The task has cancelled the first person waiting and queued their e-mail, uncommitted: killed now.
        kill_pool_process(worker)
        assert wait_for(lambda: set(worker.backends(waiting_on_lock=True)) - set(first), timeout=15)

    emails = OutboxEmail.objects.filter(dedup_key__startswith="course-waitlist-expired:")
    assert wait_for(lambda: emails.filter(status=OutboxEmail.Status.SENT).count() == 3, timeout=20)
    wait_until_settled(smtp_sink.delivered_count)

    for enrollment in queue:
        enrollment.refresh_from_db()
        assert (enrollment.status, enrollment.cancel_reason) == (
            EnrollmentStatus.CANCELLED,
            CancelReason.WAITLIST_EXPIRED,
        )
        [message] = smtp_sink.delivered_to(enrollment.user.email)
        assert "대기 신청이 마감되었습니다" in message["Subject"]
    for seat in seats:
        seat.refresh_from_db()
        assert seat.status == EnrollmentStatus.CONFIRMED
    assert smtp_sink.delivered_count() == 3
    assert set(emails.values_list("attempts", flat=True)) == {1}
    assert worker.received("courses.tasks.expire_course_waitlists").count(task.id) >= 2
