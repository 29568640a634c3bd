"""Retention of newsletter subscribers' personal data (their e-mail address and consent IP).

* A subscription request nobody confirmed is useless once its link has expired: deleted after 7 days
  (the confirmation link is valid for 7 days, ``services.CONFIRMATION_VALID_DAYS``).
* An unsubscribed address is kept a while (30 days) to answer "did you really stop sending?" questions,
  then erased; the row stays, anonymised, so that subscription statistics keep their counts.

* The library's once-a-day download marks (a keyed hash of a visitor and a day) are deleted after 2 days.

Periods: ``RETENTION_DAYS_NEWSLETTER_UNCONFIRMED``, ``RETENTION_DAYS_NEWSLETTER_UNSUBSCRIBED`` and
``RETENTION_DAYS_LIBRARY_DOWNLOAD_MARKS``.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.retention import RETENTION_JOB, retention_policy

from . import services


def _start_of(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@retention_policy("newsletter_unconfirmed", label=_("확인하지 않은 뉴스레터 구독 신청"), default_days=7)
def purge_unconfirmed_subscriptions(*, cutoff, now):
    return services.subscribers_purge_unconfirmed(
        requested_before=_start_of(cutoff), actor=RETENTION_JOB, now=now
    )


@retention_policy("newsletter_unsubscribed", label=_("구독 해지한 뉴스레터 구독자 이메일"), default_days=30)
def anonymise_unsubscribed_subscribers(*, cutoff, now):
    return services.subscribers_anonymise_unsubscribed(
        unsubscribed_before=_start_of(cutoff), actor=RETENTION_JOB, now=now
    )


@retention_policy("library_download_marks", label=_("자료실 내려받기 중복 확인 기록"), default_days=2)
def purge_library_download_marks(*, cutoff, now):
    return services.publication_downloads_purge(before=cutoff, actor=RETENTION_JOB)
