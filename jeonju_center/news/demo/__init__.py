"""Demo data of news and the newsletter: posts of every program (one draft, one scheduled), subscribers in
every state, a draft issue composed from recent items and a past issue already sent; the library (자료실) with
the center's 2016 research, a policy brief, the sent issue as a newsletter and the forms people download.
The posts, notices, questions and publications are in ``data.toml`` beside this file."""

import datetime
import io
import zipfile

from django.core.files.base import ContentFile
from django.utils import timezone

from jeonju_center.demo.data import load_demo_data
from jeonju_center.demo.steps import demo_step

from .. import services
from ..models import (
    FaqEntry,
    NewsAttachment,
    NewsletterDelivery,
    NewsletterIssue,
    NewsPost,
    Publication,
    PublicationAttachment,
    Subscriber,
)

DATA = load_demo_data(__name__)
FORM_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
# An HWP 5 file is an OLE compound document; HWPX is a zip (OWPML).
FORM_HWP = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def _hwpx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/hwp+zip")
    return buffer.getvalue()


FILE_CONTENT = {"pdf": FORM_PDF, "hwp": FORM_HWP}


def _day(now, row):
    return now + datetime.timedelta(days=row["days_from_today"])


@demo_step("news", after=["social_economy", "courses", "calls"])
def seed(ctx):
    now = timezone.make_aware(datetime.datetime.combine(ctx.today, datetime.time(10, 0)))
    created = 0
    for row in DATA["posts"]:
        if NewsPost.objects.filter(slug=row["slug"]).exists():
            continue
        body = DATA["post_body"]["body"].format(summary=row["summary"] or row["title"])
        if "link" in row:
            body += DATA["post_body"]["link"].format(**row["link"])
        post = NewsPost(
            slug=row["slug"],
            program=row["program"],
            title=row["title"],
            summary=row["summary"],
            body=body,
            status=row["status"],
            published_at=_day(now, row) if row["status"] == "published" else None,
        )
        services.news_post_save(post=post, actor=ctx.job)
        created += 1
    yield f"news posts: {created} created"

    created = 0
    for row in DATA["notices"]:
        if NewsPost.objects.filter(slug=row["slug"]).exists():
            continue
        notice = NewsPost(
            slug=row["slug"],
            kind=NewsPost.Kind.NOTICE,
            is_pinned=row.get("pinned", False),
            program=row["program"],
            title=row["title"],
            summary=row["summary"],
            body=DATA["notice_body"]["body"].format(summary=row["summary"]),
            status=NewsPost.Status.PUBLISHED,
            published_at=_day(now, row),
        )
        services.news_post_save(post=notice, actor=ctx.job)
        if "form" in row:
            NewsAttachment.objects.create(
                post=notice, title=row["form"], file=ContentFile(FORM_PDF, name=f"{row['slug']}.pdf")
            )
        created += 1
    yield f"notices: {created} created"

    created = 0
    for order, row in enumerate(DATA["faq"]):
        _entry, was_created = FaqEntry.objects.get_or_create(
            program=row["program"],
            question=row["question"],
            defaults={"answer": row["answer"], "display_order": order},
        )
        created += was_created
    yield f"FAQ entries: {created} created"

    created = 0
    subscribers = DATA["subscribers"]
    states = [
        (f"subscriber{n:03d}@example.com", Subscriber.Status.CONFIRMED)
        for n in range(1, subscribers["confirmed"] + 1)
    ]
    states += [(email, Subscriber.Status.PENDING) for email in subscribers["pending"]]
    states += [(email, Subscriber.Status.UNSUBSCRIBED) for email in subscribers["unsubscribed"]]

    def on(key):
        return now + datetime.timedelta(days=subscribers[key])

    for number, (email, status) in enumerate(states, start=1):
        _subscriber, made = Subscriber.objects.get_or_create(
            email=email,
            defaults={
                "status": status,
                "token": f"demo-token-{number:04d}",
                "confirmation_sent_at": on("confirmation_sent_days_from_today"),
                "confirmation_count": 1,
                "confirmed_at": on("confirmed_days_from_today")
                if status != Subscriber.Status.PENDING
                else None,
                "unsubscribed_at": on("unsubscribed_days_from_today")
                if status == Subscriber.Status.UNSUBSCRIBED
                else None,
                "consent_version": services.NEWSLETTER_TERMS_VERSION,
            },
        )
        created += made
    yield f"newsletter subscribers: {created} created"

    newsletter = DATA["newsletter"]
    draft, made = NewsletterIssue.objects.get_or_create(
        subject=newsletter["draft"]["subject"], defaults={"intro": newsletter["draft"]["intro"]}
    )
    if made:
        services.newsletter_issue_autofill(issue_id=draft.pk, actor=ctx.job)

    issue = newsletter["sent"]
    sent_at = now + datetime.timedelta(days=issue["sent_days_from_today"])
    sent, made = NewsletterIssue.objects.get_or_create(
        subject=issue["subject"],
        defaults={
            "intro": issue["intro"],
            "status": NewsletterIssue.Status.SENT,
            "rendered_html": issue["intro"],
            "rendered_text": issue["rendered_text"],
            "send_started_at": sent_at,
            "send_finished_at": sent_at,
        },
    )
    if made:
        # A past issue: its deliveries are history (the e-mails went out before this demo database existed).
        subscribers = Subscriber.objects.filter(email__startswith="subscriber").order_by("pk")
        NewsletterDelivery.objects.bulk_create(
            [
                NewsletterDelivery(
                    issue=sent,
                    subscriber=subscriber,
                    status=NewsletterDelivery.Status.QUEUED,
                    processed_at=sent_at,
                )
                for subscriber in subscribers
            ]
        )
    yield f"newsletter issues: {NewsletterIssue.objects.count()} in total"

    created = 0
    for row in DATA["publications"]:
        slug, year = row["slug"], row["year"]
        fields = {key: value for key, value in row.items() if key not in ("slug", "files")}
        publication, made = Publication.objects.get_or_create(
            slug=slug,
            defaults={
                **fields,
                "published_on": datetime.date(year, 12, 20) if year < ctx.today.year else ctx.today,
            },
        )
        if made:
            for number, file in enumerate(row["files"], start=1):
                extension = file["extension"]
                PublicationAttachment.objects.create(
                    publication=publication,
                    title=file["title"],
                    file=ContentFile(
                        FILE_CONTENT.get(extension) or _hwpx(), name=f"{slug}-{number}.{extension}"
                    ),
                    download_count=12 * number + year % 7,
                )
        created += made
    _newsletter, made = Publication.objects.get_or_create(
        newsletter_issue=sent,
        defaults={
            "slug": newsletter["publication"]["slug"],
            "category": Publication.Category.NEWSLETTER,
            "title": sent.subject,
            "year": sent_at.year,
            "summary": newsletter["publication"]["summary"],
            "published_on": sent_at.date(),
        },
    )
    created += made
    yield f"library: {created} publications created"
