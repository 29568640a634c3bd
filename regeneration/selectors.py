"""Reads shared by the partner API and the public pages: public rows only, with what their lists need
loaded up front (related rows, counts) so that a list runs the same queries for 10 rows as for 200."""

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import (
    ActivationArea,
    CouncilMeeting,
    CouncilPosition,
    HouseStatus,
    HousingProgram,
    ResidentCouncil,
    Tenancy,
    VacantHouse,
)


def _count_of(queryset, fk):
    """The number of ``queryset`` rows whose ``fk`` is the outer row, as a subquery (0 when none).

    A subquery per relation instead of ``Count()`` over joins: two joined relations would multiply rows."""
    counted = (
        queryset.filter(**{fk: OuterRef("pk")}).order_by().values(fk).annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def area_list():
    """Activation areas with their dongs and the id/name of their resident council (if any)."""
    return ActivationArea.objects.prefetch_related("dongs").annotate(
        council_ref=F("council__id"), council_name=F("council__name")
    )


def vacant_house_list(*, public_map_only=False):
    """The vacant-house ledger. Callers show public fields only (never the address or owner data);
    ``public_map_only`` keeps the houses staff chose to show on the public map."""
    houses = VacantHouse.objects.select_related("dong", "current_program")
    if public_map_only:
        houses = houses.filter(is_public=True)
    return houses


def active_tenancies(*, today=None):
    """Tenancies whose tenant lives in the house on ``today``: moved in and not yet moved out."""
    today = today or timezone.localdate()
    return Tenancy.objects.filter(starts_on__lte=today).filter(
        Q(moved_out_on__isnull=True) | Q(moved_out_on__gt=today)
    )


def housing_program_list(*, today=None):
    """Housing programs with their occupancy as counts only: houses in use and active tenancies."""
    return HousingProgram.objects.annotate(
        houses_in_use_count=_count_of(
            VacantHouse.objects.filter(status=HouseStatus.IN_USE), "current_program"
        ),
        active_tenancy_count=_count_of(active_tenancies(today=today), "program"),
    )


def council_list(*, today=None):
    """Resident councils with their current member count, in total and by position (no names)."""
    today = today or timezone.localdate()
    current = Q(members__ended_on__isnull=True) | Q(members__ended_on__gte=today)
    by_position = {
        f"current_{position}_position_count": Count("members", filter=current & Q(members__position=position))
        for position in CouncilPosition.values
    }
    return ResidentCouncil.objects.select_related("area").annotate(
        current_member_count=Count("members", filter=current), **by_position
    )


def published_meeting_list():
    """Council meetings whose minutes staff have published; unpublished ones do not exist publicly."""
    return CouncilMeeting.objects.filter(is_published=True).select_related("council")
