"""Writes of news and the newsletter. The admin, the public views and the tasks all call these."""

import datetime
import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from jeonju_center.common.actors import writes
from jeonju_center.common.models import OutboxEmail
from jeonju_center.common.outbox import outbox_enqueue

from . import selectors
from .models import (
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterItem,
    NewsPost,
    PublicationAttachment,
    PublicationDownload,
    Subscriber,
)
from .richtext import clean_rich_text
from .sections import newsletter_section, newsletter_sections

logger = logging.getLogger(__name__)

# The version of the newsletter's personal-data notice (이메일 수집·이용 동의); bump it when the text changes.
NEWSLETTER_TERMS_VERSION = "2026-11-01"
CONFIRMATION_VALID_DAYS = 7
# A pending subscriber asking again within this time gets no second e-mail (stops mail-bombing a stranger).
CONFIRMATION_RESEND_AFTER = datetime.timedelta(minutes=10)
BATCH_SIZE = 200
# The per-subscriber link is put in when each e-mail is written; the rest is rendered once per issue.
UNSUBSCRIBE_MARKER = "__NEWSLETTER_UNSUBSCRIBE_URL__"


def absolute_url(base_url, path):
    return f"{(base_url or '').rstrip('/')}{path}"


# --- News -------------------------------------------------------------------------------------------


@writes(NewsPost)
@transaction.atomic
def news_post_save(*, post, actor):
    """Sanitise the body, validate and save ``post`` (new or changed); a published post without a publish
    time is published now."""
    post.title = (post.title or "").strip()
    post.summary = (post.summary or "").strip()
    post.image_alt = (post.image_alt or "").strip()
    post.body = clean_rich_text(post.body, field="body")
    if not post.body:
        raise ValidationError(
            {"body": _("본문을 입력하세요. (허용되지 않는 태그만 있으면 모두 지워집니다.)")}
        )
    if post.image and not post.image_alt:
        raise ValidationError({"image_alt": _("대표 이미지가 있으면 대체 텍스트를 입력해야 합니다.")})
    if post.status == NewsPost.Status.PUBLISHED and post.published_at is None:
        post.published_at = timezone.now()
    if actor.user is not None and post.author_id is None:
        post.author = actor.user
    post.full_clean()
    post.save()
    return post


# --- Subscription (double opt-in) ---------------------------------------------------------------------


def _new_token():
    return secrets.token_urlsafe(32)


def _send_confirmation(subscriber, *, base_url):
    subscriber.token = _new_token()
    subscriber.confirmation_sent_at = timezone.now()
    subscriber.confirmation_count += 1
    subscriber.save(update_fields=["token", "confirmation_sent_at", "confirmation_count", "updated_at"])
    context = {
        "confirm_url": absolute_url(base_url, reverse("news:subscribe_confirm", args=[subscriber.token])),
        "valid_days": CONFIRMATION_VALID_DAYS,
    }
    outbox_enqueue(
        dedup_key=f"newsletter-confirm:{subscriber.pk}:{subscriber.confirmation_count}",
        to=subscriber.email,
        subject=_("[전주도시혁신센터] 뉴스레터 구독을 확인해 주세요"),
        body=render_to_string("news/email/confirm_subscription.txt", context),
        html_body=render_to_string("news/email/confirm_subscription.html", context),
    )


@writes(Subscriber)
@transaction.atomic
def newsletter_subscribe(*, email, agreed, actor, ip_address=None, base_url=""):
    """Ask for a subscription: a confirmation e-mail goes out and nothing is sent until the link is used.

    Whatever the address's state, the caller shows the same answer, so the form does not reveal who is
    subscribed. Returns the subscriber row (or None when the address is already confirmed)."""
    email = (email or "").strip()
    if not agreed:
        raise ValidationError({"agree": _("개인정보(이메일) 수집·이용에 동의해야 구독할 수 있습니다.")})
    try:
        validate_email(email)
        if len(email) > Subscriber._meta.get_field("email").max_length:
            raise ValidationError("too long")
    except ValidationError as error:
        raise ValidationError({"email": _("올바른 이메일 주소를 입력하세요.")}) from error
    local, _at, domain = email.rpartition("@")
    email = f"{local}@{domain.lower()}"

    subscriber = Subscriber.objects.select_for_update().filter(email__iexact=email).first()
    if subscriber is None:
        try:
            with transaction.atomic():
                subscriber = Subscriber.objects.create(email=email, token=_new_token())
        except IntegrityError:
            # Someone subscribed the same address at the same moment: continue with that row.
            subscriber = Subscriber.objects.select_for_update().get(email__iexact=email)
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return None
    now = timezone.now()
    if (
        subscriber.status == Subscriber.Status.PENDING
        and subscriber.confirmation_sent_at
        and now - subscriber.confirmation_sent_at < CONFIRMATION_RESEND_AFTER
    ):
        return subscriber
    subscriber.status = Subscriber.Status.PENDING
    subscriber.consent_version = NEWSLETTER_TERMS_VERSION
    subscriber.consent_ip = ip_address
    subscriber.save(update_fields=["status", "consent_version", "consent_ip", "updated_at"])
    _send_confirmation(subscriber, base_url=base_url)
    return subscriber


