from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from jeonju_center.common.models import OutboxEmail
from jeonju_center.common.outbox import outbox_enqueue, outbox_send
from jeonju_center.common.tasks import flush_outbox

pytestmark = pytest.mark.django_db


def enqueue(key="enrollment-confirmed:1", **overrides):
    return outbox_enqueue(
        dedup_key=key,
        to="minji@example.com",
        subject="[전주도시혁신센터] 수강신청이 확정되었습니다",
        body="본문",
        attachments=[{"filename": "course.ics", "content": "BEGIN:VCALENDAR", "mimetype": "text/calendar"}],
        **overrides,
    )


def test_enqueued_email_is_sent_once_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enqueue()
        enqueue()  # the same event again: nothing new
    assert OutboxEmail.objects.count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["minji@example.com"]
    assert message.attachments[0][0] == "course.ics"
    email = OutboxEmail.objects.get()
    assert (email.status, email.attempts) == (OutboxEmail.Status.SENT, 1)

    assert outbox_send(email_id=email.pk) is False  # a retried task sends nothing
    assert len(mail.outbox) == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        enqueue()
        raise RuntimeError("the enrolment failed")
    assert OutboxEmail.objects.count() == 0
    assert mail.outbox == []


def test_a_failed_send_is_recorded_and_the_flush_sends_it_later(settings, monkeypatch):
    email = enqueue()

    def broken_send(self, fail_silently=False):
        raise SMTPServerDisconnected("SMTP down")

    from django.core.mail import EmailMultiAlternatives

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken_send)
    with pytest.raises(SMTPServerDisconnected):
        outbox_send(email_id=email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.PENDING, 1)
    assert "SMTP down" in email.last_error

    monkeypatch.undo()
    OutboxEmail.objects.filter(pk=email.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert flush_outbox() == 1
    assert flush_outbox() == 0
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.SENT, 2)
    assert len(mail.outbox) == 1


def test_broker_down_keeps_the_change_and_the_email_waits_for_the_flush(
    django_capture_on_commit_callbacks, monkeypatch
):
    from jeonju_center.common import tasks

    def broker_down(*args, **kwargs):
        raise OSError("Error 111 connecting to redis")

    monkeypatch.setattr(tasks.send_outbox_email, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        email = enqueue()
    assert OutboxEmail.objects.get(pk=email.pk).status == OutboxEmail.Status.PENDING
    assert mail.outbox == []

    assert flush_outbox() == 0  # too recent: its task may still be on its way
    OutboxEmail.objects.filter(pk=email.pk).update(created_at=timezone.now() - timedelta(minutes=2))
    assert flush_outbox() == 1
    assert len(mail.outbox) == 1


def test_a_send_interrupted_by_a_crash_is_never_repeated_automatically(django_capture_on_commit_callbacks):
    from jeonju_center.common.outbox import outbox_resend

    email = enqueue()
    # A worker claimed the row and died before it could record the result.
    OutboxEmail.objects.filter(pk=email.pk).update(
        status=OutboxEmail.Status.SENDING, created_at=timezone.now() - timedelta(hours=1)
    )
    assert outbox_send(email_id=email.pk) is False
    assert flush_outbox() == 0
    assert mail.outbox == []

    # Staff checked with the recipient and send it again.
    assert outbox_resend(email_ids=[email.pk]) == 1
    assert flush_outbox() == 1
    assert len(mail.outbox) == 1
    assert OutboxEmail.objects.get(pk=email.pk).status == OutboxEmail.Status.SENT
