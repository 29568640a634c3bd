"""Retention of personal data: one policy per kind of data, applied by one periodic job.

Each app declares its policies in a ``retention.py`` module with ``@retention_policy`` (discovered like
``admin.py``). A policy receives the cutoff date — records whose period ended before it are past retention —
anonymises or deletes their personal data irreversibly, and returns how many records it processed. Policies
only touch records not processed yet, so running the job again changes nothing.

Periods are configurable per policy with ``RETENTION_DAYS_<KEY>`` in the environment (e.g.
``RETENTION_DAYS_ENROLLMENTS=1095``); the policy's ``minimum_days`` is a floor no setting can undercut
(the access log must be kept two years).
"""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _

from .actors import Actor

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RetentionPolicy:
    key: str
    label: str
    default_days: int
    minimum_days: int
    apply: object  # callable(*, cutoff: date, now: datetime) -> int

    @property
    def days(self):
        configured = getattr(settings, "PERSONAL_DATA_RETENTION_DAYS", {}).get(self.key, self.default_days)
        return max(int(configured), self.minimum_days)


#: Who the history and the services record for what the policies change.
RETENTION_JOB = Actor.system(_("보존기간 작업"))

_policies = {}


def retention_policy(key, *, label, default_days, minimum_days=0):
    """Register ``func(*, cutoff, now) -> int`` as the retention policy ``key``."""

    def register(func):
        _policies[key] = RetentionPolicy(key, label, default_days, minimum_days, func)
        return func

    return register


def retention_policies():
    autodiscover_modules("retention")
    return dict(_policies)


def cutoff_for(policy, now):
    return timezone.localdate(now) - datetime.timedelta(days=policy.days)


def start_of_day(day):
    """The first moment of ``day`` in the portal's time zone: records at or after it are not expired."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def apply_retention_policies(*, now=None):
    """Apply every policy; record and return ``{policy key: records processed}``."""
    from .models import RetentionRun

    now = now or timezone.now()
    counts = {}
    for key, policy in sorted(retention_policies().items()):
        cutoff = cutoff_for(policy, now)
        with transaction.atomic():
            counts[key] = policy.apply(cutoff=cutoff, now=now)
            RetentionRun.objects.create(policy=key, ran_at=now, cutoff=cutoff, processed_count=counts[key])
        logger.info("retention %s: %d records processed (cutoff %s)", key, counts[key], cutoff)
    return counts


# --- The common app's own policies -----------------------------------------------------------------


@retention_policy("access_log", label=_("개인정보 접근 기록"), default_days=3 * 365, minimum_days=2 * 365 + 1)
def purge_access_log(*, cutoff, now):
    from .models import PersonalDataAccess

    start_of_cutoff = start_of_day(cutoff)
    return PersonalDataAccess.objects.all().purge_older_than(start_of_cutoff)


@retention_policy("sent_emails", label=_("발송한 메일 본문"), default_days=180)
def purge_sent_emails(*, cutoff, now):
    """Sent e-mails hold names, course and address details; once delivered they are not needed for long."""
    from .models import OutboxEmail

    start_of_cutoff = start_of_day(cutoff)
    deleted, _per_model = OutboxEmail.objects.filter(
        status=OutboxEmail.Status.SENT, sent_at__lt=start_of_cutoff
    ).delete()
    return deleted


@retention_policy("login_records", label=_("로그인 기록"), default_days=2 * 365 + 1, minimum_days=365)
def purge_login_records(*, cutoff, now):
    """django-axes keeps every login (address, browser) and every failure; they are access records of the
    back office (접속기록) and are kept as long as the law asks, not forever."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    start_of_cutoff = start_of_day(cutoff)
    deleted = AccessLog.objects.filter(attempt_time__lt=start_of_cutoff).delete()[0]
    deleted += AccessFailureLog.objects.filter(attempt_time__lt=start_of_cutoff).delete()[0]
    deleted += AccessAttempt.objects.filter(attempt_time__lt=start_of_cutoff).delete()[0]
    return deleted


@retention_policy("sent_messages", label=_("발송한 알림톡·문자"), default_days=180)
def purge_sent_messages(*, cutoff, now):
    """Notices hold a phone number and the course or result they were about: delivered, failed or cancelled
    ones are not kept longer than the e-mails."""
    from .models import OutboxMessage

    start_of_cutoff = start_of_day(cutoff)
    done = [OutboxMessage.Status.SENT, OutboxMessage.Status.FAILED, OutboxMessage.Status.CANCELLED]
    return OutboxMessage.objects.filter(status__in=done, created_at__lt=start_of_cutoff).delete()[0]
