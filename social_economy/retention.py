"""Retention of the social-economy app's personal data (applied nightly by the common retention job).

* ``survey_respondents`` — the name and phone of the person who answered the full survey (전수조사) for an
  organization are needed while the campaign runs and for follow-up questions about its results; they are
  erased **3 years after the campaign closed** (its ``ends_on``; only campaigns with the status 종료).
  The answers themselves (revenue, products, channels, needs) stay: they identify no private person.
* ``organization_representatives`` — the representative's name (대표자명) of an organization is published
  by the organization while it operates; it is erased **5 years after the organization closed** (폐업일),
  matching the five years business records are kept. Operating and suspended organizations keep it.

Periods are configurable with ``RETENTION_DAYS_SURVEY_RESPONDENTS`` / ``RETENTION_DAYS_ORGANIZATION_
REPRESENTATIVES``. Erasure is irreversible (personal fields are not kept in the change history) and marked
with a time (``respondent_anonymised_at`` / ``representative_anonymised_at``); rows already erased are
skipped, so running the job again changes nothing.
"""

from django.utils.translation import gettext_lazy as _

from jeonju_center.common.retention import RETENTION_JOB, retention_policy

from . import services


@retention_policy("survey_respondents", label=_("전수조사 응답자 이름·연락처"), default_days=3 * 365)
def anonymise_survey_respondents(*, cutoff, now):
    return services.survey_respondents_anonymise(campaigns_ended_before=cutoff, actor=RETENTION_JOB, now=now)


@retention_policy(
    "organization_representatives", label=_("폐업한 사회적경제조직의 대표자명"), default_days=5 * 365
)
def anonymise_organization_representatives(*, cutoff, now):
    return services.organization_representatives_anonymise(closed_before=cutoff, actor=RETENTION_JOB, now=now)
