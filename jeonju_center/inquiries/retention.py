"""Retention of inquiries' personal data.

* A visitor's inquiry never confirmed by e-mail is deleted after 7 days (its link lasted 3).
* An answered inquiry keeps the asker and the texts for 3 years (to answer follow-up questions and complaints
  about the answer), then they are erased; team, dates and status stay for the statistics.

Periods: ``RETENTION_DAYS_INQUIRIES_UNCONFIRMED`` and ``RETENTION_DAYS_INQUIRIES``.
"""

from django.utils.translation import gettext_lazy as _

from jeonju_center.common.retention import RETENTION_JOB, retention_policy, start_of_day

from . import services


@retention_policy("inquiries_unconfirmed", label=_("메일 확인을 하지 않은 1:1 문의"), default_days=7)
def purge_unconfirmed_inquiries(*, cutoff, now):
    return services.inquiries_purge_unconfirmed(created_before=start_of_day(cutoff), actor=RETENTION_JOB)


@retention_policy("inquiries", label=_("답변을 마친 1:1 문의의 문의자와 내용"), default_days=1095)
def anonymise_answered_inquiries(*, cutoff, now):
    return services.inquiries_anonymise(answered_before=start_of_day(cutoff), actor=RETENTION_JOB, now=now)
