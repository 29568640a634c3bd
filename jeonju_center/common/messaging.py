"""The 알림톡/SMS channel of the outbox: ``message_enqueue()`` inside the transaction that causes the notice,
``message_send()`` from the Celery task and from the periodic flush.

Same guarantees as the e-mail outbox (``outbox.py``): one row per ``dedup_key``, dispatched after commit,
claimed ("sending", committed) before the provider is called, so a retried, duplicated or redelivered task
never sends a message twice; a message whose fate is unknown (worker killed mid-send, provider silent) stays
"sending" for staff to check.

Night-time rule: a notice that is not time-critical is not sent between 21:00 and 08:00 (Korea time); it
waits for 08:00 (``not_before``) and the flush sends it then. Whether a person gets a notice at all — a
verified number, the event chosen — is decided by the caller (``jeonju_center.accounts.messaging``).
"""

import datetime
import logging
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .center import center_contact
from .message_backends import (
    AlimtalkUndeliverable,
    MessageNotSent,
    MessageRejected,
    MessageUncertain,
    message_backend,
)
from .models import OutboxMessage

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
KOREA = ZoneInfo("Asia/Seoul")
# An SMS carries 90 bytes of EUC-KR (45 Korean letters); anything longer goes as LMS.
SMS_MAX_BYTES = 90


def quiet_hours():
    """(start hour, end hour) of the night in Korea time when only time-critical notices go out."""
    return tuple(getattr(settings, "MESSAGE_QUIET_HOURS", (21, 8)))


def quiet_until(moment):
    """The end of the night (08:00 KST) if ``moment`` falls in the quiet hours, else None."""
    start, end = quiet_hours()
    local = moment.astimezone(KOREA)
    if local.hour >= start:
        day = local.date() + datetime.timedelta(days=1)
    elif local.hour < end:
        day = local.date()
    else:
        return None
    return datetime.datetime.combine(day, datetime.time(end), tzinfo=KOREA)


def message_enqueue(
    *, dedup_key, phone, event, text, user=None, variables=None, time_critical=False, send_by=None, now=None
):
    """Queue one notice once per ``dedup_key``; returns the row. Sent after the surrounding transaction
    commits — at once, or at 08:00 when queued at night and not time-critical; never after ``send_by``."""
    now = now or timezone.now()
    message, created = OutboxMessage.objects.get_or_create(
        dedup_key=dedup_key,
        defaults={
            "user": user,
            "phone": phone,
            "event": event,
            "template_id": getattr(settings, "MESSAGE_TEMPLATES", {}).get(event, ""),
            "variables": variables or {},
            "text": text,
            "time_critical": time_critical,
            "not_before": None if time_critical else quiet_until(now),
            "send_by": send_by,
        },
    )
    if created and message.not_before is None:
        transaction.on_commit(lambda: _dispatch(message.pk))
    return message


def _dispatch(message_id):
    from .tasks import send_outbox_message

    try:
        send_outbox_message.delay(message_id)
    except Exception:
        logger.warning("Could not queue outbox message %s now; the periodic flush will send it.", message_id)


def text_kind(text):
    return "sms" if len(text.encode("cp949", errors="replace")) <= SMS_MAX_BYTES else "lms"


