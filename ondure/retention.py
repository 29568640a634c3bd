"""Retention of the Ondure communities' personal data (applied nightly by the common retention job).

* ``ondure_members`` — a member's name, phone and link to a portal account are erased **3 years after the
  member left** (``left_on``) or **3 years after the community dissolved or graduated** (``dissolved_on`` /
  ``graduated_on``), whichever comes first. The row (role, dates) stays for the program's statistics with
  the name "(익명)".
* ``ondure_leaders`` — the leader's name and phone recorded on the community are erased **3 years after the
  community dissolved or graduated**. Dormant (휴면) communities keep both: they have no end date and may be
  supported again.

Periods are configurable with ``RETENTION_DAYS_ONDURE_MEMBERS`` / ``RETENTION_DAYS_ONDURE_LEADERS``.
Erasure is irreversible (these fields are not kept in the change history) and marked with a time
(``anonymised_at`` / ``leader_anonymised_at``); rows already erased are skipped, so running the job again
changes nothing. Grant evidence files (receipts, settlement reports) are accounting documents of the
community, not of a private person, and are kept.
"""

from django.utils.translation import gettext_lazy as _

from jeonju_center.common.retention import RETENTION_JOB, retention_policy

from . import services


@retention_policy("ondure_members", label=_("온두레 공동체 구성원 성명·연락처"), default_days=3 * 365)
def anonymise_community_members(*, cutoff, now):
    return services.community_members_anonymise(ended_before=cutoff, now=now, actor=RETENTION_JOB)


@retention_policy("ondure_leaders", label=_("해산·졸업한 온두레 공동체 대표자 정보"), default_days=3 * 365)
def anonymise_community_leaders(*, cutoff, now):
    return services.community_leaders_anonymise(ended_before=cutoff, now=now, actor=RETENTION_JOB)
