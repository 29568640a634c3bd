"""Partner API of the regeneration app: areas, vacant-houses, housing-programs, councils, council-meetings."""

import datetime
import decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from jeonju_center.partners.models import ChangeEvent
from regeneration.models import (
    ActivationArea,
    AreaType,
    CouncilMeeting,
    CouncilPosition,
    GradeScheme,
    HouseStatus,
    HousingProgram,
    ProgramKind,
    ResidentCouncil,
    VacantHouse,
)
from tests.api.support import assert_constant_queries, partner_client

from .factories import (
    ActivationAreaFactory,
    CouncilMeetingFactory,
    CouncilMemberFactory,
    DongFactory,
    HousingProgramFactory,
    MeetingAttendanceFactory,
    ResidentCouncilFactory,
    TenancyFactory,
    VacantHouseFactory,
)

pytestmark = pytest.mark.django_db

D = decimal.Decimal
day = datetime.date
LIST_URLS = [
    "/api/v1/areas/",
    "/api/v1/vacant-houses/",
    "/api/v1/housing-programs/",
    "/api/v1/councils/",
    "/api/v1/council-meetings/",
]


@pytest.fixture
def api():
    return partner_client("regeneration:read")


def today():
    return timezone.localdate()


def page(api, url, params=None):
    response = api.get(url, params or {})
    assert response.status_code == 200, response.content[:500]
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    return body


def assert_invalid(api, url, params, field):
    response = api.get(url, params)
    assert response.status_code == 400, response.content[:500]
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["errors"], body
    assert body["errors"][field][0]  # a message, not an empty list


def last_event_id():
    return ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def events_after(marker, resource):
    return [
        (event.object_id, event.action)
        for event in ChangeEvent.objects.filter(id__gt=marker, resource=resource).order_by("id")
    ]


# --- Permissions ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", LIST_URLS)
def test_lists_need_a_key_with_the_regeneration_scope(url):
    assert APIClient().get(url).status_code == 401
    response = partner_client("courses:read", "ondure:read").get(url)
    assert response.status_code == 403
    assert "regeneration:read" in response.json()["detail"]
    assert partner_client("regeneration:read").get(url).status_code == 200


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/api/v1/areas/{}/", lambda: ActivationAreaFactory()),
        ("/api/v1/vacant-houses/{}/", lambda: VacantHouseFactory()),
        ("/api/v1/housing-programs/{}/", lambda: HousingProgramFactory()),
        ("/api/v1/councils/{}/", lambda: ResidentCouncilFactory()),
        ("/api/v1/council-meetings/{}/", lambda: CouncilMeetingFactory(published=True)),
    ],
)
def test_details_need_the_scope_too(url, make):
    url = url.format(make().pk)
    assert APIClient().get(url).status_code == 401
    assert partner_client("social_economy:read").get(url).status_code == 403
    assert partner_client("regeneration:read").get(url).status_code == 200


@pytest.mark.parametrize("url", LIST_URLS)
def test_unknown_ordering_and_bad_updated_since_are_400(api, url):
    assert_invalid(api, url, {"ordering": "owner_name"}, "ordering")
    assert_invalid(api, url, {"updated_since": "yesterday"}, "updated_since")


# --- areas ---------------------------------------------------------------------------------------


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


# --- vacant-houses -------------------------------------------------------------------------------


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


# --- housing-programs ----------------------------------------------------------------------------


def make_programs():
    happy = HousingProgramFactory(
        name="해피빌리지",
        kind=ProgramKind.HAPPY_VILLAGE,
        year=2024,
        budget=300_000_000,
        operating_partner="전주시 사회주택협동조합",
        tenant_min_age=None,
        tenant_max_age=None,
        starts_on=day(2024, 1, 1),
        ends_on=day(2024, 12, 31),
    )
    youth = HousingProgramFactory(
        name="청년쉐어하우스",
        kind=ProgramKind.YOUTH_SHARE_HOUSE,
        year=2025,
        budget=120_000_000,
        tenant_min_age=19,
        tenant_max_age=39,
    )
    # Houses in use count; a house being renovated for the program does not.
    VacantHouseFactory(status=HouseStatus.IN_USE, current_program=happy)
    VacantHouseFactory(status=HouseStatus.IN_USE, current_program=happy)
    VacantHouseFactory(status=HouseStatus.RENOVATION, current_program=happy)
    VacantHouseFactory(status=HouseStatus.IN_USE, current_program=youth)
    now = today()
    # Active: moved in, not moved out. Not active: moved out, or moving in later.
    TenancyFactory(
        program=happy, tenant_name="박입주", starts_on=now - datetime.timedelta(days=100), ends_on=None
    )
    TenancyFactory(program=happy, starts_on=now - datetime.timedelta(days=10), ends_on=None)
    TenancyFactory(
        program=happy,
        starts_on=now - datetime.timedelta(days=400),
        ends_on=now - datetime.timedelta(days=35),
        moved_out_on=now - datetime.timedelta(days=35),
    )
    TenancyFactory(program=youth, starts_on=now + datetime.timedelta(days=10), ends_on=None)
    TenancyFactory(program=youth, starts_on=now - datetime.timedelta(days=1), ends_on=None)
    return {"happy": happy, "youth": youth}