def _subscriber_by_token(token):
    subscriber = Subscriber.objects.select_for_update().filter(token=token).first() if token else None
    if subscriber is None:
        raise ValidationError(_("유효하지 않은 링크입니다. 메일의 주소를 끝까지 복사했는지 확인해 주세요."))
    return subscriber


@writes(Subscriber)
@transaction.atomic
def newsletter_confirm(*, token, actor):
    """Confirm the subscription of the link's owner (idempotent: an already confirmed link stays fine)."""
    subscriber = _subscriber_by_token(token)
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return subscriber
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        raise ValidationError(_("구독을 해지한 주소입니다. 다시 받으시려면 구독을 새로 신청해 주세요."))
    sent_at = subscriber.confirmation_sent_at
    if sent_at is None or timezone.now() - sent_at > datetime.timedelta(days=CONFIRMATION_VALID_DAYS):
        raise ValidationError(
            _("확인 링크의 유효 기간({days}일)이 지났습니다. 구독을 다시 신청해 주세요.").format(
                days=CONFIRMATION_VALID_DAYS
            )
        )
    subscriber.status = Subscriber.Status.CONFIRMED
    subscriber.confirmed_at = timezone.now()
    subscriber.save(update_fields=["status", "confirmed_at", "updated_at"])
    return subscriber


@writes(Subscriber)
@transaction.atomic
def newsletter_unsubscribe(*, token, actor):
    """Stop every future newsletter to the link's owner (idempotent); deliveries not yet handed to the
    outbox are skipped by the batch task."""
    subscriber = _subscriber_by_token(token)
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at", "updated_at"])
    return subscriber


# --- Newsletter issues --------------------------------------------------------------------------------


def _locked_issue(issue_id):
    issue = NewsletterIssue.objects.select_for_update().filter(pk=issue_id).first()
    if issue is None:
        raise ValidationError(_("뉴스레터를 찾을 수 없습니다."))
    return issue


def _require_draft(issue):
    if issue.status != NewsletterIssue.Status.DRAFT:
        raise ValidationError(_("이미 발송을 시작한 뉴스레터는 고칠 수 없습니다. 새 호를 만들어 주세요."))


@writes(NewsletterIssue)
@transaction.atomic
def newsletter_issue_save(*, issue, actor):
    """Sanitise the intro, validate and save a draft issue (its chosen items are saved by the caller)."""
    if issue.pk:
        _require_draft(_locked_issue(issue.pk))
    issue.subject = (issue.subject or "").strip()
    issue.intro = clean_rich_text(issue.intro, field="intro")
    issue.full_clean()
    issue.save()
    return issue


def _items_set(issue, section, ids):
    content_type = ContentType.objects.get_for_model(section.model_class)
    ids = set(ids)
    chosen = issue.items.filter(content_type=content_type)
    chosen.exclude(object_id__in=ids).delete()
    kept = set(chosen.values_list("object_id", flat=True))
    NewsletterItem.objects.bulk_create(
        [NewsletterItem(issue=issue, content_type=content_type, object_id=pk) for pk in sorted(ids - kept)]
    )


@writes(NewsletterItem)
@transaction.atomic
def newsletter_issue_items_set(*, issue, section_key, objects, actor):
    """Make ``objects`` the items staff chose for the draft ``issue`` in the section ``section_key`` (a
    program's courses, products…: rows of the model the section names)."""
    section = newsletter_section(section_key)
    if section is None:
        raise ValidationError(_("뉴스레터에 넣을 수 없는 항목입니다."))
    objects = list(objects)
    if any(not isinstance(obj, section.model_class) or obj.pk is None for obj in objects):
        raise ValidationError(_("뉴스레터에 넣을 수 없는 항목입니다."))
    issue = _locked_issue(issue.pk)
    _require_draft(issue)
    _items_set(issue, section, [obj.pk for obj in objects])


