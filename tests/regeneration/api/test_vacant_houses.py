"""The partner API's ``vacant-houses``: public fields only, filters, ordering, CSV, queries, feed."""

import datetime

import pytest
from django.utils import timezone

from regeneration.models import GradeScheme, HouseStatus, VacantHouse
from tests.api.support import assert_constant_queries

from ..factories import DongFactory, HousingProgramFactory, VacantHouseFactory
from .support import D, assert_invalid, day, events_after, last_event_id, page

pytestmark = pytest.mark.django_db


VACANT_HOUSE_FIELDS = [
    "id",
    "management_number",
    "dong",
    "dong_name",
    "building_type",
    "building_type_label",
    "structure",
    "structure_label",
    "built_year",
    "land_area_m2",
    "floor_area_m2",
    "vacant_since",
    "vacancy_cause",
    "vacancy_cause_label",
    "survey_round",
    "grade_scheme",
    "grade_scheme_label",
    "grade",
    "grade_label",
    "status",
    "status_label",
    "current_program",
    "current_program_name",
    "is_public",
    "public_title",
    "public_description",
    "latitude",
    "longitude",
    "updated_at",
]


def test_vacant_house_shows_public_fields_and_rounded_coordinates_only(api):
    program = HousingProgramFactory(name="해피빌리지 2025")
    house = VacantHouseFactory(
        management_number="JJ-2024-00077",
        address="전북특별자치도 전주시 완산구 풍남동3가 64-7",
        latitude=D("35.815649"),
        longitude=D("127.153451"),
        built_year=1962,
        land_area_m2=D("165.30"),
        floor_area_m2=D("82.50"),
        vacant_since=day(2021, 5, 1),
        survey_round=2024,
        current_grade_scheme=GradeScheme.URBAN_4,
        current_grade=3,
        status=HouseStatus.IN_USE,
        current_program=program,
        owner_name="홍길순",
        owner_phone="010-3141-5926",
        owner_address="서울특별시 마포구 독막로 99",
        public_title="풍남동 한옥 쉐어하우스",
        public_description="청년 세 명이 사는 한옥입니다.",
        note="소유자 아들과 통화함 (내부)",
    )
    body = page(api, "/api/v1/vacant-houses/")
    assert body["count"] == 1
    row = body["results"][0]
    assert list(row) == VACANT_HOUSE_FIELDS
    assert row["id"] == house.id
    assert row["management_number"] == "JJ-2024-00077"
    assert row["dong"] == house.dong_id
    assert row["dong_name"] == "풍남동"
    assert (row["building_type"], row["building_type_label"]) == ("hanok", "한옥")
    assert (row["structure"], row["structure_label"]) == ("wood", "목조")
    assert row["built_year"] == 1962
    assert (row["land_area_m2"], row["floor_area_m2"]) == ("165.30", "82.50")
    assert row["vacant_since"] == "2021-05-01"
    assert (row["vacancy_cause"], row["vacancy_cause_label"]) == ("owner_deceased", "소유자 사망·상속")
    assert row["survey_round"] == 2024
    assert row["grade_scheme"] == "urban4"
    assert row["grade_scheme_label"].startswith("도시 4단계")
    assert (row["grade"], row["grade_label"]) == (3, "불량")
    assert (row["status"], row["status_label"]) == ("in_use", "활용 중")
    assert (row["current_program"], row["current_program_name"]) == (program.id, "해피빌리지 2025")
    assert row["is_public"] is False
    assert row["public_title"] == "풍남동 한옥 쉐어하우스"
    assert (row["latitude"], row["longitude"]) == ("35.816", "127.153")
    text = api.get(f"/api/v1/vacant-houses/{house.id}/").content.decode()
    for private in ["풍남동3가 64-7", "홍길순", "010-3141-5926", "독막로", "통화함", "35.8156", "127.1534"]:
        assert private not in text


def test_vacant_house_without_grade_program_or_coordinates(api):
    house = VacantHouseFactory(
        current_grade_scheme="", current_grade=None, latitude=None, longitude=None, structure=""
    )
    row = api.get(f"/api/v1/vacant-houses/{house.id}/").json()
    assert (row["grade_scheme"], row["grade_scheme_label"], row["grade"], row["grade_label"]) == (
        "",
        "",
        None,
        "",
    )
    assert (row["current_program"], row["current_program_name"]) == (None, None)
    assert (row["latitude"], row["longitude"]) == (None, None)
    assert row["structure_label"] == ""