def test_housing_programs_show_occupancy_counts_only(api):
    programs = make_programs()
    body = page(api, "/api/v1/housing-programs/")
    assert [row["name"] for row in body["results"]] == ["청년쉐어하우스", "해피빌리지"]  # newest year first
    happy = body["results"][1]
    assert happy == {
        "id": programs["happy"].id,
        "name": "해피빌리지",
        "kind": "happy_village",
        "kind_label": "해피빌리지 시범사업",
        "year": 2024,
        "description": programs["happy"].description,
        "budget": 300_000_000,
        "operating_partner": "전주시 사회주택협동조합",
        "tenant_min_age": None,
        "tenant_max_age": None,
        "starts_on": "2024-01-01",
        "ends_on": "2024-12-31",
        "houses_in_use_count": 2,
        "active_tenancy_count": 2,
        "updated_at": happy["updated_at"],
    }
    youth = body["results"][0]
    assert (youth["houses_in_use_count"], youth["active_tenancy_count"]) == (1, 1)
    assert (youth["tenant_min_age"], youth["tenant_max_age"]) == (19, 39)
    assert "박입주" not in api.get("/api/v1/housing-programs/").content.decode()


def test_housing_program_detail_has_the_counts(api):
    programs = make_programs()
    row = api.get(f"/api/v1/housing-programs/{programs['happy'].id}/").json()
    assert (row["name"], row["houses_in_use_count"], row["active_tenancy_count"]) == ("해피빌리지", 2, 2)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "youth_share_house"}, ["청년쉐어하우스"]),
        ({"year": "2024"}, ["해피빌리지"]),
        ({"q": "쉐어"}, ["청년쉐어하우스"]),
    ],
)
def test_housing_program_filters(api, params, expected):
    make_programs()
    assert [row["name"] for row in page(api, "/api/v1/housing-programs/", params)["results"]] == expected


@pytest.mark.parametrize(("params", "field"), [({"kind": "castle"}, "kind"), ({"year": "작년"}, "year")])
def test_housing_program_invalid_filters_are_400(api, params, field):
    assert_invalid(api, "/api/v1/housing-programs/", params, field)


def test_housing_program_ordering(api):
    make_programs()

    def names(ordering):
        return [r["name"] for r in page(api, "/api/v1/housing-programs/", {"ordering": ordering})["results"]]

    assert names("year") == ["해피빌리지", "청년쉐어하우스"]
    assert names("budget") == ["청년쉐어하우스", "해피빌리지"]
    assert names("-name") == ["해피빌리지", "청년쉐어하우스"]


def test_housing_program_updated_since(api):
    programs = make_programs()
    HousingProgram.objects.update(updated_at=timezone.now() - datetime.timedelta(days=3))
    programs["happy"].save()
    body = page(api, "/api/v1/housing-programs/", {"updated_since": programs["happy"].updated_at.isoformat()})
    assert [(row["name"], row["active_tenancy_count"]) for row in body["results"]] == [("해피빌리지", 2)]


def test_housing_program_csv(api):
    make_programs()
    response = api.get("/api/v1/housing-programs/?format=csv&kind=happy_village")
    lines = response.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    row = dict(zip(header, lines[1].split(","), strict=True))
    assert (row["name"], row["houses_in_use_count"], row["active_tenancy_count"]) == ("해피빌리지", "2", "2")


def test_housing_program_list_query_count_is_constant(api):
    def add_rows(n):
        for _ in range(n):
            program = HousingProgramFactory()
            VacantHouseFactory(status=HouseStatus.IN_USE, current_program=program)
            TenancyFactory(program=program, starts_on=today(), ends_on=None)

    assert_constant_queries(api, "/api/v1/housing-programs/", add_rows)


