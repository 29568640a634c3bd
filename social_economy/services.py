"""Writes of the social-economy data, shared by the admin and the partner API."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import ConsultingCase, ConsultingSession, Organization, OrganizationStatus


@transaction.atomic
def consulting_case_create(
    *, organization, partner_center, topic, title, opened_on, summary=""
) -> ConsultingCase:
    """Open a consulting case for ``organization``, delivered with ``partner_center`` (None: the center
    alone). A closed organization gets no new consulting."""
    # Locked so the organization cannot be closed between the check and the insert.
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.status == OrganizationStatus.CLOSED:
        raise ValidationError({"organization": _("폐업한 조직에는 컨설팅을 등록할 수 없습니다.")})
    case = ConsultingCase(
        organization=organization,
        partner_center=partner_center,
        topic=topic,
        title=title,
        opened_on=opened_on,
        summary=summary,
        status=ConsultingCase.Status.REQUESTED,
    )
    case.full_clean()
    case.save()
    return case


@transaction.atomic
def consulting_session_create(*, case, held_on, consultant, hours, notes="") -> ConsultingSession:
    """Record a consulting session of ``case``; the first session moves a requested case to in progress."""
    case = ConsultingCase.objects.select_for_update().get(pk=case.pk)
    if case.status == ConsultingCase.Status.CANCELLED:
        raise ValidationError({"case": _("취소된 컨설팅에는 회차를 추가할 수 없습니다.")})
    if hours is not None and hours <= 0:
        raise ValidationError({"hours": _("컨설팅 시간은 0보다 커야 합니다.")})
    session = ConsultingSession(case=case, held_on=held_on, consultant=consultant, hours=hours, notes=notes)
    session.full_clean()
    session.save()
    if case.status == ConsultingCase.Status.REQUESTED:
        case.status = ConsultingCase.Status.IN_PROGRESS
    # Saved in any case: the case's updated_at is what partners' ``updated_since`` sees.
    case.save(update_fields=["status", "updated_at"])
    return session
