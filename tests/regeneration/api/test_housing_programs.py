"""The partner API's ``housing-programs``: occupancy counts only, never tenants."""

import datetime

import pytest
from django.utils import timezone

from regeneration.models import HouseStatus, HousingProgram, ProgramKind
from tests.api.support import assert_constant_queries

from ..factories import HousingProgramFactory, TenancyFactory, VacantHouseFactory
from .support import assert_invalid, day, events_after, last_event_id, page, today

pytestmark = pytest.mark.django_db


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
