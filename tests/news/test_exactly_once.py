"""Each subscriber gets each newsletter issue exactly once, even when a worker dies mid-send and the batch
task runs again (twice, at the same time). On PostgreSQL: real row locks, real transactions, real threads;
and, with Redis, real worker processes killed with SIGKILL and restarted."""

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection

from jeonju_center.common.models import OutboxEmail
from jeonju_center.common.outbox import outbox_pending, outbox_send
from jeonju_center.news import services
from jeonju_center.news.models import NewsletterDelivery, NewsletterIssue
from tests.actors import TEST_JOB
from tests.conftest import REPO_ROOT, _database_url_for_subprocess, _redis_broker_url
from tests.courses.factories import future_course

from .factories import NewsletterIssueFactory, NewsPostFactory, SubscriberFactory

BASE = "https://portal.example.kr/"


class WorkerKilled(Exception):
    """Stands for the worker process dying in the middle of a batch."""


def _issue():
    issue = NewsletterIssueFactory(subject="exactly-once 호")
    issue.news_posts.add(NewsPostFactory())
    services.newsletter_issue_items_set(
        actor=TEST_JOB, issue=issue, section_key="courses", objects=[future_course()]
    )
    return issue


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_dying_mid_batch_and_a_duplicated_task_still_send_each_subscriber_one_email(monkeypatch):
    monkeypatch.setattr(services, "BATCH_SIZE", 5)
    subscribers = SubscriberFactory.create_batch(12)
    issue = _issue()

    real_enqueue = services.outbox_enqueue
    calls = {"n": 0}

    def dying_enqueue(**kwargs):
        calls["n"] += 1
        if calls["n"] == 8:  # the third e-mail of the second batch
            raise WorkerKilled
        return real_enqueue(**kwargs)

    monkeypatch.setattr(services, "outbox_enqueue", dying_enqueue)
    # Commits, then runs the first batch (eager Celery); the second batch dies half-way.
    services.newsletter_send_start(issue_id=issue.pk, actor=TEST_JOB, base_url=BASE)

    # The first batch is committed and sent; nothing of the second batch survived its death.
    statuses = Counter(NewsletterDelivery.objects.filter(issue=issue).values_list("status", flat=True))
    assert statuses == {"queued": 5, "pending": 7}
    assert OutboxEmail.objects.filter(dedup_key__startswith=f"newsletter:{issue.pk}:").count() == 5
    assert len(mail.outbox) == 5
    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENDING

    # The broker redelivers the task and the resume job queues it too: two runs at the same moment.
    monkeypatch.setattr(services, "outbox_enqueue", real_enqueue)
    errors = []

    def redelivered():
        try:
            services.newsletter_send_batch(issue_id=issue.pk, actor=TEST_JOB)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=redelivered) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    # And once more after everything finished: it finds nothing to do.
    assert services.newsletter_send_batch(issue_id=issue.pk, actor=TEST_JOB) == 0

    issue.refresh_from_db()
    assert issue.status == NewsletterIssue.Status.SENT
    received = Counter(message.to[0] for message in mail.outbox if message.subject == "exactly-once 호")
    assert received == {subscriber.email: 1 for subscriber in subscribers}
    emails = OutboxEmail.objects.filter(dedup_key__startswith=f"newsletter:{issue.pk}:")
    assert emails.count() == 12
    assert set(emails.values_list("status", "attempts")) == {("sent", 1)}


@pytest.fixture
def quiet_mailbox(tmp_path, monkeypatch):
    """Worker processes write their e-mails to files here (one file per SMTP-like connection)."""
    folder = tmp_path / "mail"
    folder.mkdir()
    # Four slashes: django-environ drops one, and the path must stay absolute.
    monkeypatch.setenv("EMAIL_URL", f"filemail:///{folder}")
    return folder


