"""Retention of phone-verification records (the number a code was sent to, when, and whether it was used).

They only matter for the daily code limits and for answering "did you send me a code?" questions; the verified
number itself lives on the account. Period: ``RETENTION_DAYS_PHONE_VERIFICATIONS``.
"""

from django.utils.translation import gettext_lazy as _

from jeonju_center.common.retention import retention_policy, start_of_day

from .models import PhoneVerification


@retention_policy("phone_verifications", label=_("휴대전화 인증 기록"), default_days=30, minimum_days=2)
def purge_phone_verifications(*, cutoff, now):
    # Never shorter than two days: the "five codes a day" limit counts the last 24 hours.
    return PhoneVerification.objects.filter(created_at__lt=start_of_day(cutoff)).delete()[0]