def test_housing_program_feed_events_include_tenancy_changes():
    marker = last_event_id()
    program = HousingProgramFactory()
    program.budget = 1
    program.save()
    tenancy = TenancyFactory(program=program)  # occupancy changes
    tenancy.moved_out_on = tenancy.starts_on
    tenancy.save()
    tenancy.delete()
    program_id = program.id
    program.delete()
    key = str(program_id)
    assert events_after(marker, "housing-programs") == [
        (key, "created"),
        (key, "updated"),
        (key, "updated"),
        (key, "updated"),
        (key, "updated"),
        (key, "deleted"),
    ]


# --- councils ------------------------------------------------------------------------------------


def make_councils():
    now = today()
    gamyeong = ResidentCouncilFactory(
        name="감영 주민협의체", area=ActivationAreaFactory(name="전라감영 일원"), founded_on=day(2019, 6, 1)
    )
    members = [
        CouncilMemberFactory(council=gamyeong, name="김위원장", position=CouncilPosition.CHAIR),
        CouncilMemberFactory(council=gamyeong, position=CouncilPosition.VICE_CHAIR),
        CouncilMemberFactory(
            council=gamyeong, position=CouncilPosition.SECRETARY, ended_on=now - datetime.timedelta(days=1)
        ),
        CouncilMemberFactory(council=gamyeong, position=CouncilPosition.MEMBER),
        CouncilMemberFactory(council=gamyeong, position=CouncilPosition.MEMBER),
        CouncilMemberFactory(council=gamyeong, position=CouncilPosition.MEMBER),
        CouncilMemberFactory(
            council=gamyeong, position=CouncilPosition.MEMBER, ended_on=now + datetime.timedelta(days=30)
        ),
    ]
    seohak = ResidentCouncilFactory(
        name="서학 주민협의체",
        area=ActivationAreaFactory(name="서학동 일원"),
        is_active=False,
        founded_on=None,
    )
    CouncilMeetingFactory(council=gamyeong, published=True)
    return {"gamyeong": gamyeong, "seohak": seohak, "members": members}


def test_councils_show_member_counts_without_names(api):
    councils = make_councils()
    body = page(api, "/api/v1/councils/")
    assert [row["name"] for row in body["results"]] == ["감영 주민협의체", "서학 주민협의체"]
    gamyeong = body["results"][0]
    assert gamyeong == {
        "id": councils["gamyeong"].id,
        "name": "감영 주민협의체",
        "area": councils["gamyeong"].area_id,
        "area_name": "전라감영 일원",
        "founded_on": "2019-06-01",
        "is_active": True,
        "public_description": councils["gamyeong"].public_description,
        "current_member_count": 6,
        "members_by_position": {"chair": 1, "vice_chair": 1, "secretary": 0, "member": 4},
        "updated_at": gamyeong["updated_at"],
    }
    seohak = body["results"][1]
    assert seohak["current_member_count"] == 0
    assert seohak["members_by_position"] == {"chair": 0, "vice_chair": 0, "secretary": 0, "member": 0}
    text = api.get("/api/v1/councils/").content.decode()
    for member in councils["members"]:
        assert member.name not in text
        assert member.phone not in text


def test_council_detail(api):
    councils = make_councils()
    row = api.get(f"/api/v1/councils/{councils['gamyeong'].id}/").json()
    assert (row["name"], row["current_member_count"]) == ("감영 주민협의체", 6)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"area": "gamyeong"}, ["감영 주민협의체"]),
        ({"is_active": "false"}, ["서학 주민협의체"]),
        ({"is_active": "true"}, ["감영 주민협의체"]),
        ({"q": "서학"}, ["서학 주민협의체"]),
    ],
)
def test_council_filters(api, params, expected):
    councils = make_councils()
    params = {key: councils[value].area_id if key == "area" else value for key, value in params.items()}
    assert [row["name"] for row in page(api, "/api/v1/councils/", params)["results"]] == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [({"area": "abc"}, "area"), ({"area": "999999"}, "area"), ({"is_active": "sometimes"}, "is_active")],
)
def test_council_invalid_filters_are_400(api, params, field):
    assert_invalid(api, "/api/v1/councils/", params, field)


def test_council_ordering(api):
    make_councils()

    def names(ordering):
        return [r["name"] for r in page(api, "/api/v1/councils/", {"ordering": ordering})["results"]]

    assert names("-name") == ["서학 주민협의체", "감영 주민협의체"]
    assert names("current_member_count") == ["서학 주민협의체", "감영 주민협의체"]
    assert names("-current_member_count") == ["감영 주민협의체", "서학 주민협의체"]


