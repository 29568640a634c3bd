"""The partner API's ``councils``: member counts without names."""

import datetime

import pytest
from django.utils import timezone

from regeneration.models import CouncilPosition, ResidentCouncil
from tests.api.support import assert_constant_queries

from ..factories import (
    ActivationAreaFactory,
    CouncilMeetingFactory,
    CouncilMemberFactory,
    ResidentCouncilFactory,
)
from .support import assert_invalid, day, events_after, last_event_id, page, today

pytestmark = pytest.mark.django_db


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
