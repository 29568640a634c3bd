"""The newsletter: double opt-in, one-click unsubscribe, composing, preview, test send and batched sending."""

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jeonju_center.common.models import OutboxEmail
from jeonju_center.news import selectors, services
from jeonju_center.news.models import NewsletterDelivery, NewsletterIssue, Subscriber
from tests.actors import TEST_JOB
from tests.courses.factories import future_course
from tests.social_economy.factories import ProductFactory

from .factories import NewsletterIssueFactory, NewsPostFactory, SubscriberFactory

pytestmark = pytest.mark.django_db
BASE = "https://portal.example.kr/"


def _subscribe(client, email, agree=True):
    data = {"email": email}
    if agree:
        data["agree"] = "on"
    return client.post(reverse("news:newsletter"), data, REMOTE_ADDR="203.0.113.7")


def _link(body, name):
    return re.search(rf"https?://[^\s\"]+/newsletter/{name}/[^\s\"/]+/", body).group(0)


# --- Double opt-in ----------------------------------------------------------------------------------


def test_subscribing_sends_a_confirmation_and_nothing_else_until_the_link_is_used(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _subscribe(client, "Minji@Example.COM")
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "확인 메일을 보냈습니다" in follow
    assert response["Location"] == reverse("news:newsletter")

    subscriber = Subscriber.objects.get()
    assert subscriber.email == "Minji@example.com"
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.consent_version == services.NEWSLETTER_TERMS_VERSION
    assert subscriber.consent_ip == "203.0.113.7"
    assert [m.to for m in mail.outbox] == [["Minji@example.com"]]
    assert "구독을 확인해 주세요" in mail.outbox[0].subject
    confirm_url = _link(mail.outbox[0].body, "confirm")
    path = confirm_url.split("testserver", 1)[1]

    # Opening the link (what a mail scanner does) confirms nothing; the button does.
    page = client.get(path)
    assert page.status_code == 200 and "구독 확인" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber not in selectors.confirmed_subscribers()

    done = client.post(path)
    assert "구독이 확인되었습니다" in done.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED and subscriber.confirmed_at is not None
    # Confirming again is harmless.
    assert client.post(path).status_code == 200


def test_consent_and_a_valid_address_are_required(client):
    response = _subscribe(client, "minji@example.com", agree=False)
    assert response.status_code == 200
    assert "개인정보(이메일) 수집·이용에 동의해야 구독할 수 있습니다." in response.content.decode()
    response = _subscribe(client, "not-an-address")
    assert "올바른 이메일 주소를 입력하세요." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Subscriber.objects.exists() and not OutboxEmail.objects.exists()


def test_the_service_refuses_without_consent_or_with_a_bad_address():
    with pytest.raises(ValidationError) as error:
        services.newsletter_subscribe(email="a@example.com", agreed=False, actor=TEST_JOB)
    assert "동의해야" in error.value.message_dict["agree"][0]
    with pytest.raises(ValidationError) as error:
        services.newsletter_subscribe(email="a@", agreed=True, actor=TEST_JOB)
    assert error.value.message_dict["email"] == ["올바른 이메일 주소를 입력하세요."]
    assert not Subscriber.objects.exists()


def test_asking_again_does_not_mail_bomb_and_does_not_reveal_subscribers(
    client, django_capture_on_commit_callbacks
):
    SubscriberFactory(email="known@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        first = _subscribe(client, "new@example.com")
        again = _subscribe(client, "NEW@example.com")
        known = _subscribe(client, "known@example.com")
    # Same answer for all three; only one confirmation e-mail, to the new address.
    assert first["Location"] == again["Location"] == known["Location"]
    assert [m.to for m in mail.outbox] == [["new@example.com"]]
    assert Subscriber.objects.filter(email__iexact="new@example.com").count() == 1

    # After the resend delay a new link is sent and the old one stops working.
    subscriber = Subscriber.objects.get(email="new@example.com")
    old_token = subscriber.token
    Subscriber.objects.filter(pk=subscriber.pk).update(
        confirmation_sent_at=timezone.now() - datetime.timedelta(minutes=11)
    )
    with django_capture_on_commit_callbacks(execute=True):
        _subscribe(client, "new@example.com")
    assert len(mail.outbox) == 2
    subscriber.refresh_from_db()
    assert subscriber.token != old_token and subscriber.confirmation_count == 2
    with pytest.raises(ValidationError):
        services.newsletter_confirm(token=old_token, actor=TEST_JOB)


def test_an_expired_or_unknown_link_confirms_nothing(client):
    pending = SubscriberFactory(
        status=Subscriber.Status.PENDING,
        confirmed_at=None,
        confirmation_sent_at=timezone.now() - datetime.timedelta(days=8),
    )
    response = client.post(reverse("news:subscribe_confirm", args=[pending.token]))
    assert response.status_code == 400
    assert "유효 기간(7일)이 지났습니다" in response.content.decode()
    response = client.post(reverse("news:subscribe_confirm", args=["no-such-token"]))
    assert response.status_code == 400 and "유효하지 않은 링크입니다" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Subscriber.Status.PENDING


# --- One-click unsubscribe -----------------------------------------------------------------------------


def test_one_click_unsubscribe_works_without_a_session_or_csrf_token():
    subscriber = SubscriberFactory()
    browser = Client(enforce_csrf_checks=True)
    url = reverse("news:unsubscribe", args=[subscriber.token])
    page = browser.get(url)
    assert page.status_code == 200 and "구독 해지" in page.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED

    # RFC 8058: the mail client POSTs this body to the List-Unsubscribe URL.
    response = browser.post(
        url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200 and "구독을 해지했습니다" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED and subscriber.unsubscribed_at is not None
    assert subscriber not in selectors.confirmed_subscribers()
    assert browser.post(url).status_code == 200  # twice is fine
    assert browser.post(reverse("news:unsubscribe", args=["forged"])).status_code == 400


def test_an_unsubscribed_address_can_subscribe_again_with_a_new_confirmation(
    django_capture_on_commit_callbacks,
):
    subscriber = SubscriberFactory(status=Subscriber.Status.UNSUBSCRIBED)
    with pytest.raises(ValidationError):
        services.newsletter_confirm(token=subscriber.token, actor=TEST_JOB)
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_subscribe(email=subscriber.email, agreed=True, actor=TEST_JOB)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    assert len(mail.outbox) == 1
    services.newsletter_confirm(token=subscriber.token, actor=TEST_JOB)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED


# --- Composing, preview, test, send ---------------------------------------------------------------


@pytest.fixture
def composed_issue():
    issue = NewsletterIssueFactory(subject="11월호")
    issue.news_posts.add(NewsPostFactory(title="가을 강좌 소식", slug="autumn"))
    services.newsletter_issue_items_set(
        actor=TEST_JOB, issue=issue, section_key="courses", objects=[future_course(title="마을공동체 첫걸음")]
    )
    services.newsletter_issue_items_set(
        actor=TEST_JOB, issue=issue, section_key="products", objects=[ProductFactory(name="한지 조명등")]
    )
    return issue


def test_autofill_takes_recent_news_open_courses_and_products_and_keeps_staff_choices():
    recent = NewsPostFactory(title="최근 소식")
    NewsPostFactory(title="오래된 소식", published_at=timezone.now() - datetime.timedelta(days=90))
    NewsPostFactory(title="예약 소식", published_at=timezone.now() + datetime.timedelta(days=1))
    course = future_course()
    product = ProductFactory()
    ProductFactory(is_active=False)
    chosen = NewsPostFactory(
        title="직접 고른 소식", published_at=timezone.now() - datetime.timedelta(days=80)
    )
    issue = NewsletterIssueFactory()
    issue.news_posts.add(chosen)

    added = services.newsletter_issue_autofill(issue_id=issue.pk, actor=TEST_JOB)
    assert added == {"courses": 1, "products": 1}
    assert list(issue.news_posts.all()) == [chosen]
    assert list(selectors.newsletter_issue_items(issue, "courses")) == [course] and list(
        selectors.newsletter_issue_items(issue, "products")
    ) == [product]

    other = NewsletterIssueFactory()
    services.newsletter_issue_autofill(issue_id=other.pk, actor=TEST_JOB)
    assert list(other.news_posts.all()) == [recent]


def test_preview_and_test_send_go_to_the_staff_member_only(
    admin_client, admin_user, composed_issue, django_capture_on_commit_callbacks
):
    SubscriberFactory()
    preview = admin_client.get(reverse("admin:news_newsletterissue_preview", args=[composed_issue.pk]))
    html = preview.content.decode()
    assert "가을 강좌 소식" in html and "마을공동체 첫걸음" in html and "한지 조명등" in html

    url = reverse("admin:news_newsletterissue_send_test", args=[composed_issue.pk])
    assert "시험 발송" in admin_client.get(url).content.decode()  # a confirmation page first
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url)
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[admin_user.email]]
    assert mail.outbox[0].subject == "[시험 발송] 11월호"
    composed_issue.refresh_from_db()
    assert composed_issue.status == NewsletterIssue.Status.DRAFT
    assert not NewsletterDelivery.objects.exists()


def test_sending_reaches_every_confirmed_subscriber_once_in_batches_with_unsubscribe_headers(
    admin_client, composed_issue, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(services, "BATCH_SIZE", 3)
    confirmed = SubscriberFactory.create_batch(7)
    SubscriberFactory(status=Subscriber.Status.PENDING, confirmed_at=None)
    SubscriberFactory(status=Subscriber.Status.UNSUBSCRIBED)

    url = reverse("admin:news_newsletterissue_send", args=[composed_issue.pk])
    assert "7명에게 보냅니다" in admin_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, follow=True)
    assert "구독자 7명에게 발송을 시작했습니다" in response.content.decode()

    composed_issue.refresh_from_db()
    assert composed_issue.status == NewsletterIssue.Status.SENT
    newsletters = [m for m in mail.outbox if m.subject == "11월호"]
    assert sorted(m.to[0] for m in newsletters) == sorted(s.email for s in confirmed)
    message = next(m for m in newsletters if m.to == [confirmed[0].email])
    unsubscribe = f"http://testserver/newsletter/unsubscribe/{confirmed[0].token}/"
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    html = message.alternatives[0][0]
    assert unsubscribe in html and "한지 조명등" in html and services.UNSUBSCRIBE_MARKER not in html

    counted = selectors.newsletter_issues_with_progress().get(pk=composed_issue.pk)
    assert (counted.recipient_count, counted.sent_count, counted.pending_count) == (7, 7, 0)
    change = admin_client.get(reverse("admin:news_newsletterissue_change", args=[composed_issue.pk]))
    assert "받는 사람 7명 · 발송 완료 7" in change.content.decode()

    # Sending again is refused and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url)
    with pytest.raises(ValidationError):
        services.newsletter_send_start(issue_id=composed_issue.pk, actor=TEST_JOB, base_url=BASE)
    assert len([m for m in mail.outbox if m.subject == "11월호"]) == 7


def test_a_subscriber_who_leaves_mid_send_is_skipped(composed_issue, django_capture_on_commit_callbacks):
    stays, leaves = SubscriberFactory(), SubscriberFactory()
    services.newsletter_send_start(issue_id=composed_issue.pk, actor=TEST_JOB, base_url=BASE)
    services.newsletter_unsubscribe(token=leaves.token, actor=TEST_JOB)
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_send_batch(issue_id=composed_issue.pk, actor=TEST_JOB)
    statuses = dict(NewsletterDelivery.objects.values_list("subscriber_id", "status"))
    assert statuses == {stays.pk: "queued", leaves.pk: "skipped"}
    assert [m.to for m in mail.outbox] == [[stays.email]]


def test_sending_is_refused_without_subscribers_or_content(composed_issue):
    with pytest.raises(ValidationError) as error:
        services.newsletter_send_start(issue_id=composed_issue.pk, actor=TEST_JOB, base_url=BASE)
    assert error.value.messages == ["구독을 확인한 구독자가 없어 보낼 수 없습니다."]
    SubscriberFactory()
    empty = NewsletterIssueFactory(intro="")
    with pytest.raises(ValidationError) as error:
        services.newsletter_send_start(issue_id=empty.pk, actor=TEST_JOB, base_url=BASE)
    assert "고른 소식·강좌·제품이 하나도 없어 보낼 수 없습니다" in error.value.messages[0]
    # A greeting alone is not a newsletter: the real send needs at least one item (a test send may go).
    greeting_only = NewsletterIssueFactory(intro="<p>안녕하세요.</p>")
    with pytest.raises(ValidationError) as error:
        services.newsletter_send_start(issue_id=greeting_only.pk, actor=TEST_JOB, base_url=BASE)
    assert "고른 소식·강좌·제품이 하나도 없어 보낼 수 없습니다" in error.value.messages[0]
    assert not NewsletterDelivery.objects.exists()
    assert set(NewsletterIssue.objects.values_list("status", flat=True)) == {"draft"}


def test_a_sent_issue_cannot_be_edited(admin_client, composed_issue):
    SubscriberFactory()
    services.newsletter_send_start(issue_id=composed_issue.pk, actor=TEST_JOB, base_url=BASE)
    with pytest.raises(ValidationError):
        composed_issue.subject = "바꾼 제목"
        services.newsletter_issue_save(issue=composed_issue, actor=TEST_JOB)
    composed_issue.refresh_from_db()
    assert composed_issue.subject == "11월호"
    response = admin_client.post(
        reverse("admin:news_newsletterissue_change", args=[composed_issue.pk]), {"subject": "바꾼 제목"}
    )
    composed_issue.refresh_from_db()
    assert composed_issue.subject == "11월호" and response.status_code in (200, 302)


def test_the_resume_job_restarts_a_broken_batch_chain(composed_issue, django_capture_on_commit_callbacks):
    from jeonju_center.news.tasks import resume_newsletter_sends

    subscribers = SubscriberFactory.create_batch(3)
    # The first task was lost with its broker: deliveries are written but nobody handles them.
    services.newsletter_send_start(issue_id=composed_issue.pk, actor=TEST_JOB, base_url=BASE)
    assert selectors.stalled_newsletter_issue_ids() == [composed_issue.pk]
    with django_capture_on_commit_callbacks(execute=True):
        assert resume_newsletter_sends() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.email for s in subscribers)
    assert selectors.stalled_newsletter_issue_ids() == []
