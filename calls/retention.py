"""Retention of applicants' personal data: those not selected (미선정, 예비로 끝난 분, 포기, 철회, and drafts never
handed in) lose their name, birth date, contact details, answers, group members and documents once the call's
own retention period has passed (``Call.retention_days`` after the announcement, one year by default).

What stays is what the published result and the draw need: the receipt number, the status, the rank and the
draw position (so ``verify_draw`` still recomputes the draw). Selected applicants' data goes on in their tenancy or
community, under those records' own retention rules. ``RETENTION_DAYS_CALL_APPLICANTS`` adds days to every
call's own period (default 0)."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.actors import writes
from jeonju_center.common.retention import RETENTION_JOB, retention_policy

from .models import Application, ApplicationDocument, ApplicationMember, ApplicationStatus, Call
from .services import documents_delete

NOT_KEPT = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.NOT_SELECTED,
    ApplicationStatus.RESERVE,
    ApplicationStatus.DECLINED,
    ApplicationStatus.WITHDRAWN,
)


@retention_policy("call_applicants", label=_("모집·공모 미선정 신청인 정보와 제출 서류"), default_days=0)
def destroy_unselected_applicants(*, cutoff, now):
    # ``cutoff`` is today minus the extra days; each call's own period is added below.
    return applications_destroy(before=cutoff, actor=RETENTION_JOB, now=now)


@writes(Application, ApplicationMember)
def applications_destroy(*, before, actor, now=None):
    """Destroy the personal data of the applications not kept whose call's retention period ended before
    ``before`` (a date). Returns how many applications were processed; a rerun processes none again."""
    now = now or timezone.now()
    expired_calls = [
        call.pk
        for call in Call.objects.only("pk", "announce_on", "retention_days")
        if call.announce_on + datetime.timedelta(days=call.retention_days) < before
    ]
    targets = Application.objects.filter(
        call_id__in=expired_calls, status__in=NOT_KEPT, anonymised_at__isnull=True
    )
    ids = list(targets.values_list("pk", flat=True))
    if not ids:
        return 0
    with transaction.atomic():
        documents_delete(ApplicationDocument.objects.filter(application_id__in=ids), actor=actor)
        ApplicationMember.objects.filter(application_id__in=ids).delete()
        Application.objects.filter(pk__in=ids).update(
            applicant=None,
            applicant_name="",
            birth_date=None,
            phone="",
            email="",
            dong=None,
            motivation="",
            answers={},
            revision_message="",
            anonymised_at=now,
            updated_at=now,
        )
    return len(ids)