@writes(NewsletterIssue, NewsletterItem)
@transaction.atomic
def newsletter_issue_autofill(*, issue_id, actor, news_limit=5):
    """Fill an empty part of a draft issue with what is recent: news of the last weeks and each program
    section's candidates (courses open for enrolment, the newest products…). Parts staff already chose are
    kept. Returns how many items each filled part got, by ``news`` and section key."""
    issue = _locked_issue(issue_id)
    _require_draft(issue)
    added = {}
    if not issue.news_posts.exists():
        ids = list(selectors.newsletter_candidate_news().values_list("pk", flat=True)[:news_limit])
        issue.news_posts.set(ids)
        added["news"] = len(ids)
    now = timezone.now()
    for section in newsletter_sections():
        if selectors.newsletter_issue_items(issue, section.key).exists():
            continue
        candidates = section.candidates(now=now).values_list("pk", flat=True)
        ids = list(candidates[: section.autofill_limit])
        _items_set(issue, section, ids)
        added[section.key] = len(ids)
    return added


def newsletter_render(*, issue, base_url, unsubscribe_url=UNSUBSCRIBE_MARKER):
    """(html, text) of ``issue`` as subscribers see it; raises when it has nothing to show."""
    content = selectors.newsletter_issue_content(issue)
    if not any(content.values()) and not issue.intro:
        raise ValidationError(_("머리말을 쓰거나 소식·강좌·제품을 하나 이상 골라 주세요."))
    context = {
        "issue": issue,
        **content,
        "base_url": (base_url or "").rstrip("/"),
        "unsubscribe_url": unsubscribe_url,
    }
    return (
        render_to_string("news/email/newsletter.html", context),
        render_to_string("news/email/newsletter.txt", context),
    )