def _start_worker(broker_url):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jeonju_center.settings",
        "DJANGO_ENV": "development",
        "DATABASE_URL": _database_url_for_subprocess(),
        "CELERY_BROKER_URL": broker_url,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "jeonju_center", "worker", "--pool=solo", "--concurrency=1",
         "--queues=celery", "--without-mingle", "--without-gossip", "--without-heartbeat", "--loglevel=WARNING"],
        cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _wait_for(condition, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _wait_until_settled(read, quiet=5.0, timeout=90):
    """Wait until ``read()`` has not changed for ``quiet`` seconds (or ``timeout`` passes)."""
    deadline, last, since = time.monotonic() + timeout, read(), time.monotonic()
    while time.monotonic() < deadline and time.monotonic() - since < quiet:
        time.sleep(0.2)
        current = read()
        if current != last:
            last, since = current, time.monotonic()
    return last


@pytest.mark.redis
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_real_workers_killed_and_restarted_mid_send_deliver_each_issue_once(quiet_mailbox, monkeypatch):
    """A worker is SIGKILLed while the batch chain runs; a new worker plus the periodic jobs (resume the
    chain, flush the outbox) finish the issue; every subscriber has exactly one e-mail."""
    import redis

    from jeonju_center.celery import app
    from jeonju_center.news.tasks import send_newsletter_batch

    base = _redis_broker_url()
    # A Redis database of this test alone: the workers consume the default queue there.
    broker_url = re.sub(r"/\d+$", "", base) + "/14"
    redis.Redis.from_url(broker_url).flushdb()
    subscribers = SubscriberFactory.create_batch(30)
    issue = _issue()

    monkeypatch.setattr(services, "dispatch_batch", lambda issue_id, batch_size=None: None)
    services.newsletter_send_start(issue_id=issue.pk, actor=TEST_JOB, base_url=BASE)

    app.conf.update(task_always_eager=False)
    producer = app.connection_for_write(broker_url)
    workers = []
    try:
        workers.append(_start_worker(broker_url))
        # Batches of 3, and the same first task twice (a duplicated delivery).
        send_newsletter_batch.apply_async(args=(issue.pk, 3), connection=producer)
        send_newsletter_batch.apply_async(args=(issue.pk, 3), connection=producer)
        queued = NewsletterDelivery.objects.filter(issue=issue, status="queued")
        assert _wait_for(lambda: queued.count() >= 9), "the first worker handled no batch"
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(timeout=30)
        killed_at = queued.count()
        assert killed_at < 30, "the worker finished before it could be killed; nothing was tested"

        workers.append(_start_worker(broker_url))
        # The periodic resume job (beat) notices the broken chain and restarts it.
        from jeonju_center.news.tasks import resume_newsletter_sends

        resume_newsletter_sends.apply_async(connection=producer)
        assert _wait_for(lambda: NewsletterIssue.objects.get(pk=issue.pk).status == "sent"), "never finished"
        emails = OutboxEmail.objects.filter(dedup_key__startswith=f"newsletter:{issue.pk}:")
        # Tasks the killed worker held come back only after Redis's visibility timeout; whatever is still
        # pending once the live worker has settled is the periodic flush's job (run below).
        _wait_until_settled(lambda: emails.filter(status="pending").count())
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()
        producer.release()
        redis.Redis.from_url(broker_url).flushdb()
        app.conf.update(task_always_eager=True)

    # The periodic outbox flush sends what a killed worker had in hand (run here, in this process).
    for email_id in outbox_pending(older_than=timedelta(0)):
        outbox_send(email_id=email_id)

    written = "".join(path.read_text() for path in quiet_mailbox.iterdir())
    received = Counter(re.findall(r"^To: (\S+)$", written, flags=re.MULTILINE))
    received.update(message.to[0] for message in mail.outbox)
    assert emails.count() == 30
    # Nobody gets the issue twice. A message the killed worker had claimed but not finished is never sent
    # again automatically: it stays "sending" for staff to check, so nothing is lost without a trace.
    assert max(received.values()) == 1
    in_doubt = list(emails.filter(status="sending").values_list("to", flat=True))
    missing = {subscriber.email for subscriber in subscribers} - set(received)
    assert {address for recipients in in_doubt for address in recipients} >= missing
    assert len(in_doubt) <= 1  # the killed worker (solo pool) had at most one message in hand
    assert set(emails.values_list("status", flat=True)) <= {"sent", "sending"}
