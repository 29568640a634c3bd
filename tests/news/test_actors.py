"""Who acts in the newsletter: sending needs an actor and keeps the staff member who started it, the batches
go out in the sending job's name, and a link from the e-mail acts as a citizen without an account."""

import pytest
from django.urls import reverse

from jeonju_center.common.actors import Actor
from jeonju_center.news import services, tasks
from jeonju_center.news.models import NewsletterIssue
from tests.actors_seen import actors_seen
from tests.courses.factories import StaffFactory

from .factories import NewsletterIssueFactory, NewsPostFactory, SubscriberFactory

pytestmark = pytest.mark.django_db
BASE = "https://portal.example.kr/"


def test_sending_keeps_the_staff_member_and_the_batches_run_as_the_sending_job(
    monkeypatch, django_capture_on_commit_callbacks
):
    issue = NewsletterIssueFactory(subject="12월호")
    issue.news_posts.add(NewsPostFactory(title="겨울 소식", slug="winter"))
    SubscriberFactory()
    staff = StaffFactory()
    with pytest.raises(TypeError):
        services.newsletter_send_start(issue_id=issue.pk, base_url=BASE)
    seen = actors_seen(monkeypatch, services, "outbox_enqueue")
    with django_capture_on_commit_callbacks(execute=True):
        services.newsletter_send_start(issue_id=issue.pk, actor=staff, base_url=BASE)
    issue.refresh_from_db()
    assert (issue.status, issue.sent_by) == (NewsletterIssue.Status.SENT, staff)
    assert seen == [tasks.NEWSLETTER_JOB]


def test_the_unsubscribe_link_acts_as_a_citizen_without_an_account(client, monkeypatch):
    subscriber = SubscriberFactory()
    seen = actors_seen(monkeypatch, services, "_subscriber_by_token")
    assert client.post(reverse("news:unsubscribe", args=[subscriber.token])).status_code == 200
    assert seen == [Actor.citizen(None)]