@pytest.fixture
def houses():
    jungang, pungnam = DongFactory(name="중앙동"), DongFactory(name="풍남동")
    program = HousingProgramFactory()
    return {
        "jungang": jungang,
        "program": program,
        "h1": VacantHouseFactory(
            management_number="H1",
            dong=jungang,
            status=HouseStatus.SURVEYED,
            current_grade_scheme=GradeScheme.URBAN_4,
            current_grade=3,
            survey_round=2019,
            built_year=1960,
            vacant_since=day(2018, 1, 1),
        ),
        "h2": VacantHouseFactory(
            management_number="H2",
            dong=pungnam,
            status=HouseStatus.IN_USE,
            current_program=program,
            current_grade_scheme=GradeScheme.GUIDELINE_2023,
            current_grade=1,
            survey_round=2024,
            built_year=1985,
            is_public=True,
            vacant_since=day(2022, 1, 1),
        ),
        "h3": VacantHouseFactory(
            management_number="H3",
            dong=pungnam,
            status=HouseStatus.RENOVATION,
            current_grade_scheme=GradeScheme.URBAN_4,
            current_grade=1,
            survey_round=2024,
            built_year=2001,
            vacant_since=day(2020, 1, 1),
        ),
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"dong": "jungang"}, ["H1"]),
        ({"status": "in_use"}, ["H2"]),
        ({"status": "renovation"}, ["H3"]),
        ({"grade_scheme": "urban4"}, ["H1", "H3"]),
        ({"grade": "1"}, ["H2", "H3"]),
        ({"grade_scheme": "urban4", "grade": "1"}, ["H3"]),
        ({"program": "program"}, ["H2"]),
        ({"survey_round": "2024"}, ["H2", "H3"]),
        ({"built_year_min": "1985"}, ["H2", "H3"]),
        ({"built_year_max": "1985"}, ["H1", "H2"]),
        ({"built_year_min": "1970", "built_year_max": "2000"}, ["H2"]),
        ({"is_public": "true"}, ["H2"]),
        ({"is_public": "false"}, ["H1", "H3"]),
    ],
)
def test_vacant_house_filters(api, houses, params, expected):
    params = {key: houses[value].id if value in houses else value for key, value in params.items()}
    body = page(api, "/api/v1/vacant-houses/", params)
    assert [row["management_number"] for row in body["results"]] == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"dong": "abc"}, "dong"),
        ({"dong": "999999"}, "dong"),
        ({"status": "vacant"}, "status"),
        ({"grade_scheme": "stars"}, "grade_scheme"),
        ({"grade": "9"}, "grade"),
        ({"grade": "A"}, "grade"),
        ({"program": "999999"}, "program"),
        ({"survey_round": "올해"}, "survey_round"),
        ({"built_year_min": "old"}, "built_year_min"),
        ({"built_year_max": "1990s"}, "built_year_max"),
        ({"is_public": "maybe"}, "is_public"),
    ],
)
def test_vacant_house_invalid_filters_are_400(api, params, field):
    assert_invalid(api, "/api/v1/vacant-houses/", params, field)


def test_vacant_house_ordering(api, houses):
    def numbers(ordering):
        body = page(api, "/api/v1/vacant-houses/", {"ordering": ordering})
        return [row["management_number"] for row in body["results"]]

    assert numbers("") == ["H1", "H2", "H3"]  # default: management number
    assert numbers("-management_number") == ["H3", "H2", "H1"]
    assert numbers("vacant_since") == ["H1", "H3", "H2"]
    assert numbers("-vacant_since") == ["H2", "H3", "H1"]
    VacantHouse.objects.filter(management_number="H2").update(
        updated_at=timezone.now() - datetime.timedelta(days=9)
    )
    assert numbers("updated_at")[0] == "H2"
    assert_invalid(api, "/api/v1/vacant-houses/", {"ordering": "address"}, "ordering")


def test_vacant_house_updated_since(api, houses):
    VacantHouse.objects.update(updated_at=timezone.now() - datetime.timedelta(days=3))
    houses["h3"].save()
    body = page(api, "/api/v1/vacant-houses/", {"updated_since": houses["h3"].updated_at.isoformat()})
    assert [row["management_number"] for row in body["results"]] == ["H3"]


def test_vacant_house_csv_has_no_address_column(api, houses):
    response = api.get("/api/v1/vacant-houses/?format=csv&status=in_use")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert header == VACANT_HOUSE_FIELDS
    assert len(lines) == 2
    row = dict(zip(header, lines[1].split(","), strict=True))
    assert row["management_number"] == "H2"
    assert row["status_label"] == "활용 중"
    assert row["latitude"] == "35.815"


def test_vacant_house_list_query_count_is_constant(api):
    dong = DongFactory(name="풍남동")
    program = HousingProgramFactory()

    def add_rows(n):
        for _ in range(n):
            VacantHouseFactory(dong=dong, status=HouseStatus.IN_USE, current_program=program)

    assert_constant_queries(api, "/api/v1/vacant-houses/", add_rows)


def test_vacant_house_feed_events():
    marker = last_event_id()
    house = VacantHouseFactory()
    house.current_grade = 3  # a new grading is copied onto the house
    house.save()
    house_id = house.id
    house.delete()
    key = str(house_id)
    assert events_after(marker, "vacant-houses") == [(key, "created"), (key, "updated"), (key, "deleted")]