def _unsubscribe_headers(unsubscribe_url):
    return {
        "List-Unsubscribe": f"<{unsubscribe_url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


@writes()
@transaction.atomic
def newsletter_send_test(*, issue_id, actor, base_url):
    """Send the issue as it is now to the staff member acting (``actor``) alone (marked as a test)."""
    user = actor.user
    issue = NewsletterIssue.objects.filter(pk=issue_id).first()
    if issue is None:
        raise ValidationError(_("뉴스레터를 찾을 수 없습니다."))
    if not user.email:
        raise ValidationError(_("계정에 이메일 주소가 없어 시험 발송을 할 수 없습니다."))
    unsubscribe_url = absolute_url(base_url, reverse("news:newsletter"))
    html, text = newsletter_render(issue=issue, base_url=base_url, unsubscribe_url=unsubscribe_url)
    return outbox_enqueue(
        dedup_key=f"newsletter-test:{issue.pk}:{user.pk}:{secrets.token_hex(8)}",
        to=user.email,
        subject=_("[시험 발송] {subject}").format(subject=issue.subject),
        body=text,
        html_body=html,
    )


@writes(NewsletterIssue, NewsletterDelivery)
@transaction.atomic
def newsletter_send_start(*, issue_id, actor, base_url):
    """Freeze the issue's content, write one delivery per confirmed subscriber and start the batches.

    Returns the number of recipients. Starting twice is refused (the issue is no longer a draft)."""
    issue = _locked_issue(issue_id)
    _require_draft(issue)
    if not any(selectors.newsletter_issue_content(issue).values()):
        # A greeting alone reaches every subscriber as an empty newsletter: a test send may, the real one not.
        raise ValidationError(
            _(
                "고른 소식·강좌·제품이 하나도 없어 보낼 수 없습니다. ‘최근 항목으로 채우기’를 누르거나 직접 골라 하나 이상 넣어 주세요."
            )
        )
    html, text = newsletter_render(issue=issue, base_url=base_url)
    subscriber_ids = list(selectors.confirmed_subscribers().order_by("pk").values_list("pk", flat=True))
    if not subscriber_ids:
        raise ValidationError(_("구독을 확인한 구독자가 없어 보낼 수 없습니다."))
    issue.rendered_html, issue.rendered_text = html, text
    issue.base_url = (base_url or "").rstrip("/")
    issue.status = NewsletterIssue.Status.SENDING
    issue.send_started_at = timezone.now()
    issue.sent_by = actor.user
    issue.save()
    NewsletterDelivery.objects.bulk_create(
        [NewsletterDelivery(issue=issue, subscriber_id=pk) for pk in subscriber_ids], batch_size=1000
    )
    transaction.on_commit(lambda: dispatch_batch(issue.pk))
    return len(subscriber_ids)


def dispatch_batch(issue_id, batch_size=None):
    from .tasks import send_newsletter_batch

    try:
        send_newsletter_batch.delay(issue_id, batch_size)
    except Exception:
        # The deliveries are committed; the periodic resume job continues when the broker is back.
        logger.warning("Could not queue newsletter batch of issue %s now; the resume job will.", issue_id)


@writes(NewsletterIssue, NewsletterDelivery)
@transaction.atomic
def newsletter_send_batch(*, issue_id, actor, batch_size=None):
    """Hand the next ``batch_size`` waiting deliveries of a sending issue to the outbox; returns how many
    it processed. Another batch is queued after commit while some wait; the last one marks the issue sent.

    The issue row lock makes concurrent or repeated batch tasks (a redelivered task after a worker died)
    run one after the other, and everything a batch writes commits together or not at all: a worker killed
    mid-batch leaves its deliveries waiting for the next run. The outbox ``dedup_key`` per issue and
    subscriber is the last guard: one e-mail per subscriber and issue, whatever happens."""
    batch_size = batch_size or BATCH_SIZE
    issue = NewsletterIssue.objects.select_for_update().filter(pk=issue_id).first()
    if issue is None or issue.status != NewsletterIssue.Status.SENDING:
        return 0
    batch = list(
        issue.deliveries.filter(status=NewsletterDelivery.Status.PENDING)
        .select_related("subscriber")
        .order_by("pk")[:batch_size]
    )
    now = timezone.now()
    for delivery in batch:
        subscriber = delivery.subscriber
        delivery.processed_at = now
        if subscriber.status != Subscriber.Status.CONFIRMED:
            delivery.status = NewsletterDelivery.Status.SKIPPED
            continue
        unsubscribe_url = absolute_url(issue.base_url, reverse("news:unsubscribe", args=[subscriber.token]))
        delivery.email = outbox_enqueue(
            dedup_key=f"newsletter:{issue.pk}:{subscriber.pk}",
            to=subscriber.email,
            subject=issue.subject,
            body=issue.rendered_text.replace(UNSUBSCRIBE_MARKER, unsubscribe_url),
            html_body=issue.rendered_html.replace(UNSUBSCRIBE_MARKER, unsubscribe_url),
            headers=_unsubscribe_headers(unsubscribe_url),
        )
        delivery.status = NewsletterDelivery.Status.QUEUED
    NewsletterDelivery.objects.bulk_update(batch, ["status", "email", "processed_at"])
    if issue.deliveries.filter(status=NewsletterDelivery.Status.PENDING).exists():
        next_size = None if batch_size == BATCH_SIZE else batch_size
        transaction.on_commit(lambda: dispatch_batch(issue.pk, next_size))
    else:
        issue.status = NewsletterIssue.Status.SENT
        issue.send_finished_at = now
        issue.save(update_fields=["status", "send_finished_at", "updated_at"])
    return len(batch)


# --- Retention of subscribers' personal data ------------------------------------------------------------

_ERASE_CHUNK = 500


def _newsletter_emails_erase(subscriber_ids):
    """Delete the outbox e-mails written to these subscribers (confirmation requests and newsletter issues):
    they hold the address and the link token. The deliveries stay, without their e-mail."""
    for start in range(0, len(subscriber_ids), _ERASE_CHUNK):
        chunk = subscriber_ids[start : start + _ERASE_CHUNK]
        query = Q(
            pk__in=NewsletterDelivery.objects.filter(subscriber_id__in=chunk, email__isnull=False).values(
                "email_id"
            )
        )
        for pk in chunk:
            query |= Q(dedup_key__startswith=f"newsletter-confirm:{pk}:")
        OutboxEmail.objects.filter(query).delete()


def _subscribers_anonymise(subscribers, *, now):
    """Erase the address and consent IP of ``subscribers`` for good; the rows stay (as unsubscribed) for the
    statistics, with a fresh token so that no old link reaches them."""
    subscribers = list(subscribers)
    _newsletter_emails_erase([subscriber.pk for subscriber in subscribers])
    for subscriber in subscribers:
        subscriber.email = None
        subscriber.consent_ip = None
        subscriber.token = _new_token()
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.anonymised_at = now
        subscriber.updated_at = now
    bulk_update_with_history(
        subscribers,
        Subscriber,
        ["email", "consent_ip", "token", "status", "anonymised_at", "updated_at"],
        batch_size=_ERASE_CHUNK,
        default_change_reason=_("보존기간 경과: 개인정보 익명 처리"),
        default_date=now,
    )
    return len(subscribers)


@writes(Subscriber)
@transaction.atomic
def subscribers_purge_unconfirmed(*, requested_before, actor, now=None):
    """Subscriptions whose confirmation was last asked before ``requested_before`` and not confirmed: a
    request never confirmed is deleted; an address that had been subscribed before (it has deliveries for
    the statistics) is anonymised instead. Returns how many subscriptions were processed."""
    now = now or timezone.now()
    stale = (
        Subscriber.objects.select_for_update()
        .filter(status=Subscriber.Status.PENDING, anonymised_at__isnull=True)
        .alias(requested_at=Coalesce("confirmation_sent_at", "created_at"))
        .filter(requested_at__lt=requested_before)
        .order_by("pk")
    )
    never_confirmed = list(stale.filter(confirmed_at__isnull=True).values_list("pk", flat=True))
    _newsletter_emails_erase(never_confirmed)
    Subscriber.objects.filter(pk__in=never_confirmed).delete()
    anonymised = _subscribers_anonymise(stale.filter(confirmed_at__isnull=False), now=now)
    return len(never_confirmed) + anonymised


@writes(Subscriber)
@transaction.atomic
def subscribers_anonymise_unsubscribed(*, unsubscribed_before, actor, now=None):
    """Erase the address of every subscriber who unsubscribed before ``unsubscribed_before`` and is not
    anonymised yet (so a second run changes nothing). Returns how many were anonymised."""
    now = now or timezone.now()
    expired = (
        Subscriber.objects.select_for_update()
        .filter(
            status=Subscriber.Status.UNSUBSCRIBED,
            anonymised_at__isnull=True,
            unsubscribed_at__lt=unsubscribed_before,
        )
        .order_by("pk")
    )
    return _subscribers_anonymise(expired, now=now)


# --- Publications library (자료실) -----------------------------------------------------------------------


def publication_visitor_key(*, day, user_id=None, ip_address="", user_agent=""):
    """A keyed hash naming one visitor on one day: the account if signed in, else address and browser.

    The day is part of the key, so keys of different days cannot be linked to each other."""
    visitor = f"user:{user_id}" if user_id else f"anon:{ip_address}:{user_agent[:200]}"
    message = f"{day.isoformat()}|{visitor}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


@writes(PublicationDownload, PublicationAttachment)
def publication_download_record(*, attachment_id, visitor_key, day, actor):
    """Count a download of the file, once per visitor and day. Returns True when it was counted."""
    with transaction.atomic():
        _mark, created = PublicationDownload.objects.get_or_create(
            attachment_id=attachment_id, visitor_key=visitor_key, day=day
        )
        if created:
            PublicationAttachment.objects.filter(pk=attachment_id).update(
                download_count=F("download_count") + 1
            )
    return created


@writes(PublicationAttachment)
@transaction.atomic
def publication_attachment_save(*, attachment, actor):
    """Save a file of the library as staff edited it. The download counter belongs to the visitors: a file
    already saved is written without it, so the downloads counted while the form was open are kept rather
    than overwritten by the form's stale number."""
    actor.require_staff()
    attachment.full_clean(exclude=["download_count"])
    if attachment.pk is None:
        attachment.save()
        return attachment
    edited = [
        field.name
        for field in PublicationAttachment._meta.concrete_fields
        if not field.primary_key and field.name != "download_count"
    ]
    attachment.save(update_fields=edited)
    return attachment


@writes(PublicationDownload)
def publication_downloads_purge(*, before, actor):
    """Forget the once-a-day marks of days before ``before`` (they only serve the once-a-day rule)."""
    deleted, _by_model = PublicationDownload.objects.filter(day__lt=before).delete()
    return deleted
