"""알림톡/SMS through a real Celery worker and a provider's HTTP API (the fake one on 127.0.0.1): a worker
killed before it claims the message sends it once; a worker killed while the provider holds the request
never sends it again by itself (nobody can know whether it left) and waits for staff, who resend it once.

The messages here are time-critical so that the night-time rule (the worker's own clock) cannot hold them."""

import pytest

from jeonju_center.common.messaging import message_enqueue
from jeonju_center.common.models import OutboxMessage
from jeonju_center.common.tasks import send_outbox_message
from tests.fake_message_provider import API_KEY, API_SECRET, FakeMessageProvider

from .conftest import OpenTransaction, wait_for, wait_until_settled
from .test_worker_killed import PATIENT, REDELIVER_AFTER, held_by_redis, kill_pool_process

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

SEND_MESSAGE = "jeonju_center.common.tasks.send_outbox_message"
PHONE = "010-3456-7890"


@pytest.fixture
def provider():
    fake = FakeMessageProvider().start()
    yield fake
    fake.stop()


def provider_env(provider):
    return {
        "MESSAGE_BACKEND": "http",
        "MESSAGE_PROVIDER_URL": provider.url,
        "MESSAGE_API_KEY": API_KEY,
        "MESSAGE_API_SECRET": API_SECRET,
        "MESSAGE_SENDER": "063-281-0000",
    }


def test_a_message_whose_pool_process_is_killed_before_sending_is_sent_once(celery_workers, provider):
    worker = celery_workers(**PATIENT, **provider_env(provider))
    message = OutboxMessage.objects.create(
        dedup_key="faults:message-killed-before-claim",
        phone=PHONE,
        event="waitlist_promoted",
        text="한 번만",
        time_critical=True,
    )

    with OpenTransaction(lambda: list(OutboxMessage.objects.select_for_update().filter(pk=message.pk))):
        task = send_outbox_message.delay(message.pk)
        first = wait_for(lambda: worker.backends(waiting_on_lock=True), timeout=15)
        assert first, worker.log()[-3000:]
        kill_pool_process(worker)
        assert wait_for(lambda: set(worker.backends(waiting_on_lock=True)) - set(first), timeout=15)
        assert provider.requests == []

    assert wait_for(
        lambda: OutboxMessage.objects.get(pk=message.pk).status == OutboxMessage.Status.SENT, timeout=20
    )
    wait_until_settled(lambda: len(provider.requests))
    assert len(provider.delivered_to(PHONE)) == 1
    assert len(provider.requests) == 1
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 1
    assert worker.received(SEND_MESSAGE).count(task.id) >= 2


def test_a_message_whose_worker_dies_at_the_provider_is_not_sent_twice_and_waits_for_staff(
    celery_workers, provider, private_redis, admin_client
):
    env = provider_env(provider)
    worker = celery_workers(redeliver_after=REDELIVER_AFTER, **env)
    provider.hold()
    message = message_enqueue(
        dedup_key="faults:message-killed-mid-send",
        phone=PHONE,
        event="waitlist_promoted",
        text="확인",
        time_critical=True,
    )

    assert wait_for(provider.held.is_set, timeout=15), worker.log()[-3000:]
    [task_id] = worker.received(SEND_MESSAGE)
    worker.kill()
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.SENDING, 1)
    assert held_by_redis(private_redis) == 1

    provider.let_go()
    replacement = celery_workers(redeliver_after=REDELIVER_AFTER, **env)
    # Redis hands the dead worker's task to the new one, which runs it and sends nothing.
    assert wait_for(lambda: task_id in replacement.received(SEND_MESSAGE), timeout=20), replacement.log()[
        -3000:
    ]
    assert wait_for(lambda: f"{SEND_MESSAGE}[{task_id}] succeeded" in replacement.log(), timeout=15)
    assert wait_for(lambda: held_by_redis(private_redis) == 0, timeout=10)
    assert provider.accepted == []
    assert len(provider.requests) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxMessage.Status.SENDING, 1)

    # Staff find it under "발송 중 (확인 필요)", check with the provider, and resend it with the admin action.
    changelist = "/admin/common/outboxmessage/"
    listed = admin_client.get(changelist, {"status__exact": OutboxMessage.Status.SENDING})
    assert listed.status_code == 200
    assert listed.context["cl"].result_count == 1
    response = admin_client.post(changelist, {"action": "resend", "_selected_action": [message.pk]})
    assert response.status_code == 302

    assert wait_for(
        lambda: OutboxMessage.objects.get(pk=message.pk).status == OutboxMessage.Status.SENT, timeout=20
    )
    wait_until_settled(lambda: len(provider.requests))
    assert len(provider.delivered_to(PHONE)) == 1
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 2
