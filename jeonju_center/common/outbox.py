"""Transactional e-mail: ``outbox_enqueue()`` inside the transaction that causes the e-mail,
``outbox_send()`` from the Celery task (and from the periodic flush)."""

import logging
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import connections, router, transaction
from django.utils import timezone

from .models import OutboxEmail

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def outbox_enqueue(*, dedup_key, to, subject, body, html_body="", attachments=(), headers=None):
    """Queue an e-mail once per ``dedup_key`` (e.g. ``"enrollment-promoted:42"``); returns the row.

    ``attachments``: ``[{"filename": "course.ics", "content": "...", "mimetype": "text/calendar"}]``.
    The task is sent only after the surrounding transaction commits.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    fields = {
        "to": recipients,
        "subject": subject,
        "body": body,
        "html_body": html_body,
        "attachments": list(attachments),
        "headers": headers or {},
    }
    using = router.db_for_write(OutboxEmail)
    if connections[using].vendor == "postgresql":
        email = OutboxEmail(dedup_key=dedup_key, **fields)
        created = _insert_unless_queued(email, using)
        if not created:
            email = OutboxEmail.objects.using(using).get(dedup_key=dedup_key)
    else:
        email, created = OutboxEmail.objects.get_or_create(dedup_key=dedup_key, defaults=fields)
    if created:
        transaction.on_commit(lambda: _dispatch(email.pk))
    return email


def _insert_unless_queued(email, using):
    """``INSERT … ON CONFLICT (dedup_key) DO NOTHING RETURNING id``: one statement where ``get_or_create`` sends
    four (SELECT, SAVEPOINT, INSERT, RELEASE). E-mails are queued inside the transactions that cause them, such
    as an enrolment holding its course's lock, which every other applicant waits for. True when this call
    wrote the row (``email`` then has its id)."""
    connection = connections[using]
    meta = OutboxEmail._meta
    fields = [field for field in meta.concrete_fields if not field.primary_key]
    values = [field.get_db_prep_save(field.pre_save(email, True), connection) for field in fields]
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({quote(meta.get_field('dedup_key').column)}) DO NOTHING RETURNING {quote(meta.pk.column)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        row = cursor.fetchone()
    if row is None:
        return False
    email.pk = row[0]
    email._state.adding = False
    email._state.db = using
    return True


def _dispatch(email_id):
    from .tasks import send_outbox_email

    try:
        send_outbox_email.delay(email_id)
    except Exception:
        # The change that caused the e-mail is committed; the periodic flush sends it when the broker is back.
        logger.warning("Could not queue outbox e-mail %s now; the periodic flush will send it.", email_id)


def outbox_send(*, email_id):
    """Send one outbox e-mail unless it was sent (or is being sent) already. True when this call sent it.

    The row is claimed in its own transaction before the message goes out, so a duplicated task, a retry
    or a restarted worker never sends it twice. A failure puts it back to "pending" (the error and the
    attempt are recorded) and is re-raised so the task can retry. If the worker dies between the claim and
    the end of the send, the row stays "sending": nobody can know whether the message left, so it is not
    sent again automatically; staff see it in the admin and may resend it.
    """
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != OutboxEmail.Status.PENDING:
            return False
        email.status = OutboxEmail.Status.SENDING
        email.sending_started_at = timezone.now()
        email.attempts += 1
        email.save(update_fields=["status", "sending_started_at", "attempts"])
    try:
        _build_message(email).send()
    except Exception as error:
        OutboxEmail.objects.filter(pk=email_id).update(
            last_error=f"{type(error).__name__}: {error}"[:2000],
            status=OutboxEmail.Status.FAILED
            if email.attempts >= MAX_ATTEMPTS
            else OutboxEmail.Status.PENDING,
        )
        raise
    OutboxEmail.objects.filter(pk=email_id).update(status=OutboxEmail.Status.SENT, sent_at=timezone.now())
    return True


def outbox_resend(*, email_ids):
    """Staff decided that e-mails left "sending" or "failed" should go out (again). Returns how many.

    They are sent right after commit, as a new e-mail would be (or by the periodic flush if the broker is
    down), rather than waiting for the flush; the claim in ``outbox_send`` still sends each one once."""
    with transaction.atomic():
        ids = list(
            OutboxEmail.objects.select_for_update()
            .filter(pk__in=email_ids, status__in=[OutboxEmail.Status.SENDING, OutboxEmail.Status.FAILED])
            .values_list("pk", flat=True)
        )
        OutboxEmail.objects.filter(pk__in=ids).update(status=OutboxEmail.Status.PENDING, last_error="")
        for email_id in ids:
            transaction.on_commit(lambda email_id=email_id: _dispatch(email_id))
    return len(ids)


def _build_message(email):
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        headers=email.headers,
    )
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    for attachment in email.attachments:
        message.attach(attachment["filename"], attachment["content"], attachment.get("mimetype"))
    return message


def outbox_pending(*, older_than=timedelta(seconds=60)):
    """Ids of e-mails still waiting (not the ones just queued, whose task is probably running)."""
    cutoff = timezone.now() - older_than
    return list(
        OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )


def outbox_erase_recipient(*, email):
    """Delete every queued or sent e-mail addressed to ``email`` (a deleted account's mail: 개인정보 보호법
    §36·§21 — its text holds the person's name and courses). A message to several people loses only this
    address. Returns how many e-mails were deleted or changed."""
    wanted = email.strip().lower()
    if not wanted:
        return 0
    touched = 0
    with transaction.atomic():
        for outbox_email in OutboxEmail.objects.select_for_update().filter(to__icontains=wanted):
            kept = [address for address in outbox_email.to if parseaddr(address)[1].lower() != wanted]
            if len(kept) == len(outbox_email.to):
                continue  # the address only appears inside another one
            if kept:
                outbox_email.to = kept
                outbox_email.save(update_fields=["to"])
            else:
                outbox_email.delete()
            touched += 1
    return touched


def portal_url(path):
    """``path`` as a link for an e-mail: absolute with ``PORTAL_URL`` (e.g. "https://www.jjuic.kr"), else
    site-relative."""
    return f"{(getattr(settings, 'PORTAL_URL', '') or '').rstrip('/')}{path}"


def outbox_enqueue_letter(*, dedup_key, to, subject, paragraphs):
    """A plain-text letter from the center: the subject prefixed with the center's name, the paragraphs
    separated by blank lines, written in the portal's language (Korean) whatever the request's language."""
    from django.utils import translation
    from django.utils.translation import gettext as _

    with translation.override(settings.LANGUAGE_CODE):
        return outbox_enqueue(
            dedup_key=dedup_key,
            to=to,
            subject=f"[{_('전주도시혁신센터')}] {subject}",
            body="\n\n".join(str(paragraph) for paragraph in paragraphs),
        )