def test_council_updated_since(api):
    councils = make_councils()
    ResidentCouncil.objects.update(updated_at=timezone.now() - datetime.timedelta(days=3))
    councils["seohak"].save()
    body = page(api, "/api/v1/councils/", {"updated_since": councils["seohak"].updated_at.isoformat()})
    assert [row["name"] for row in body["results"]] == ["서학 주민협의체"]


def test_council_csv_flattens_the_position_counts(api):
    make_councils()
    response = api.get("/api/v1/councils/?format=csv&is_active=true")
    lines = response.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert {
        "members_by_position.chair",
        "members_by_position.vice_chair",
        "members_by_position.secretary",
        "members_by_position.member",
    } <= set(header)
    row = dict(zip(header, lines[1].split(","), strict=True))
    assert (row["name"], row["current_member_count"], row["members_by_position.member"]) == (
        "감영 주민협의체",
        "6",
        "4",
    )


def test_council_list_query_count_is_constant(api):
    def add_rows(n):
        for _ in range(n):
            council = ResidentCouncilFactory()
            CouncilMemberFactory(council=council, position=CouncilPosition.CHAIR)
            CouncilMemberFactory(council=council)

    assert_constant_queries(api, "/api/v1/councils/", add_rows)


def test_council_feed_events_include_member_changes():
    marker = last_event_id()
    council = ResidentCouncilFactory()
    council.is_active = False
    council.save()
    member = CouncilMemberFactory(council=council)  # member counts change
    member.ended_on = member.started_on
    member.save()
    member.delete()
    council_id = council.id
    council.delete()
    key = str(council_id)
    assert events_after(marker, "councils") == [
        (key, "created"),
        (key, "updated"),
        (key, "updated"),
        (key, "updated"),
        (key, "updated"),
        (key, "deleted"),
    ]


# --- council-meetings ----------------------------------------------------------------------------


def at(year, month, dd, hour=19):
    return timezone.make_aware(datetime.datetime(year, month, dd, hour, 0))


def make_meetings():
    gamyeong = ResidentCouncilFactory(name="감영 주민협의체")
    seohak = ResidentCouncilFactory(name="서학 주민협의체")
    march = CouncilMeetingFactory(
        council=gamyeong,
        title="3월 정기회의",
        held_at=at(2025, 3, 12),
        place="중앙동 현장지원센터",
        agenda="골목 정비 계획",
        minutes="골목 정비 계획을 논의함",
        decisions="4월 중 설명회 개최",
        attendee_count=11,
        published=True,
    )
    april = CouncilMeetingFactory(
        council=seohak, title="4월 정기회의", held_at=at(2025, 4, 1, 0), published=True
    )
    may = CouncilMeetingFactory(
        council=gamyeong, title="5월 정기회의", held_at=at(2025, 5, 14), published=True
    )
    draft = CouncilMeetingFactory(
        council=gamyeong, title="6월 정기회의 (회의록 작성 중)", held_at=at(2025, 6, 11)
    )
    attendee = CouncilMemberFactory(council=gamyeong, name="최출석", position=CouncilPosition.MEMBER)
    MeetingAttendanceFactory(meeting=march, member=attendee)
    return {
        "gamyeong": gamyeong,
        "seohak": seohak,
        "march": march,
        "april": april,
        "may": may,
        "draft": draft,
        "attendee": attendee,
    }


def test_council_meetings_list_only_published_minutes(api):
    meetings = make_meetings()
    body = page(api, "/api/v1/council-meetings/")
    assert [row["title"] for row in body["results"]] == ["5월 정기회의", "4월 정기회의", "3월 정기회의"]
    march = body["results"][2]
    assert march == {
        "id": meetings["march"].id,
        "council": meetings["gamyeong"].id,
        "council_name": "감영 주민협의체",
        "title": "3월 정기회의",
        "held_at": "2025-03-12T19:00:00+09:00",
        "place": "중앙동 현장지원센터",
        "agenda": "골목 정비 계획",
        "minutes": "골목 정비 계획을 논의함",
        "decisions": "4월 중 설명회 개최",
        "attendee_count": 11,
        "published_at": "2025-03-15T19:00:00+09:00",
        "updated_at": march["updated_at"],
    }
    text = api.get("/api/v1/council-meetings/").content.decode()
    assert "최출석" not in text
    assert meetings["attendee"].phone not in text


