"""Shared reads of partner centers and their API keys."""

import datetime

from django.db.models import Q
from django.utils import timezone

# Keys expiring within this many days are announced to the center administrators (renew them in time).
EXPIRY_WARNING_DAYS = 30


def api_keys_expiring_q(*, now=None, days=EXPIRY_WARNING_DAYS):
    """Keys still in use that expire within ``days`` from ``now``."""
    now = now or timezone.now()
    return Q(revoked=False, expiry_date__gte=now, expiry_date__lt=now + datetime.timedelta(days=days))


def api_keys_expired_q(*, now=None):
    """Keys past their expiry date that nobody revoked."""
    return Q(revoked=False, expiry_date__lt=now or timezone.now())
