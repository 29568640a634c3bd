"""Public pages of urban regeneration: areas and councils with published minutes, and the vacant-house
program map. Public fields only; the selectors load nothing else."""

from django.conf import settings
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from jeonju_center.common.download_reasons import stored_file_response
from jeonju_center.common.storage import public_storage

from . import selectors
from .filters import PublicHouseFilterSet
from .models import BuildingType, HouseStatus, ProgramKind

DEFAULT_TILE_URL = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
DEFAULT_TILE_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
)
JEONJU_CENTER = (35.8150, 127.1480)


def _map_settings():
    return {
        "tile_url": getattr(settings, "REGENERATION_MAP_TILE_URL", DEFAULT_TILE_URL),
        "tile_attribution": getattr(settings, "REGENERATION_MAP_TILE_ATTRIBUTION", DEFAULT_TILE_ATTRIBUTION),
        "center": JEONJU_CENTER,
    }


@require_safe
def index(request):
    return render(request, "regeneration/index.html", {"areas": selectors.public_area_list()})


@require_safe
def council_detail(request, council_id):
    council = selectors.public_council(council_id)
    if council is None:
        raise Http404(_("주민협의체를 찾을 수 없습니다."))
    return render(
        request,
        "regeneration/council_detail.html",
        {
            "council": council,
            "upcoming": selectors.council_upcoming_meetings(council),
            "minutes": selectors.council_published_minutes(council),
        },
    )


@require_safe
def attachment_download(request, attachment_id):
    attachment = selectors.public_attachment(attachment_id)
    if attachment is None or not attachment.file:
        raise Http404(_("공개된 첨부파일이 아닙니다."))
    return stored_file_response(attachment.file, not_found=_("파일을 찾을 수 없습니다."))


def _public_house(row):
    status = row["status"]
    kind = row["current_program__kind"]
    title = row["public_title"] or _("%(dong)s 빈집") % {"dong": row["dong__name"]}
    return {
        "id": row["id"],
        "title": title,
        "dong": row["dong__name"],
        "building_type": str(BuildingType(row["building_type"]).label),
        "built_year": row["built_year"],
        "status": status,
        "status_label": str(HouseStatus(status).label),
        # A house not yet in use shows no program: only the use it is put to is public.
        "program": row["current_program__name"] if kind else "",
        "program_kind": kind or "",
        "program_kind_label": str(ProgramKind(kind).label) if kind else "",
        "description": row["public_description"],
        # The public storage's copy, re-encoded without EXIF (GPS) when it was uploaded (PhotoField).
        "photo_url": public_storage.url(row["public_photo"]) if row["public_photo"] else "",
        "latitude": selectors.rounded_coordinate(row["latitude"]),
        "longitude": selectors.rounded_coordinate(row["longitude"]),
    }


def _filtered_houses(request):
    filterset = PublicHouseFilterSet(request.GET or None, queryset=selectors.public_map_houses())
    if filterset.is_bound and not filterset.is_valid():
        return filterset, None
    return filterset, [_public_house(row) for row in filterset.qs]


@require_safe
def houses(request):
    """The program map with a list that works without the map and without JavaScript."""
    filterset, rows = _filtered_houses(request)
    context = {
        "filter": filterset,
        "houses": rows or [],
        "invalid": rows is None,
        "map": _map_settings(),
        "geojson_query": request.GET.urlencode(),
    }
    return render(request, "regeneration/houses.html", context, status=400 if rows is None else 200)


@require_safe
def houses_geojson(request):
    """The houses of the map as GeoJSON (public fields, coordinates rounded to about 100 m)."""
    filterset, rows = _filtered_houses(request)
    if rows is None:
        errors = {field: [str(e) for e in errs] for field, errs in filterset.errors.items()}
        return JsonResponse(
            {"code": "invalid", "detail": _("필터 값이 올바르지 않습니다."), "errors": errors},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": {key: value for key, value in row.items() if key not in ("latitude", "longitude")},
        }
        for row in rows
        if row["latitude"] is not None and row["longitude"] is not None
    ]
    response = JsonResponse(
        {"type": "FeatureCollection", "features": features}, json_dumps_params={"ensure_ascii": False}
    )
    response["Content-Type"] = "application/geo+json; charset=utf-8"
    return response
