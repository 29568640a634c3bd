"""The partner API's technical logs are not kept forever: exactly the expired rows go, once, counted."""

import datetime

import pytest
from django.utils import timezone

from jeonju_center.common.models import RetentionRun
from jeonju_center.common.retention import apply_retention_policies, retention_policies
from jeonju_center.partners.models import ChangeEvent, IdempotencyRecord
from tests.partners.factories import make_key

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(datetime.datetime(2027, 9, 15, 3, 30))
SECOND = datetime.timedelta(seconds=1)


def test_the_policies_are_registered_with_their_defaults():
    policies = retention_policies()
    assert policies["api_idempotency"].days == 30
    assert policies["api_change_events"].days == 400


def test_expired_idempotency_records_and_feed_events_go_once(time_machine):
    idempotency_cutoff = timezone.make_aware(datetime.datetime(2027, 8, 16))  # 30 days before NOW's date
    events_cutoff = timezone.make_aware(datetime.datetime(2026, 8, 11))  # 400 days before
    api_key, _ = make_key("consulting:write")
    time_machine.move_to(idempotency_cutoff - SECOND)
    old_record = IdempotencyRecord.objects.create(api_key=api_key, key="old", request_fingerprint="x")
    time_machine.move_to(idempotency_cutoff)
    kept_record = IdempotencyRecord.objects.create(api_key=api_key, key="kept", request_fingerprint="x")
    old_event = ChangeEvent.objects.create(resource="organizations", object_id="1", action="updated",
                                           occurred_at=events_cutoff - SECOND)  # fmt: skip
    kept_event = ChangeEvent.objects.create(resource="organizations", object_id="2", action="updated",
                                            occurred_at=events_cutoff)  # fmt: skip
    time_machine.move_to(NOW)

    counts = apply_retention_policies(now=NOW)
    assert (counts["api_idempotency"], counts["api_change_events"]) == (1, 1)
    assert list(IdempotencyRecord.objects.values_list("pk", flat=True)) == [kept_record.pk]
    assert list(ChangeEvent.objects.values_list("pk", flat=True)) == [kept_event.pk]
    assert not IdempotencyRecord.objects.filter(pk=old_record.pk).exists()
    assert not ChangeEvent.objects.filter(pk=old_event.pk).exists()
    runs = dict(RetentionRun.objects.filter(ran_at=NOW).values_list("policy", "processed_count"))
    assert (runs["api_idempotency"], runs["api_change_events"]) == (1, 1)

    again = apply_retention_policies(now=NOW)
    assert (again["api_idempotency"], again["api_change_events"]) == (0, 0)
