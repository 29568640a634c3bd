"""The news back office under issue 8: subscribers' addresses masked by permission with an access log,
change history with reasons, custom newsletter screens closed to other teams, safe cover-image uploads."""

import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from jeonju_center.common.models import OutboxEmail, PersonalDataAccess
from jeonju_center.common.teams import CENTER_ADMINS, EDUCATION_TEAM, PERSONAL_DATA_VIEWERS
from jeonju_center.news.models import NewsletterDelivery, NewsletterIssue, NewsPost, Subscriber
from jeonju_center.news.services import newsletter_unsubscribe
from tests.actors import TEST_JOB
from tests.news.factories import NewsletterIssueFactory, NewsPostFactory, SubscriberFactory
from tests.news.images import tiny_png
from tests.staff import staff_user

pytestmark = pytest.mark.django_db

ADDRESS = "kim.reader@example.com"
MASKED = "ki***@example.com"


@pytest.fixture
def manager(teams):
    return staff_user("manager", CENTER_ADMINS)


@pytest.fixture
def privacy_officer(teams):
    return staff_user("privacy", CENTER_ADMINS, PERSONAL_DATA_VIEWERS)


@pytest.fixture
def delivery():
    subscriber = SubscriberFactory(email=ADDRESS, consent_ip="203.0.113.7")
    issue = NewsletterIssueFactory(status=NewsletterIssue.Status.SENT)
    return NewsletterDelivery.objects.create(
        issue=issue, subscriber=subscriber, status=NewsletterDelivery.Status.QUEUED
    )


# Every admin screen that shows a subscriber's address: (url, model label in the log, logged fields).
SCREENS = {
    "subscriber list": (
        lambda d: reverse("admin:news_subscriber_changelist"),
        "news.subscriber",
        ["email"],
    ),
    "subscriber detail": (
        lambda d: reverse("admin:news_subscriber_change", args=[d.subscriber_id]),
        "news.subscriber",
        ["email", "consent_ip"],
    ),
    "delivery list": (
        lambda d: reverse("admin:news_newsletterdelivery_changelist"),
        "news.newsletterdelivery",
        ["subscriber__email"],
    ),
    "delivery detail": (
        lambda d: reverse("admin:news_newsletterdelivery_change", args=[d.pk]),
        "news.newsletterdelivery",
        ["subscriber__email"],
    ),
}


@pytest.mark.parametrize("screen", SCREENS)
def test_addresses_are_masked_without_the_permission_and_nothing_is_logged(client, manager, delivery, screen):
    url, _label, _fields = SCREENS[screen]
    client.force_login(manager)
    page = client.get(url(delivery))
    assert page.status_code == 200
    content = page.content.decode()
    assert MASKED in content and ADDRESS not in content
    assert "203.0.113.7" not in content
    assert PersonalDataAccess.objects.count() == 0


@pytest.mark.parametrize("screen", SCREENS)
def test_the_permission_shows_addresses_and_each_view_writes_one_log_row(
    client, privacy_officer, delivery, screen
):
    url, label, fields = SCREENS[screen]
    client.force_login(privacy_officer)
    content = client.get(url(delivery), REMOTE_ADDR="10.0.0.9").content.decode()
    assert ADDRESS in content
    (entry,) = PersonalDataAccess.objects.all()
    assert (entry.staff_id, entry.ip_address, entry.action, entry.masked) == (
        privacy_officer.pk,
        "10.0.0.9",
        "view",
        False,
    )
    expected_id = delivery.subscriber_id if label == "news.subscriber" else delivery.pk
    assert (entry.model_label, entry.object_ids, sorted(entry.fields)) == (
        label,
        [expected_id],
        sorted(fields),
    )


@pytest.mark.parametrize(
    ("url_name", "label"),
    [
        ("admin:news_subscriber_changelist", "news.subscriber"),
        ("admin:news_newsletterdelivery_changelist", "news.newsletterdelivery"),
    ],
)
def test_a_search_by_address_is_logged_once_with_its_hits_even_when_masked(
    client, manager, delivery, url_name, label
):
    client.force_login(manager)
    hit = client.get(reverse(url_name), {"q": "kim.reader"})
    assert MASKED in hit.content.decode() and ADDRESS not in hit.content.decode()
    client.get(reverse(url_name), {"q": "nobody-matches"})
    (search,) = PersonalDataAccess.objects.all()
    expected_id = delivery.subscriber_id if label == "news.subscriber" else delivery.pk
    assert (search.action, search.model_label, search.search_term, search.object_ids) == (
        "search",
        label,
        "kim.reader",
        [expected_id],
    )


def test_masked_viewers_get_no_editable_address_and_labels_never_show_it(client, manager, delivery):
    client.force_login(manager)
    form = (
        client.get(reverse("admin:news_subscriber_change", args=[delivery.subscriber_id]))
        .context["adminform"]
        .form
    )
    assert "email" not in form.fields and "consent_ip" not in form.fields
    # __str__ appears in breadcrumbs, history and FK columns: masked for every viewer.
    assert str(delivery.subscriber) == MASKED
    assert ADDRESS not in str(delivery)


