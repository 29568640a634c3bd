"""Retention of the partner API's technical logs.

* Idempotency records keep the body of each answered write (consultants' names, session notes) so that a
  retried request gets the same answer. A client retries within minutes or hours: after 30 days they go
  (``RETENTION_DAYS_API_IDEMPOTENCY``).
* Change-feed events let partners mirror the data. A partner that has not followed the feed for longer than
  the period (400 days by default, ``RETENTION_DAYS_API_CHANGE_EVENTS``; at least 90) must fetch everything
  once again, as after their first key, and keep the cursor from there.
"""

from django.utils.translation import gettext_lazy as _

from jeonju_center.common.retention import retention_policy, start_of_day

from .models import ChangeEvent, IdempotencyRecord


@retention_policy(
    "api_idempotency", label=_("API 쓰기 요청의 중복 방지 기록"), default_days=30, minimum_days=2
)
def purge_idempotency_records(*, cutoff, now):
    return IdempotencyRecord.objects.filter(created_at__lt=start_of_day(cutoff)).delete()[0]


@retention_policy("api_change_events", label=_("API 변경 이력(동기화)"), default_days=400, minimum_days=90)
def purge_change_events(*, cutoff, now):
    return ChangeEvent.objects.filter(occurred_at__lt=start_of_day(cutoff)).delete()[0]