def test_unpublished_meeting_detail_is_404(api):
    meetings = make_meetings()
    assert api.get(f"/api/v1/council-meetings/{meetings['draft'].id}/").status_code == 404
    response = api.get(f"/api/v1/council-meetings/{meetings['march'].id}/")
    assert response.status_code == 200
    assert response.json()["minutes"] == "골목 정비 계획을 논의함"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"council": "seohak"}, ["4월 정기회의"]),
        ({"council": "gamyeong"}, ["5월 정기회의", "3월 정기회의"]),
        ({"held_after": "2025-04-01"}, ["5월 정기회의", "4월 정기회의"]),  # inclusive
        ({"held_before": "2025-04-01"}, ["3월 정기회의"]),  # exclusive
        ({"held_after": "2025-03-12T19:00:01+09:00"}, ["5월 정기회의", "4월 정기회의"]),
        (
            {"held_after": "2025-03-01", "held_before": "2025-04-01T00:00:01"},
            ["4월 정기회의", "3월 정기회의"],
        ),
        ({"held_after": "2025-06-01"}, []),  # the June draft is not published
    ],
)
def test_council_meeting_filters(api, params, expected):
    meetings = make_meetings()
    params = {key: meetings[value].id if key == "council" else value for key, value in params.items()}
    assert [row["title"] for row in page(api, "/api/v1/council-meetings/", params)["results"]] == expected


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"council": "감영"}, "council"),
        ({"council": "999999"}, "council"),
        ({"held_after": "last week"}, "held_after"),
        ({"held_before": "2025-13-01"}, "held_before"),
    ],
)
def test_council_meeting_invalid_filters_are_400(api, params, field):
    assert_invalid(api, "/api/v1/council-meetings/", params, field)


def test_council_meeting_ordering(api):
    make_meetings()

    def titles(ordering):
        return [r["title"] for r in page(api, "/api/v1/council-meetings/", {"ordering": ordering})["results"]]

    assert titles("held_at") == ["3월 정기회의", "4월 정기회의", "5월 정기회의"]
    assert titles("-published_at") == ["5월 정기회의", "4월 정기회의", "3월 정기회의"]


def test_council_meeting_updated_since(api):
    meetings = make_meetings()
    CouncilMeeting.objects.update(updated_at=timezone.now() - datetime.timedelta(days=3))
    meetings["april"].save()
    meetings["draft"].save()  # changed, but still not public
    body = page(api, "/api/v1/council-meetings/", {"updated_since": meetings["april"].updated_at.isoformat()})
    assert [row["title"] for row in body["results"]] == ["4월 정기회의"]


def test_council_meeting_csv(api):
    meetings = make_meetings()
    response = api.get(f"/api/v1/council-meetings/?format=csv&council={meetings['seohak'].id}")
    lines = response.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(",")
    assert header[:4] == ["id", "council", "council_name", "title"]
    row = dict(zip(header, lines[1].split(","), strict=True))
    assert (row["council_name"], row["title"]) == ("서학 주민협의체", "4월 정기회의")
    assert len(lines) == 2


def test_council_meeting_list_query_count_is_constant(api):
    def add_rows(n):
        for _ in range(n):
            meeting = CouncilMeetingFactory(published=True)
            MeetingAttendanceFactory(meeting=meeting)
            CouncilMeetingFactory(council=meeting.council)  # unpublished: not listed

    assert_constant_queries(api, "/api/v1/council-meetings/", add_rows)


def test_council_meeting_feed_follows_publication():
    marker = last_event_id()
    draft = CouncilMeetingFactory()  # not public yet: partners must not have it
    draft.is_published, draft.published_at = True, timezone.now()
    draft.save()
    draft.title = "제목 수정"
    draft.save()
    draft.is_published, draft.published_at = False, None
    draft.save()
    published = CouncilMeetingFactory(published=True)
    published_id = published.id
    published.delete()
    draft_key, published_key = str(draft.id), str(published_id)
    assert events_after(marker, "council-meetings") == [
        (draft_key, "deleted"),
        (draft_key, "updated"),
        (draft_key, "updated"),
        (draft_key, "deleted"),
        (published_key, "created"),
        (published_key, "deleted"),
    ]


def test_change_feed_endpoint_lists_regeneration_events_for_the_scope(api):
    house = VacantHouseFactory()
    meeting = CouncilMeetingFactory(published=True)
    response = api.get("/api/v1/changes/")
    assert response.status_code == 200
    events = {(e["resource"], e["id"], e["action"]) for e in response.json()["results"]}
    assert ("vacant-houses", str(house.id), "created") in events
    assert ("council-meetings", str(meeting.id), "created") in events
    assert ("councils", str(meeting.council_id), "created") in events
    assert ("areas", str(meeting.council.area_id), "created") in events
    other = partner_client("courses:read").get("/api/v1/changes/", {"resource": "vacant-houses"})
    assert other.status_code == 403
