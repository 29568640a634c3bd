"""Reads shared by the partner API and the public pages: public rows only, with what their lists need
loaded up front (related rows, counts) so that a list runs the same queries for 10 rows as for 200."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import ExtractYear
from django.utils import timezone

from jeonju_center.common.queries import count_of

from .models import (
    ActivationArea,
    CouncilMeeting,
    CouncilPosition,
    HouseStatus,
    HouseStatusChange,
    HousingProgram,
    MeetingAttachment,
    ResidentCouncil,
    Tenancy,
    VacantHouse,
    grade_label,
)


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
        houses_in_use_count=count_of(
            VacantHouse.objects.filter(status=HouseStatus.IN_USE), "current_program"
        ),
        active_tenancy_count=count_of(active_tenancies(today=today), "program"),
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


# --- Public pages -----------------------------------------------------------------------------------

# Houses a citizen may see on the map: open for reuse (owner consented), being renovated, or in use.
PUBLIC_MAP_STATUSES = (HouseStatus.CONSENT_OBTAINED, HouseStatus.RENOVATION, HouseStatus.IN_USE)
# Fields a public page may read; nothing else is loaded, so a template cannot leak the rest.
PUBLIC_HOUSE_FIELDS = (
    "id",
    "management_number",
    "dong__name",
    "building_type",
    "built_year",
    "status",
    "current_program__name",
    "current_program__kind",
    "public_title",
    "public_description",
    "public_photo",
    "latitude",
    "longitude",
)
COORDINATE_STEP = Decimal("0.001")  # about 100 m, as in the partner API


def public_map_houses():
    """Houses shown on the public map, as plain dicts of public fields with coordinates rounded to
    about 100 m (never the address, the owner or a tenant)."""
    return (
        VacantHouse.objects.filter(is_public=True, status__in=PUBLIC_MAP_STATUSES)
        .order_by("dong__name", "management_number")
        .values(*PUBLIC_HOUSE_FIELDS)
    )


def rounded_coordinate(value):
    return None if value is None else float(Decimal(value).quantize(COORDINATE_STEP, rounding=ROUND_HALF_UP))


def public_area_list():
    """Activation areas with their dongs and council (id and name), for the public index."""
    return area_list().order_by("-designated_on", "name")


def public_council(council_id):
    """A council with its area and member counts (no names), or None."""
    return council_list().filter(pk=council_id).first()


def council_upcoming_meetings(council, *, now=None):
    """Meetings still to come: date, place and agenda are public before the meeting."""
    now = now or timezone.now()
    return (
        council.meetings.filter(held_at__gte=now)
        .order_by("held_at")
        .only("id", "council_id", "title", "held_at", "place", "agenda")
    )


def council_published_minutes(council):
    """Meetings of ``council`` with published minutes and their public attachments."""
    return (
        published_meeting_list()
        .filter(council=council)
        .order_by("-held_at")
        .defer("council__public_description")
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=MeetingAttachment.objects.filter(is_public=True).order_by("title"),
                to_attr="public_attachments",
            )
        )
    )


def public_attachment(attachment_id):
    """A public attachment of published minutes, or None."""
    return (
        MeetingAttachment.objects.filter(pk=attachment_id, is_public=True, meeting__is_published=True)
        .select_related("meeting")
        .first()
    )


# --- Staff dashboards -------------------------------------------------------------------------------


def dashboard(*, today=None):
    """Counts for the regeneration team's dashboard; a fixed number of queries whatever the data size."""
    today = today or timezone.localdate()
    houses = VacantHouse.objects.order_by()
    by_status = dict(houses.values_list("status").annotate(n=Count("pk")))
    by_grade = list(
        houses.exclude(current_grade_scheme="")
        .values("current_grade_scheme", "current_grade")
        .annotate(n=Count("pk"))
        .order_by("current_grade_scheme", "current_grade")
    )
    by_dong = list(
        houses.values("dong__name")
        .annotate(
            total=Count("pk"),
            in_use=Count("pk", filter=Q(status=HouseStatus.IN_USE)),
        )
        .order_by("-total", "dong__name")
    )
    in_use_houses = list(
        houses.filter(status=HouseStatus.IN_USE)
        .annotate(room_count=Count("rooms"))
        .values_list("current_program_id", "room_count")
    )
    units = {}
    for program_id, room_count in in_use_houses:
        units[program_id] = units.get(program_id, 0) + max(room_count, 1)
    living = dict(
        active_tenancies(today=today)
        .filter(house__status=HouseStatus.IN_USE)
        .order_by()
        .values_list("house__current_program_id")
        .annotate(n=Count("pk"))
    )
    programs = []
    for program in housing_program_list(today=today).order_by("-year", "name"):
        unit_count = units.get(program.pk, 0)
        occupied = living.get(program.pk, 0)
        programs.append(
            {
                "program": program,
                "houses_in_use": program.houses_in_use_count,
                "units": unit_count,
                "occupied": occupied,
                "rate": round(100 * occupied / unit_count) if unit_count else None,
            }
        )
    into_use = list(
        HouseStatusChange.objects.filter(to_status=HouseStatus.IN_USE)
        .annotate(year=ExtractYear("changed_at"))
        .values("year")
        .annotate(n=Count("house", distinct=True))
        .order_by("year")
    )
    return {
        "total": sum(by_status.values()),
        "by_status": [
            {"status": label, "code": code, "n": by_status.get(code, 0)}
            for code, label in HouseStatus.choices
        ],
        "by_grade": [
            {**row, "label": grade_label(row["current_grade_scheme"], row["current_grade"])}
            for row in by_grade
        ],
        "by_dong": by_dong,
        "programs": programs,
        "into_use_by_year": into_use,
    }