def test_history_keeps_who_when_and_why_but_never_the_address_or_the_link_token(client, manager):
    post = NewsPostFactory(title="가을 강좌 안내")
    client.force_login(manager)
    response = client.post(
        reverse("admin:news_newspost_change", args=[post.pk]),
        {
            "kind": "news",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "title": "가을 강좌 안내 (수정)",
            "slug": post.slug,
            "program": post.program,
            "summary": post.summary,
            "body": post.body,
            "image_alt": "",
            "status": post.status,
            "published_at_0": post.published_at.strftime("%Y-%m-%d"),
            "published_at_1": post.published_at.strftime("%H:%M:%S"),
            "history_change_reason": "제목 오타 수정",
        },
    )
    assert response.status_code == 302
    latest = post.history.latest()
    assert (latest.history_type, latest.history_user, latest.history_change_reason, latest.title) == (
        "~",
        manager,
        "제목 오타 수정",
        "가을 강좌 안내 (수정)",
    )
    history_page = client.get(reverse("admin:news_newspost_history", args=[post.pk])).content.decode()
    assert "제목 오타 수정" in history_page

    subscriber = SubscriberFactory(email=ADDRESS)
    newsletter_unsubscribe(token=subscriber.token, actor=TEST_JOB)
    historical_fields = {field.name for field in Subscriber.history.model._meta.fields}
    assert {"email", "consent_ip", "token"}.isdisjoint(historical_fields)
    assert [row.status for row in subscriber.history.order_by("history_id")] == ["confirmed", "unsubscribed"]


def test_a_newsletter_issue_change_keeps_its_reason(client, manager):
    issue = NewsletterIssueFactory(subject="11월호")
    client.force_login(manager)
    response = client.post(
        reverse("admin:news_newsletterissue_change", args=[issue.pk]),
        {"subject": "11월호 (수정)", "intro": "<p>안녕하세요</p>", "history_change_reason": "제목 변경"},
    )
    assert response.status_code == 302
    latest = issue.history.latest()
    assert (latest.subject, latest.history_user, latest.history_change_reason) == (
        "11월호 (수정)",
        manager,
        "제목 변경",
    )


@pytest.mark.parametrize("view", ["preview", "autofill", "send_test", "send"])
def test_custom_newsletter_screens_refuse_other_teams(client, teams, view):
    SubscriberFactory()
    issue = NewsletterIssueFactory()
    client.force_login(staff_user("teacher", EDUCATION_TEAM))
    url = reverse(f"admin:news_newsletterissue_{view}", args=[issue.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.DRAFT and not issue.news_posts.exists()
    assert not OutboxEmail.objects.exists()


# --- Cover-image uploads ---------------------------------------------------------------------------


def _large_png():
    # Random pixels do not compress: about 1.5 MB.
    buffer = io.BytesIO()
    Image.frombytes("RGB", (700, 700), os.urandom(700 * 700 * 3)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cover.png", "large", "파일이 너무 큽니다. 1MB 이하"),
        ("cover.svg", "png", "확장자"),
        ("cover.jpg", "html", "이미지"),
    ],
    ids=["oversized", "wrong-extension", "html-disguised-as-jpg"],
)
@override_settings(MAX_UPLOAD_MB=1)
def test_bad_cover_images_are_refused_with_a_korean_message_and_nothing_is_saved(
    client, manager, name, content, message
):
    data = {
        "large": _large_png,
        "png": tiny_png,
        "html": lambda: b"<html><script>alert(1)</script></html>",
    }[content]()
    client.force_login(manager)
    response = client.post(
        reverse("admin:news_newspost_add"),
        {
            "kind": "news",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "title": "사진 소식",
            "slug": "photo-news",
            "program": "center",
            "summary": "",
            "body": "<p>본문</p>",
            "image": SimpleUploadedFile(name, data),
            "image_alt": "센터 전경",
            "status": "draft",
            "published_at_0": "",
            "published_at_1": "",
        },
    )
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["image"])
    assert message in errors
    assert not NewsPost.objects.exists()


def test_a_good_cover_image_is_accepted(client, manager):
    client.force_login(manager)
    response = client.post(
        reverse("admin:news_newspost_add"),
        {
            "kind": "news",
            "attachments-TOTAL_FORMS": "0",
            "attachments-INITIAL_FORMS": "0",
            "title": "사진 소식",
            "slug": "photo-news",
            "program": "center",
            "summary": "",
            "body": "<p>본문</p>",
            "image": SimpleUploadedFile("cover.png", tiny_png()),
            "image_alt": "센터 전경",
            "status": "draft",
            "published_at_0": "",
            "published_at_1": "",
        },
    )
    assert response.status_code == 302
    assert NewsPost.objects.get().image.name.endswith(".png")


@pytest.mark.parametrize("model_name", ["newspost", "newsletterissue", "subscriber"])
def test_history_screens_open_and_never_show_the_address(client, privacy_officer, delivery, model_name):
    objects = {
        "newspost": NewsPostFactory(),
        "newsletterissue": delivery.issue,
        "subscriber": delivery.subscriber,
    }
    newsletter_unsubscribe(token=delivery.subscriber.token, actor=TEST_JOB)
    client.force_login(privacy_officer)
    page = client.get(reverse(f"admin:news_{model_name}_history", args=[objects[model_name].pk]))
    assert page.status_code == 200
    assert ADDRESS not in page.content.decode()
