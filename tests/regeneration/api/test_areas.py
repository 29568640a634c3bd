"""The partner API's ``areas`` (activation areas)."""

import datetime

import pytest
from django.utils import timezone

from regeneration.models import ActivationArea, AreaType
from tests.api.support import assert_constant_queries

from ..factories import ActivationAreaFactory, DongFactory, ResidentCouncilFactory
from .support import D, assert_invalid, day, events_after, last_event_id, page

pytestmark = pytest.mark.django_db


def make_areas():
    jungang, pungnam = DongFactory(name="중앙동"), DongFactory(name="풍남동")
    gamyeong = ActivationAreaFactory(
        name="전라감영 일원",
        area_type=AreaType.CENTRAL_URBAN,
        designated_on=day(2019, 5, 1),
        size_m2=D("152000.00"),
        project_budget=25_000_000_000,
        dongs=[jungang, pungnam],
    )
    council = ResidentCouncilFactory(area=gamyeong, name="감영 주민협의체")
    seohak = ActivationAreaFactory(
        name="서학동 일원",
        area_type=AreaType.OUR_NEIGHBORHOOD,
        designated_on=day(2021, 1, 1),
        size_m2=None,
        project_budget=5_000_000_000,
        dongs=[DongFactory(name="동서학동")],
    )
    return {"gamyeong": gamyeong, "seohak": seohak, "council": council, "jungang": jungang}


def test_areas_list_shows_the_dongs_and_the_council(api):
    areas = make_areas()
    body = page(api, "/api/v1/areas/")
    assert body["count"] == 2
    assert [row["name"] for row in body["results"]] == ["서학동 일원", "전라감영 일원"]  # newest first
    gamyeong = body["results"][1]
    assert list(gamyeong) == [
        "id",
        "name",
        "area_type",
        "area_type_label",
        "designated_on",
        "ends_on",
        "dongs",
        "dong_names",
        "description",
        "size_m2",
        "project_budget",
        "council",
        "council_name",
        "updated_at",
    ]
    assert gamyeong["id"] == areas["gamyeong"].id
    assert gamyeong["area_type"] == "central_urban"
    assert gamyeong["area_type_label"] == "중심시가지형"
    assert gamyeong["designated_on"] == "2019-05-01"
    assert gamyeong["size_m2"] == "152000.00"
    assert gamyeong["project_budget"] == 25_000_000_000
    assert dict(zip(gamyeong["dongs"], gamyeong["dong_names"], strict=True)) == {
        areas["jungang"].id: "중앙동",
        DongFactory(name="풍남동").id: "풍남동",
    }
    assert gamyeong["council"] == areas["council"].id
    assert gamyeong["council_name"] == "감영 주민협의체"
    seohak = body["results"][0]
    assert seohak["council"] is None
    assert seohak["council_name"] is None
    assert seohak["dong_names"] == ["동서학동"]


def test_area_detail(api):
    areas = make_areas()
    response = api.get(f"/api/v1/areas/{areas['seohak'].id}/")
    assert response.status_code == 200
    assert response.json()["name"] == "서학동 일원"
    assert response.json()["area_type_label"] == "우리동네살리기"
    assert api.get("/api/v1/areas/999999/").status_code == 404


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"area_type": "central_urban"}, ["전라감영 일원"]),
        ({"area_type": "our_neighborhood"}, ["서학동 일원"]),
        ({"dong": "jungang"}, ["전라감영 일원"]),
        ({"q": "서학"}, ["서학동 일원"]),
        ({"q": "없는 지역"}, []),
    ],
)
def test_area_filters(api, params, expected):
    areas = make_areas()
    params = {key: areas[value].id if value in areas else value for key, value in params.items()}
    assert [row["name"] for row in page(api, "/api/v1/areas/", params)["results"]] == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [({"area_type": "metropolis"}, "area_type"), ({"dong": "abc"}, "dong"), ({"dong": "999999"}, "dong")],
)
def test_area_invalid_filters_are_400(api, params, field):
    assert_invalid(api, "/api/v1/areas/", params, field)


def test_area_ordering(api):
    make_areas()

    def names(ordering):
        return [r["name"] for r in page(api, "/api/v1/areas/", {"ordering": ordering})["results"]]

    assert names("name") == ["서학동 일원", "전라감영 일원"]
    assert names("-name") == ["전라감영 일원", "서학동 일원"]
    assert names("designated_on") == ["전라감영 일원", "서학동 일원"]


def test_area_updated_since(api):
    areas = make_areas()
    ActivationArea.objects.update(updated_at=timezone.now() - datetime.timedelta(days=3))
    areas["seohak"].save()
    body = page(api, "/api/v1/areas/", {"updated_since": areas["seohak"].updated_at.isoformat()})
    assert [row["name"] for row in body["results"]] == ["서학동 일원"]


def test_area_csv_flattens_the_dong_lists(api):
    areas = make_areas()
    response = api.get("/api/v1/areas/?format=csv&ordering=name")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert header[:3] == ["id", "name", "area_type"]
    assert {"dongs.0", "dongs.1", "dong_names.0", "dong_names.1", "council"} <= set(header)
    gamyeong = dict(zip(header, lines[2].split(","), strict=True))
    assert gamyeong["name"] == "전라감영 일원"
    assert {gamyeong["dong_names.0"], gamyeong["dong_names.1"]} == {"중앙동", "풍남동"}
    assert gamyeong["council"] == str(areas["council"].id)


def test_area_list_query_count_is_constant(api):
    dongs = [DongFactory(name="중앙동"), DongFactory(name="풍남동")]

    def add_rows(n):
        for _ in range(n):
            ResidentCouncilFactory(area=ActivationAreaFactory(dongs=dongs))

    assert_constant_queries(api, "/api/v1/areas/", add_rows)


def test_area_feed_events():
    marker = last_event_id()
    area = ActivationAreaFactory()
    area.name = "이름을 바꾼 지역"
    area.save()
    council = ResidentCouncilFactory(area=area)  # the area shows its council
    council.delete()
    area_id = area.id
    area.delete()
    key = str(area_id)
    assert events_after(marker, "areas") == [
        (key, "created"),
        (key, "updated"),
        (key, "updated"),
        (key, "updated"),
        (key, "deleted"),
    ]