def message_send(*, message_id, now=None):
    """Send one queued notice unless it was sent, is being sent, was cancelled or must wait for the morning
    (one past its ``send_by`` is cancelled instead). True when this call sent it.

    Tries 알림톡 when the event has an approved template, and SMS/LMS when there is none or KakaoTalk cannot
    carry it. A provider that certainly did not take the message puts the row back to "pending" and the error
    is re-raised for the task to retry; a refusal marks it "failed"; an unknown outcome leaves it "sending".
    """
    now = now or timezone.now()
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status != OutboxMessage.Status.PENDING:
            return False
        if message.not_before and message.not_before > now:
            return False
        if message.send_by and message.send_by <= now:
            message.status = OutboxMessage.Status.CANCELLED
            message.last_error = "expired: not sent after its deadline"
            message.save(update_fields=["status", "last_error"])
            return False
        held_until = None if message.time_critical else quiet_until(now)
        if held_until:
            # Queued in the day but its turn came at night (a backlog, a broker outage): wait for the morning.
            message.not_before = held_until
            message.save(update_fields=["not_before"])
            return False
        message.status = OutboxMessage.Status.SENDING
        message.sending_started_at = now
        message.attempts += 1
        message.save(update_fields=["status", "sending_started_at", "attempts"])
    try:
        channel, provider_id = _deliver(message)
    except MessageNotSent as error:
        _record_failure(message, error, give_up=message.attempts >= MAX_ATTEMPTS)
        raise
    except MessageRejected as error:
        _record_failure(message, error, give_up=True)
        return False
    except MessageUncertain as error:
        OutboxMessage.objects.filter(pk=message.pk).update(last_error=_describe(error))
        logger.warning("Outbox message %s may or may not have been sent: %s", message.pk, error)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.SENT,
        channel=channel,
        provider_message_id=provider_id[:100],
        sent_at=timezone.now(),
        last_error="",
    )
    return True


def _deliver(message):
    backend = message_backend()
    if message.template_id:
        try:
            provider_id = backend.send_alimtalk(
                to=message.phone,
                template_id=message.template_id,
                variables=message.variables,
                text=message.text,
            )
            return OutboxMessage.Channel.ALIMTALK, provider_id
        except AlimtalkUndeliverable as reason:
            logger.info("알림톡 %s undeliverable (%s); sending it as a text message.", message.pk, reason)
    kind = text_kind(message.text)
    subject = str(center_contact()["name"]) if kind == "lms" else ""
    provider_id = backend.send_text(to=message.phone, text=message.text, kind=kind, subject=subject)
    return OutboxMessage.Channel(kind), provider_id


def _describe(error):
    return f"{type(error).__name__}: {error}"[:2000]


def _record_failure(message, error, *, give_up):
    OutboxMessage.objects.filter(pk=message.pk).update(
        last_error=_describe(error),
        status=OutboxMessage.Status.FAILED if give_up else OutboxMessage.Status.PENDING,
    )


def messages_due(*, now=None, older_than=datetime.timedelta(seconds=60)):
    """Ids of notices to send now: ones whose task was lost (queued over a minute ago) and the ones held
    for the morning whose time has come."""
    now = now or timezone.now()
    return list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
        .filter(Q(not_before__isnull=True, created_at__lte=now - older_than) | Q(not_before__lte=now))
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )


def messages_resend(*, message_ids):
    """Staff checked with the provider that notices left "sending" (or "failed") did not arrive and want them
    sent. Returns how many; each is still sent once."""
    with transaction.atomic():
        ids = list(
            OutboxMessage.objects.select_for_update()
            .filter(
                pk__in=message_ids, status__in=[OutboxMessage.Status.SENDING, OutboxMessage.Status.FAILED]
            )
            .values_list("pk", flat=True)
        )
        OutboxMessage.objects.filter(pk__in=ids).update(status=OutboxMessage.Status.PENDING, last_error="")
        for message_id in ids:
            transaction.on_commit(lambda message_id=message_id: _dispatch(message_id))
    return len(ids)


def messages_cancel(*, user_id, events=None, keep_phone=None):
    """Cancel the notices still waiting for ``user_id`` (the number changed or lost its verification, or
    the person turned these ``events`` off): nothing goes to a number that is no longer theirs or that no
    longer wants them. Notices to ``keep_phone`` are kept. Returns how many were cancelled."""
    waiting = OutboxMessage.objects.filter(user_id=user_id, status=OutboxMessage.Status.PENDING)
    if events is not None:
        waiting = waiting.filter(event__in=list(events))
    if keep_phone:
        waiting = waiting.exclude(phone=keep_phone)
    return waiting.update(status=OutboxMessage.Status.CANCELLED, last_error="")
