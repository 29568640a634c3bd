from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from .message_backends import MessageNotSent
from .messaging import message_send, messages_due
from .models import ServiceHeartbeat
from .outbox import outbox_pending, outbox_send


@shared_task
def record_heartbeat(component):
    """Note that a background component is alive; idempotent (one row per component)."""
    ServiceHeartbeat.objects.update_or_create(component=component, defaults={"last_seen": timezone.now()})


@shared_task(autoretry_for=(SMTPException, OSError), retry_backoff=30, retry_backoff_max=600, max_retries=6)
def send_outbox_email(email_id):
    """Send one queued e-mail; running it again after success sends nothing."""
    return outbox_send(email_id=email_id)


@shared_task(autoretry_for=(MessageNotSent,), retry_backoff=30, retry_backoff_max=600, max_retries=6)
def send_outbox_message(message_id):
    """Send one queued 알림톡/SMS; running it again after success (or after a send of unknown outcome)
    sends nothing."""
    return message_send(message_id=message_id)


@shared_task
def flush_outbox():
    """Send e-mails and notices whose task was lost (broker down when they were queued, worker killed), and
    the notices held overnight once it is 08:00."""
    sent = 0
    for email_id in outbox_pending():
        try:
            sent += bool(outbox_send(email_id=email_id))
        except (SMTPException, OSError):
            continue  # recorded on the row; tried again at the next flush
    for message_id in messages_due():
        try:
            sent += bool(message_send(message_id=message_id))
        except MessageNotSent:
            continue
    return sent


@shared_task
def apply_retention_policies():
    """Anonymise or delete personal data past its retention period; returns the counts per policy.

    Each policy only processes records it has not processed yet, so a rerun (or a redelivered task after a
    worker crash) changes nothing more."""
    from .retention import apply_retention_policies as apply_all

    return apply_all()


@shared_task
def send_access_log_report():
    """The monthly access-log report to the reviewers (the 1st of the month); sent once per month, so a
    rerun or a redelivered task adds nothing. Returns the outbox e-mail's id, or None."""
    from .access_log import access_log_report_send

    email = access_log_report_send()
    return email.pk if email else None
