"""Retention of subscribers' addresses, with time travel: exactly the expired rows, once, counts reported."""

import datetime

import pytest
from django.utils import timezone

from jeonju_center.common.models import OutboxEmail, RetentionRun
from jeonju_center.common.retention import apply_retention_policies, retention_policies
from jeonju_center.news import services
from jeonju_center.news.models import NewsletterDelivery, Subscriber
from tests.actors import TEST_JOB
from tests.news.factories import NewsletterIssueFactory, SubscriberFactory

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2027, 3, 10, 3, 0))
# 7 days (unconfirmed) and 30 days (unsubscribed) before NOW's date: the default cutoffs.
UNCONFIRMED_CUTOFF = timezone.make_aware(datetime.datetime(2027, 3, 3))
UNSUBSCRIBED_CUTOFF = timezone.make_aware(datetime.datetime(2027, 2, 8))
SECOND = datetime.timedelta(seconds=1)


def _pending(email, asked_at, **extra):
    values = {"confirmed_at": None, **extra}
    return SubscriberFactory(
        email=email,
        status=Subscriber.Status.PENDING,
        confirmation_sent_at=asked_at,
        consent_ip="203.0.113.1",
        **values,
    )


def _unsubscribed(email, at):
    return SubscriberFactory(
        email=email, status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=at, consent_ip="203.0.113.2"
    )


def _mail(dedup_key, to):
    return OutboxEmail.objects.create(dedup_key=dedup_key, to=[to], subject="s", body="b")


@pytest.fixture
def subscribers(time_machine):
    # The rows are written an hour before the job runs at NOW, so its history rows come after theirs.
    time_machine.move_to(NOW - datetime.timedelta(hours=1))
    expired_request = _pending("old.request@example.com", UNCONFIRMED_CUTOFF - SECOND)
    _mail(f"newsletter-confirm:{expired_request.pk}:1", expired_request.email)
    fresh_request = _pending("new.request@example.com", UNCONFIRMED_CUTOFF)
    fresh_mail = _mail(f"newsletter-confirm:{fresh_request.pk}:1", fresh_request.email)
    # Unsubscribed long ago, then asked again without confirming: its deliveries stay for the statistics.
    lapsed = _pending(
        "lapsed@example.com",
        UNCONFIRMED_CUTOFF - SECOND,
        confirmed_at=NOW - datetime.timedelta(days=400),
        unsubscribed_at=NOW - datetime.timedelta(days=100),
    )
    expired_leaver = _unsubscribed("gone@example.com", UNSUBSCRIBED_CUTOFF - SECOND)
    recent_leaver = _unsubscribed("recent@example.com", UNSUBSCRIBED_CUTOFF)
    reader = SubscriberFactory(email="reader@example.com", consent_ip="203.0.113.3")
    issue = NewsletterIssueFactory(status="sent")
    kept_mails = {fresh_mail.pk}
    for subscriber in (lapsed, expired_leaver, recent_leaver, reader):
        mail = _mail(f"newsletter:{issue.pk}:{subscriber.pk}", subscriber.email)
        NewsletterDelivery.objects.create(issue=issue, subscriber=subscriber, status="queued", email=mail)
        if subscriber in (recent_leaver, reader):
            kept_mails.add(mail.pk)
    return {
        "expired_request": expired_request,
        "fresh_request": fresh_request,
        "lapsed": lapsed,
        "expired_leaver": expired_leaver,
        "recent_leaver": recent_leaver,
        "reader": reader,
        "kept_mails": kept_mails,
    }


def _state():
    return sorted(
        Subscriber.objects.values_list("pk", "email", "consent_ip", "status", "anonymised_at", "token")
    )


def test_the_policies_are_registered_with_their_defaults():
    policies = retention_policies()
    assert policies["newsletter_unconfirmed"].days == 7
    assert policies["newsletter_unsubscribed"].days == 30


def test_the_job_erases_exactly_the_expired_addresses_once_and_reports_counts(subscribers):
    old_tokens = {key: s.token for key, s in subscribers.items() if isinstance(s, Subscriber)}
    counts = apply_retention_policies(now=NOW)
    assert counts["newsletter_unconfirmed"] == 2  # one request deleted, one lapsed address anonymised
    assert counts["newsletter_unsubscribed"] == 1
    runs = dict(RetentionRun.objects.filter(ran_at=NOW).values_list("policy", "processed_count"))
    assert runs["newsletter_unconfirmed"] == 2 and runs["newsletter_unsubscribed"] == 1

    assert not Subscriber.objects.filter(pk=subscribers["expired_request"].pk).exists()
    for key in ("lapsed", "expired_leaver"):
        row = Subscriber.objects.get(pk=subscribers[key].pk)
        assert (row.email, row.consent_ip, row.status, row.anonymised_at) == (None, None, "unsubscribed", NOW)
        assert row.token != old_tokens[key]
        assert str(row) == f"익명 처리된 구독자 #{row.pk}"
        # The delivery stays for the statistics, without any address: its e-mail is gone.
        delivery = NewsletterDelivery.objects.select_related("subscriber").get(subscriber=row)
        assert delivery.email_id is None and delivery.subscriber.email is None
        assert row.history.latest().history_change_reason == "보존기간 경과: 개인정보 익명 처리"
    for key in ("fresh_request", "recent_leaver", "reader"):
        row = Subscriber.objects.get(pk=subscribers[key].pk)
        assert row.email == subscribers[key].email and row.anonymised_at is None
        assert row.consent_ip is not None and row.token == old_tokens[key]
    # Only the e-mails of kept subscribers remain in the outbox.
    assert set(OutboxEmail.objects.values_list("pk", flat=True)) == subscribers["kept_mails"]
    # Statistics keep their counts: the anonymised leavers still count as unsubscribed.
    assert Subscriber.objects.filter(status="unsubscribed").count() == 3

    before = _state()
    again = apply_retention_policies(now=NOW)
    assert again["newsletter_unconfirmed"] == 0 and again["newsletter_unsubscribed"] == 0
    assert _state() == before


def test_a_later_run_catches_the_rows_that_expired_since(subscribers):
    apply_retention_policies(now=NOW)
    later = NOW + datetime.timedelta(days=1)
    counts = apply_retention_policies(now=later)
    assert counts["newsletter_unconfirmed"] == 1 and counts["newsletter_unsubscribed"] == 1
    assert not Subscriber.objects.filter(pk=subscribers["fresh_request"].pk).exists()
    assert Subscriber.objects.get(pk=subscribers["recent_leaver"].pk).email is None
    assert Subscriber.objects.get(pk=subscribers["reader"].pk).email == "reader@example.com"


def test_the_period_is_configurable(subscribers, settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = {"newsletter_unsubscribed": 400}
    assert apply_retention_policies(now=NOW)["newsletter_unsubscribed"] == 0
    assert Subscriber.objects.get(pk=subscribers["expired_leaver"].pk).email == "gone@example.com"


def test_an_anonymised_address_can_subscribe_again_as_a_new_subscriber(subscribers):
    services.subscribers_anonymise_unsubscribed(
        unsubscribed_before=UNSUBSCRIBED_CUTOFF, now=NOW, actor=TEST_JOB
    )
    again = services.newsletter_subscribe(email="gone@example.com", agreed=True, actor=TEST_JOB)
    assert again.pk != subscribers["expired_leaver"].pk and again.status == "pending"
