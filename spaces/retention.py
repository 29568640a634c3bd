"""Retention of bookings' personal data: a year after the booking ended, the requester, contact, group and
purpose are erased; the slot stays for the statistics. A year is longer than the no-show window
(``services.NO_SHOW_WINDOW``), so the no-show rule always sees what it needs.

Period: ``RETENTION_DAYS_SPACE_BOOKINGS``."""

from django.utils.translation import gettext_lazy as _

from jeonju_center.common.retention import RETENTION_JOB, retention_policy, start_of_day

from . import services


@retention_policy(
    "space_bookings", label=_("공간 대관 신청자와 이용 목적"), default_days=365, minimum_days=181
)
def anonymise_old_bookings(*, cutoff, now):
    return services.bookings_anonymise(ended_before=start_of_day(cutoff), actor=RETENTION_JOB, now=now)
