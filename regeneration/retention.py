"""Retention of the regeneration team's personal data: tenants, council members, house owners.

* ``tenancies`` — a tenant's name, phone and birth date are kept 5 years after the tenancy ended (the
  move-out day, else the contract's end): long enough for deposit returns, disputes and program audits.
  Ongoing and open-ended tenancies are never touched.
* ``council_members`` — a council member's name and phone are kept 3 years after the member left the
  council (``ended_on``): the council's records of that term (minutes, attendance) are audited within it.
  Current members (no end date) are never touched.
* ``vacant_house_owners`` — a private owner's name, phone and address, and the scanned consent forms, are
  kept 5 years after the house's last owner consent ended (withdrawn, else expired), once the house is in no
  program and in no state that needs the owner (contacted, consented, renovation, in use). Houses whose
  owner never consented keep the survey data while the house is in the ledger.

Each policy overwrites the personal fields irreversibly, keeps the rows for statistics, marks them with the
time and only touches rows not yet processed, so a second run changes nothing. Periods are configurable:
``RETENTION_DAYS_TENANCIES``, ``RETENTION_DAYS_COUNCIL_MEMBERS``, ``RETENTION_DAYS_VACANT_HOUSE_OWNERS``.
"""

from django.utils.translation import gettext_lazy as _

from jeonju_center.common.retention import RETENTION_JOB, retention_policy

from . import services


@retention_policy("tenancies", label=_("입주 계약의 입주자 개인정보"), default_days=5 * 365)
def anonymise_ended_tenancies(*, cutoff, now):
    return services.tenancies_anonymise_ended(ended_before=cutoff, now=now, actor=RETENTION_JOB)


@retention_policy("council_members", label=_("퇴임한 주민협의체 위원의 개인정보"), default_days=3 * 365)
def anonymise_departed_council_members(*, cutoff, now):
    return services.council_members_anonymise_departed(ended_before=cutoff, now=now, actor=RETENTION_JOB)


@retention_policy(
    "vacant_house_owners", label=_("동의가 끝난 빈집 소유자 개인정보·동의서"), default_days=5 * 365
)
def erase_owner_data_after_consent(*, cutoff, now):
    return services.house_owner_data_erase_expired(consent_ended_before=cutoff, now=now, actor=RETENTION_JOB)
