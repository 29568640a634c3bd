"""Redis (the Celery broker) is down: citizens can still enrol and subscribe to the newsletter; their
e-mails wait in the outbox (written in the same transaction) and, once Redis is back, the periodic flush
delivers each exactly once — counted by a real SMTP server.

Web (gunicorn), worker and this test all use a Redis of the test's own, which is SIGKILLed (it has no
persistence: what it held is gone, as after a crash) and started again on the same port."""

import time
from datetime import timedelta

import pytest
from django.db.models import F
from django.urls import reverse

from courses.models import Enrollment, EnrollmentStatus
from jeonju_center.common.models import OutboxEmail
from jeonju_center.news.models import Subscriber
from tests.conftest import _fresh_connection_pools
from tests.courses.factories import UserFactory, future_course

from .conftest import page_messages, wait_for, wait_until_settled

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

SUBSCRIBER = "outage.reader@example.com"


def test_enrollment_and_subscription_work_without_redis_and_their_emails_go_out_once_after(
    start_portal, celery_workers, private_redis, smtp_sink
):
    from jeonju_center.celery import app
    from jeonju_center.common.tasks import flush_outbox

    portal = start_portal(threads=4, CELERY_BROKER_URL=private_redis.url, EMAIL_URL=smtp_sink.url)
    worker = celery_workers()
    course = future_course(capacity=10)
    before, during = UserFactory(), UserFactory()
    detail = reverse("courses:detail", args=[course.slug])
    enroll = reverse("courses:enroll", args=[course.slug])
    newsletter = reverse("news:newsletter")

    # With Redis up, an enrolment's e-mail reaches the SMTP server through broker and worker.
    early = portal.browser(before)
    early.open_form(detail)
    assert early.post(enroll, {"agree_privacy": "on"}).status_code == 302
    assert wait_for(lambda: smtp_sink.delivered_to(before.email), timeout=20), worker.log()[-3000:]

    private_redis.kill()

    citizen = portal.browser(during)
    citizen.open_form(detail)
    started = time.monotonic()
    response = citizen.post(enroll, {"agree_privacy": "on"})
    enroll_took = time.monotonic() - started
    assert response.status_code == 302
    assert "수강신청이 확정되었습니다. 안내 메일을 보내 드렸습니다." in page_messages(
        citizen.get(response.headers["Location"]).text
    )

    reader = portal.browser()
    reader.open_form(newsletter)
    started = time.monotonic()
    response = reader.post(newsletter, {"email": SUBSCRIBER, "agree": "on"})
    subscribe_took = time.monotonic() - started
    assert response.status_code == 302
    assert any("확인 메일을 보냈습니다" in text for text in page_messages(reader.get(newsletter).text))
    # Trying the dead broker costs a moment, not a hung page.
    assert enroll_took < 5 and subscribe_took < 5, (enroll_took, subscribe_took)

    enrollment = Enrollment.objects.get(course=course, user=during)
    assert enrollment.status == EnrollmentStatus.CONFIRMED
    subscriber = Subscriber.objects.get(email=SUBSCRIBER)
    assert subscriber.status == Subscriber.Status.PENDING
    held = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING)
    assert set(held.values_list("dedup_key", flat=True)) == {
        f"course-enrollment-confirmed:{enrollment.pk}",
        f"newsletter-confirm:{subscriber.pk}:1",
    }
    held_ids = list(held.values_list("pk", flat=True))
    assert smtp_sink.delivered_to(during.email) == smtp_sink.delivered_to(SUBSCRIBER) == []

    private_redis.start()
    # Beat's flush runs every minute and leaves e-mails younger than a minute to their own task: age the
    # rows by the minute that would pass. Two ticks arrive at once (a duplicated beat): still one e-mail each.
    OutboxEmail.objects.filter(pk__in=held_ids).update(created_at=F("created_at") - timedelta(minutes=2))
    _fresh_connection_pools(app)
    flush_outbox.delay()
    flush_outbox.delay()

    sent = OutboxEmail.objects.filter(pk__in=held_ids, status=OutboxEmail.Status.SENT)
    assert wait_for(lambda: sent.count() == 2, timeout=30), worker.log()[-3000:]
    wait_until_settled(smtp_sink.delivered_count)
    assert len(smtp_sink.delivered_to(before.email)) == 1
    assert len(smtp_sink.delivered_to(during.email)) == 1
    [confirmation] = smtp_sink.delivered_to(SUBSCRIBER)
    assert "뉴스레터 구독을 확인해 주세요" in confirmation["Subject"]
    assert smtp_sink.delivered_count() == 3
    assert set(OutboxEmail.objects.values_list("status", "attempts")) == {(OutboxEmail.Status.SENT, 1)}
