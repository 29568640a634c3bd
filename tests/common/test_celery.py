import time

import pytest
from django.conf import settings

from jeonju_center.celery import app
from jeonju_center.common.models import ServiceHeartbeat
from jeonju_center.common.tasks import record_heartbeat


@pytest.mark.redis
def test_real_worker_on_redis_runs_a_queued_task(celery_worker_process):
    celery_worker_process(record_heartbeat, "worker-integration-test")

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if ServiceHeartbeat.objects.filter(component="worker-integration-test").exists():
            break
        time.sleep(0.3)
    assert ServiceHeartbeat.objects.filter(component="worker-integration-test").count() == 1


def test_celery_is_json_only_with_time_limits_and_late_acks():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit == 300
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit
    assert app.conf.task_acks_late is True
    assert app.conf.task_reject_on_worker_lost is True


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, f"beat entry {name} names an unknown task {entry['task']}"


@pytest.mark.django_db
def test_heartbeat_task_is_idempotent_per_component():
    record_heartbeat("beat")
    first = ServiceHeartbeat.objects.get(component="beat").last_seen
    record_heartbeat("beat")
    assert ServiceHeartbeat.objects.filter(component="beat").count() == 1
    assert ServiceHeartbeat.objects.get(component="beat").last_seen >= first
