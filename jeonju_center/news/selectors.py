"""Shared reads of news, the home page and the newsletter."""

import datetime

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import (
    FaqEntry,
    NewsletterDelivery,
    NewsletterIssue,
    NewsletterItem,
    NewsPost,
    Program,
    Publication,
    Subscriber,
)
from .sections import home_sections, newsletter_section, newsletter_sections


def published_news_q(now=None):
    """Posts citizens may see at ``now``: published, with a publish time that has come."""
    return Q(status=NewsPost.Status.PUBLISHED, published_at__lte=now or timezone.now())


def scheduled_news_q(now=None):
    """Posts marked published whose publish time is still to come (예약 게시)."""
    return Q(status=NewsPost.Status.PUBLISHED, published_at__gt=now or timezone.now())


def public_news(*, program=None, now=None, kind=NewsPost.Kind.NEWS):
    """Visible news posts (or notices with ``kind``), newest first (drafts and scheduled posts are never in it)."""
    posts = NewsPost.objects.filter(published_news_q(now), kind=kind).order_by("-published_at", "-id")
    if program:
        posts = posts.filter(program=program)
    return posts


def public_news_post(*, slug, now=None, kind=NewsPost.Kind.NEWS):
    """One visible post; raises ``NewsPost.DoesNotExist`` for drafts, scheduled posts and unknown slugs."""
    return public_news(now=now, kind=kind).prefetch_related("attachments").get(slug=slug)


def public_notices(*, program=None, now=None):
    """Visible notices: pinned ones first, then the newest."""
    return public_news(program=program, now=now, kind=NewsPost.Kind.NOTICE).order_by(
        "-is_pinned", "-published_at", "-id"
    )


def public_posts(*, now=None):
    """Every visible post, news and notices (the sitemap)."""
    return NewsPost.objects.filter(published_news_q(now))


def faq_by_program(*, program=None):
    """Published FAQ entries grouped by program, in the programs' order: ``[(program, label, [entries])]``."""
    entries = FaqEntry.objects.filter(is_published=True).order_by("display_order", "pk")
    if program:
        entries = entries.filter(program=program)
    grouped = {}
    for entry in entries:
        grouped.setdefault(entry.program, []).append(entry)
    return [(value, label, grouped[value]) for value, label in Program.choices if value in grouped]


def home_page_data(*, now=None):
    """The home page: the programs' sections (``HOME_SECTIONS``) with their items, the news and notices."""
    now = now or timezone.now()
    return {
        "sections": [(section, section.items(now=now)) for section in home_sections()],
        "news": list(public_news(now=now)[:5]),
        "notices": list(public_notices(now=now)[:5]),
    }


# --- Newsletter ---------------------------------------------------------------------------------------


def newsletter_candidate_news(*, days=45, now=None):
    now = now or timezone.now()
    return public_news(now=now).filter(published_at__gte=now - datetime.timedelta(days=days))


def _chosen_ids(issue, section):
    """The ids of the rows staff chose for ``issue`` in ``section``, as a subquery (no query of its own)."""
    opts = section.model_class._meta
    return NewsletterItem.objects.filter(
        issue=issue, content_type__app_label=opts.app_label, content_type__model=opts.model_name
    ).values("object_id")


def newsletter_issue_items(issue, section_key):
    """The rows staff chose for ``issue`` in the section ``section_key``, whatever their state now."""
    section = newsletter_section(section_key)
    return section.model_class._default_manager.filter(pk__in=_chosen_ids(issue, section))


def newsletter_issue_content(issue):
    """What an issue shows: ``news`` (newest first) and ``sections``, ``[(section, items)]`` of the sections
    that have chosen items subscribers may see (each in its own order), in a fixed number of queries."""
    sections = []
    for section in newsletter_sections():
        items = list(section.content(_chosen_ids(issue, section)))
        if items:
            sections.append((section, items))
    return {
        "news": list(issue.news_posts.filter(published_news_q()).order_by("-published_at", "-id")),
        "sections": sections,
    }


def confirmed_subscribers():
    return Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED)


def newsletter_issues_with_progress():
    """Issues annotated with delivery counts: ``recipient_count``, ``pending_count``, ``queued_count``,
    ``skipped_count``, ``sent_count`` (the outbox has sent it) and ``failed_count``."""
    from jeonju_center.common.models import OutboxEmail

    deliveries = "deliveries"
    return NewsletterIssue.objects.annotate(
        recipient_count=Count(deliveries),
        pending_count=Count(deliveries, filter=Q(deliveries__status=NewsletterDelivery.Status.PENDING)),
        queued_count=Count(deliveries, filter=Q(deliveries__status=NewsletterDelivery.Status.QUEUED)),
        skipped_count=Count(deliveries, filter=Q(deliveries__status=NewsletterDelivery.Status.SKIPPED)),
        sent_count=Count(deliveries, filter=Q(deliveries__email__status=OutboxEmail.Status.SENT)),
        failed_count=Count(deliveries, filter=Q(deliveries__email__status=OutboxEmail.Status.FAILED)),
    )


def stalled_newsletter_issue_ids():
    """Issues still sending with deliveries waiting (the batch chain was broken by a lost task)."""
    waiting = NewsletterDelivery.objects.filter(status=NewsletterDelivery.Status.PENDING)
    return list(
        NewsletterIssue.objects.filter(status=NewsletterIssue.Status.SENDING, pk__in=waiting.values("issue"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- Publications library (자료실) -----------------------------------------------------------------------


def public_publications(*, category=None, program=None, year=None, query=None):
    """Published library items, newest first, with their total downloads (``total_downloads``) and files."""
    publications = (
        Publication.objects.filter(is_published=True)
        .annotate(total_downloads=Coalesce(Sum("attachments__download_count"), 0))
        .prefetch_related("attachments")
        .order_by("-published_on", "-id")
    )
    if category:
        publications = publications.filter(category=category)
    if program:
        publications = publications.filter(program=program)
    if year:
        publications = publications.filter(year=year)
    if query:
        publications = publications.filter(
            Q(title__icontains=query) | Q(summary__icontains=query) | Q(authors__icontains=query)
        )
    return publications


def public_publication(*, slug):
    """One published item; raises ``Publication.DoesNotExist`` otherwise."""
    return public_publications().select_related("newsletter_issue").get(slug=slug)


def publication_years():
    """The years that have published items, newest first (the year filter's choices)."""
    return list(
        Publication.objects.filter(is_published=True)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def sent_newsletter_issues():
    """Newsletter issues already sent to subscribers, newest first (readable as pages in the library)."""
    return NewsletterIssue.objects.filter(status=NewsletterIssue.Status.SENT).order_by(
        "-send_started_at", "-id"
    )
