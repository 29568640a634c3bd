import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from jeonju_center.common.teams import EDUCATION_TEAM, SOCIAL_ECONOMY_TEAM, load_team_groups
from jeonju_center.partners.models import ChangeEvent
from ondure.models import (
    ActivityField,
    Community,
    CommunityKind,
    CommunityMember,
    CommunityStageRecord,
    CommunityStatus,
    Stage,
    SupportProgram,
    SupportRecord,
)
from tests.api.support import assert_constant_queries, partner_client

from .factories import (
    CommunityFactory,
    CommunityMemberFactory,
    CommunityStageRecordFactory,
    DongFactory,
    OrganizationFactory,
    SupportProgramFactory,
    SupportRecordFactory,
)

pytestmark = pytest.mark.django_db

Decision = CommunityStageRecord.Decision
COMMUNITIES = "/api/v1/communities/"
PROGRAMS = "/api/v1/support-programs/"


@pytest.fixture
def api():
    return partner_client("ondure:read")


def names(response):
    assert response.status_code == 200, response.content[:500]
    return [row["name"] for row in response.json()["results"]]


def grant(community, program, amount, *, returned=0):
    settlement = SupportRecord.Settlement.RETURNED if returned else SupportRecord.Settlement.SETTLED
    return SupportRecordFactory(
        community=community,
        program=program,
        amount=amount,
        returned_amount=returned,
        settlement_status=settlement,
        settled_on=datetime.date(program.year, 11, 30),
    )


def education(community, program, amount=0):
    return SupportRecordFactory(
        community=community,
        program=program,
        kind=SupportRecord.Kind.EDUCATION,
        amount=amount,
        settlement_status="",
    )


@pytest.fixture
def graduated():
    """A community that went through all three stages and became a cooperative, with grants and members."""
    dong = DongFactory(name="풍남동")
    organization = OrganizationFactory(name="한옥마을 공예 협동조합", dong=dong)
    community = CommunityFactory(
        name="한옥마을 공예 공동체",
        kind=CommunityKind.STARTUP,
        cohort_year=2014,
        selected_on=datetime.date(2014, 4, 1),
        dong=dong,
        activity_field=ActivityField.CRAFT,
        description="한지와 부채를 만드는 주민 공방입니다.",
        members_count=8,
        status=CommunityStatus.GRADUATED,
        current_stage=Stage.HOPE,
        graduated_organization=organization,
        graduated_on=datetime.date(2016, 12, 20),
        leader_name="김영희",
        leader_phone="010-2468-1357",
        staff_notes="대표 자택 주소: 전주시 완산구 비공개로 12",
    )
    # Created out of order on purpose: the history must come out by year.
    CommunityStageRecordFactory(
        community=community, year=2016, stage=Stage.HOPE, decision=Decision.GRADUATE, reason="박철수 씨 추천"
    )
    CommunityStageRecordFactory(community=community, year=2014, stage=Stage.DIDIM, decision=Decision.PROMOTE)
    CommunityStageRecordFactory(community=community, year=2015, stage=Stage.IEUM, decision=Decision.PROMOTE)
    CommunityMemberFactory(community=community, name="이순자", phone="010-9753-8642")
    return community


@pytest.fixture
def programs():
    tailored = SupportProgramFactory(
        name="2015 맞춤형 지원", year=2015, kind=SupportProgram.Kind.TAILORED, budget=50_000_000
    )
    school = SupportProgramFactory(
        name="학교협동조합 지원", year=2016, kind=SupportProgram.Kind.SCHOOL_COOPERATIVE, budget=10_000_000
    )
    return tailored, school


def test_community_list_shows_public_fields_stage_history_and_grant_totals(api, graduated, programs):
    tailored, _school = programs
    grant(graduated, tailored, 5_000_000)
    grant(graduated, tailored, 3_000_000, returned=1_000_000)
    education(graduated, tailored, amount=200_000)  # not a grant: not in the grant totals
    CommunityFactory(name="비공개 공동체", is_public=False)

    response = api.get(COMMUNITIES)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 1
    row = body["results"][0]
    updated_at = row.pop("updated_at")
    assert parse_datetime(updated_at) == Community.objects.get(pk=graduated.pk).updated_at
    assert row == {
        "id": graduated.pk,
        "name": "한옥마을 공예 공동체",
        "kind": "startup",
        "kind_label": "소규모창업공동체",
        "cohort_year": 2014,
        "selected_on": "2014-04-01",
        "dong": graduated.dong_id,
        "dong_name": "풍남동",
        "apartment_complex": "",
        "activity_field": "craft",
        "activity_field_label": "공예",
        "description": "한지와 부채를 만드는 주민 공방입니다.",
        "members_count": 8,
        "status": "graduated",
        "status_label": "졸업",
        "current_stage": "hope",
        "current_stage_label": "희망 (3년차)",
        "graduated_organization": graduated.graduated_organization_id,
        "graduated_organization_name": "한옥마을 공예 협동조합",
        "graduated_on": "2016-12-20",
        "stage_history": [
            {
                "year": 2014,
                "stage": "didim",
                "stage_label": "디딤 (1년차)",
                "decision": "promote",
                "decision_label": "진급",
            },
            {
                "year": 2015,
                "stage": "ieum",
                "stage_label": "이음 (2년차)",
                "decision": "promote",
                "decision_label": "진급",
            },
            {
                "year": 2016,
                "stage": "hope",
                "stage_label": "희망 (3년차)",
                "decision": "graduate",
                "decision_label": "졸업",
            },
        ],
        "total_grant_amount": 8_000_000,
        "total_returned_amount": 1_000_000,
    }


def test_community_without_organization_or_grants_has_nulls_and_zeros(api):
    community = CommunityFactory(name="새내기 공동체", cohort_year=2024)
    CommunityStageRecordFactory(community=community, year=2024, decision="", decided_on=None)

    row = api.get(f"{COMMUNITIES}{community.pk}/").json()

    assert row["graduated_organization"] is None
    assert row["graduated_organization_name"] is None
    assert row["graduated_on"] is None
    assert row["total_grant_amount"] == 0
    assert row["total_returned_amount"] == 0
    assert row["stage_history"] == [
        {"year": 2024, "stage": "didim", "stage_label": "디딤 (1년차)", "decision": "", "decision_label": ""}
    ]


def test_community_detail_and_hidden_community_is_404(api, graduated):
    hidden = CommunityFactory(name="비공개 공동체", is_public=False)

    response = api.get(f"{COMMUNITIES}{graduated.pk}/")
    assert response.status_code == 200
    assert response.json()["name"] == "한옥마을 공예 공동체"
    assert [record["year"] for record in response.json()["stage_history"]] == [2014, 2015, 2016]
    assert "Last-Modified" in response

    missing = api.get(f"{COMMUNITIES}{hidden.pk}/")
    assert missing.status_code == 404
    assert set(missing.json()) == {"code", "detail", "errors"}


def test_no_personal_data_or_staff_notes_in_community_responses(api, graduated):
    texts = [
        api.get(COMMUNITIES).content.decode(),
        api.get(f"{COMMUNITIES}{graduated.pk}/").content.decode(),
        api.get(f"{COMMUNITIES}?format=csv").content.decode("utf-8-sig"),
    ]
    secrets = ["김영희", "2468", "1357", "이순자", "9753", "8642", "비공개로", "박철수"]
    for text in texts:
        assert "한옥마을 공예 공동체" in text
        for secret in secrets:
            assert secret not in text
    row = api.get(f"{COMMUNITIES}{graduated.pk}/").json()
    assert not {"leader_name", "leader_phone", "members", "staff_notes", "website"} & set(row)


def test_personal_data_fields_are_declared():
    assert Community.PERSONAL_DATA_FIELDS == ("leader_name", "leader_phone")
    assert CommunityMember.PERSONAL_DATA_FIELDS == ("name", "phone")
    for model in (Community, CommunityMember):
        for field in model.PERSONAL_DATA_FIELDS:
            model._meta.get_field(field)  # raises if the name is wrong


@pytest.fixture
def varied():
    """Communities that differ in every filtered field."""
    pungnam = DongFactory(name="풍남동")
    hyoja = DongFactory(name="효자4동")
    CommunityFactory(
        name="풍남 먹거리 마을",
        kind=CommunityKind.VILLAGE,
        cohort_year=2015,
        dong=pungnam,
        activity_field=ActivityField.FOOD,
        description="콩나물국밥 골목을 가꿉니다.",
        members_count=20,
        current_stage=Stage.IEUM,
    )
    CommunityFactory(
        name="휴먼시아 돌봄",
        apartment=True,
        cohort_year=2016,
        dong=hyoja,
        activity_field=ActivityField.CARE,
        description="공동 육아",
        status=CommunityStatus.DORMANT,
    )
    CommunityFactory(
        name="공예 졸업 공동체",
        graduated=True,
        cohort_year=2014,
        dong=pungnam,
        description="부채 공방",
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=village", ["풍남 먹거리 마을"]),
        ("kind=apartment", ["휴먼시아 돌봄"]),
        ("stage=ieum", ["풍남 먹거리 마을"]),
        ("stage=hope", ["공예 졸업 공동체"]),
        ("status=dormant", ["휴먼시아 돌봄"]),
        ("status=graduated", ["공예 졸업 공동체"]),
        ("cohort_year=2015", ["풍남 먹거리 마을"]),
        ("graduated=true", ["공예 졸업 공동체"]),
        ("graduated=false", ["휴먼시아 돌봄", "풍남 먹거리 마을"]),
        ("q=국밥", ["풍남 먹거리 마을"]),  # description
        ("q=휴먼시아", ["휴먼시아 돌봄"]),  # name and apartment complex
        ("q=3단지", ["휴먼시아 돌봄"]),  # apartment complex only
        ("q=없는말", []),
        ("kind=startup&graduated=true", ["공예 졸업 공동체"]),
    ],
)
def test_community_filters(api, varied, query, expected):
    assert names(api.get(f"{COMMUNITIES}?{query}&ordering=-name")) == expected


def test_community_dong_filter(api, varied):
    hyoja = DongFactory(name="효자4동")
    pungnam = DongFactory(name="풍남동")
    assert names(api.get(COMMUNITIES, {"dong": hyoja.pk})) == ["휴먼시아 돌봄"]
    assert names(api.get(COMMUNITIES, {"dong": pungnam.pk, "ordering": "name"})) == [
        "공예 졸업 공동체",
        "풍남 먹거리 마을",
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("kind=castle", "kind"),
        ("stage=fourth", "stage"),
        ("status=asleep", "status"),
        ("dong=999999", "dong"),
        ("dong=pungnam", "dong"),
        ("cohort_year=twenty", "cohort_year"),
        ("cohort_year=2014.5", "cohort_year"),
        ("graduated=ture", "graduated"),
        ("ordering=leader_name", "ordering"),
        ("ordering=-staff_notes", "ordering"),
        ("updated_since=yesterday", "updated_since"),
    ],
)
def test_community_invalid_filters_are_400_with_the_field(api, query, field):
    response = api.get(f"{COMMUNITIES}?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["errors"]
    assert body["errors"][field][0]


def test_community_ordering(api, varied):
    assert names(api.get(COMMUNITIES)) == ["휴먼시아 돌봄", "풍남 먹거리 마을", "공예 졸업 공동체"]  # default
    assert names(api.get(f"{COMMUNITIES}?ordering=name")) == [
        "공예 졸업 공동체",
        "풍남 먹거리 마을",
        "휴먼시아 돌봄",
    ]
    assert names(api.get(f"{COMMUNITIES}?ordering=-name")) == [
        "휴먼시아 돌봄",
        "풍남 먹거리 마을",
        "공예 졸업 공동체",
    ]
    assert names(api.get(f"{COMMUNITIES}?ordering=cohort_year")) == [
        "공예 졸업 공동체",
        "풍남 먹거리 마을",
        "휴먼시아 돌봄",
    ]
    Community.objects.get(name="풍남 먹거리 마을").save()
    assert names(api.get(f"{COMMUNITIES}?ordering=-updated_at"))[0] == "풍남 먹거리 마을"


def test_community_updated_since(api, varied):
    changed = Community.objects.get(name="휴먼시아 돌봄")
    changed.save()
    response = api.get(COMMUNITIES, {"updated_since": changed.updated_at.isoformat()})
    assert names(response) == ["휴먼시아 돌봄"]


def test_community_pagination(api, varied):
    body = api.get(f"{COMMUNITIES}?ordering=name&page_size=2").json()
    assert body["count"] == 3
    assert [row["name"] for row in body["results"]] == ["공예 졸업 공동체", "풍남 먹거리 마을"]
    assert "page=2" in body["next"]
    assert body["previous"] is None
    second = api.get(body["next"]).json()
    assert [row["name"] for row in second["results"]] == ["휴먼시아 돌봄"]


def test_community_list_query_count_is_constant(api):
    program = SupportProgramFactory(year=2015)

    def add_rows(n):
        for _ in range(n):
            community = CommunityFactory(graduated=True)
            CommunityStageRecordFactory(community=community, year=2014)
            CommunityStageRecordFactory(community=community, year=2015, stage=Stage.IEUM)
            grant(community, program, 1_000_000)
            CommunityMemberFactory(community=community)

    assert_constant_queries(api, COMMUNITIES, add_rows)


def test_community_csv_is_flat_with_the_stage_history_in_one_column(api, graduated, programs):
    grant(graduated, programs[0], 5_000_000)
    CommunityFactory(name="새내기 공동체", cohort_year=2024)

    response = api.get(f"{COMMUNITIES}?format=csv&ordering=name")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["name"] for row in rows] == ["새내기 공동체", "한옥마을 공예 공동체"]
    assert not [column for column in rows[0] if column.startswith("stage_history.")]
    assert (
        rows[1]["stage_history"] == "2014 디딤 (1년차) 진급; 2015 이음 (2년차) 진급; 2016 희망 (3년차) 졸업"
    )
    assert rows[0]["stage_history"] == ""
    assert rows[1]["dong_name"] == "풍남동"
    assert rows[1]["kind_label"] == "소규모창업공동체"
    assert rows[1]["total_grant_amount"] == "5000000"


def test_support_program_list_with_totals(api, graduated, programs):
    tailored, school = programs
    other = CommunityFactory(name="비공개지만 지원받은 공동체", is_public=False)
    grant(graduated, tailored, 5_000_000)
    grant(other, tailored, 3_000_000, returned=1_000_000)
    education(graduated, tailored)
    SupportRecordFactory(
        community=graduated, program=None, amount=9_000_000, supported_on=datetime.date(2015, 3, 1)
    )  # no program: counted nowhere

    response = api.get(PROGRAMS)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    rows = body["results"]
    for row in rows:
        assert parse_datetime(row.pop("updated_at")) == SupportProgram.objects.get(pk=row["id"]).updated_at
    assert rows == [
        {
            "id": school.pk,
            "name": "학교협동조합 지원",
            "year": 2016,
            "kind": "school_coop",
            "kind_label": "학교협동조합 지원",
            "budget": 10_000_000,
            "description": school.description,
            "records_count": 0,
            "total_grant_amount": 0,
            "total_returned_amount": 0,
            "remaining_budget": 10_000_000,
        },
        {
            "id": tailored.pk,
            "name": "2015 맞춤형 지원",
            "year": 2015,
            "kind": "tailored",
            "kind_label": "맞춤형 지원",
            "budget": 50_000_000,
            "description": tailored.description,
            "records_count": 3,
            "total_grant_amount": 8_000_000,
            "total_returned_amount": 1_000_000,
            "remaining_budget": 43_000_000,
        },
    ]


def test_support_program_detail(api, graduated, programs):
    tailored, _school = programs
    grant(graduated, tailored, 2_500_000)
    response = api.get(f"{PROGRAMS}{tailored.pk}/")
    assert response.status_code == 200
    row = response.json()
    assert (row["name"], row["records_count"], row["total_grant_amount"], row["remaining_budget"]) == (
        "2015 맞춤형 지원",
        1,
        2_500_000,
        47_500_000,
    )
    assert api.get(f"{PROGRAMS}999999/").status_code == 404


def test_no_personal_data_in_support_program_responses(api, graduated, programs):
    record = grant(graduated, programs[0], 1_000_000)
    record.notes = "이순자 씨에게 전달"
    record.save()
    for text in (
        api.get(PROGRAMS).content.decode(),
        api.get(f"{PROGRAMS}?format=csv").content.decode("utf-8-sig"),
    ):
        assert "2015 맞춤형 지원" in text
        for secret in ("김영희", "이순자", "2468", "한옥마을 공예 공동체"):
            assert secret not in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("year=2015", ["2015 맞춤형 지원"]),
        ("year=2016", ["학교협동조합 지원"]),
        ("year=2030", []),
        ("kind=school_coop", ["학교협동조합 지원"]),
        ("kind=tailored&year=2016", []),
    ],
)
def test_support_program_filters(api, programs, query, expected):
    assert names(api.get(f"{PROGRAMS}?{query}")) == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("year=last", "year"),
        ("year=2015.5", "year"),
        ("kind=lottery", "kind"),
        ("ordering=description", "ordering"),
        ("updated_since=2026-13-45", "updated_since"),
    ],
)
def test_support_program_invalid_filters_are_400_with_the_field(api, query, field):
    response = api.get(f"{PROGRAMS}?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["errors"]


def test_support_program_ordering(api, programs):
    SupportProgramFactory(name="가 현장 지원", year=2015, kind=SupportProgram.Kind.ON_SITE, budget=30_000_000)
    assert names(api.get(PROGRAMS)) == [
        "학교협동조합 지원",
        "2015 맞춤형 지원",
        "가 현장 지원",
    ]  # -year, name
    assert names(api.get(f"{PROGRAMS}?ordering=name")) == [
        "2015 맞춤형 지원",
        "가 현장 지원",
        "학교협동조합 지원",
    ]
    assert names(api.get(f"{PROGRAMS}?ordering=budget")) == [
        "학교협동조합 지원",
        "가 현장 지원",
        "2015 맞춤형 지원",
    ]
    assert names(api.get(f"{PROGRAMS}?ordering=-budget")) == [
        "2015 맞춤형 지원",
        "가 현장 지원",
        "학교협동조합 지원",
    ]
    assert names(api.get(f"{PROGRAMS}?ordering=year,-budget")) == [
        "2015 맞춤형 지원",
        "가 현장 지원",
        "학교협동조합 지원",
    ]


def test_support_program_updated_since(api, programs):
    tailored, _school = programs
    tailored.save()
    assert names(api.get(PROGRAMS, {"updated_since": tailored.updated_at.isoformat()})) == [
        "2015 맞춤형 지원"
    ]


def test_support_program_list_query_count_is_constant(api):
    def add_rows(n):
        for _ in range(n):
            program = SupportProgramFactory(year=2015)
            grant(CommunityFactory(), program, 1_000_000)
            education(CommunityFactory(), program)

    assert_constant_queries(api, PROGRAMS, add_rows)


def test_support_program_csv(api, graduated, programs):
    grant(graduated, programs[0], 5_000_000)
    response = api.get(f"{PROGRAMS}?format=csv&ordering=year")
    assert response.status_code == 200
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(",") == [
        "id",
        "name",
        "year",
        "kind",
        "kind_label",
        "budget",
        "description",
        "records_count",
        "total_grant_amount",
        "total_returned_amount",
        "remaining_budget",
        "updated_at",
    ]
    assert len(lines) == 3
    first = lines[1].split(",")
    assert first[1:6] == ["2015 맞춤형 지원", "2015", "tailored", "맞춤형 지원", "50000000"]
    assert first[7:11] == ["1", "5000000", "0", "45000000"]


# --- Permissions ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["communities", "support-programs"])
def test_scopes(path, graduated, programs):
    detail_id = graduated.pk if path == "communities" else programs[0].pk
    for url in (f"/api/v1/{path}/", f"/api/v1/{path}/{detail_id}/"):
        anonymous = APIClient().get(url)
        assert anonymous.status_code == 401
        assert anonymous.json()["code"] == "not_authenticated"

        other_scope = partner_client("social_economy:read", "courses:read").get(url)
        assert other_scope.status_code == 403
        assert "ondure:read" in other_scope.json()["detail"]

        allowed = partner_client("ondure:read").get(url)
        assert allowed.status_code == 200

        # A staff session gets what the account's team may see in the back office, nothing more.
        load_team_groups()
        for team, expected in ((SOCIAL_ECONOMY_TEAM, 200), (EDUCATION_TEAM, 403), (None, 403)):
            user = get_user_model().objects.create_user(
                f"staff-{path}-{url.count('/')}-{team}", is_staff=True
            )
            if team:
                user.groups.add(Group.objects.get(name=team))
            staff = APIClient()
            staff.force_login(user)
            assert staff.get(url).status_code == expected, team


@pytest.mark.parametrize("path", ["communities", "support-programs"])
def test_signed_in_citizen_is_refused(path):
    citizen = APIClient()
    citizen.force_login(get_user_model().objects.create_user("citizen"))
    assert citizen.get(f"/api/v1/{path}/").status_code == 403


# --- Change feed ------------------------------------------------------------------------------------------


def events(resource):
    return list(
        ChangeEvent.objects.filter(resource=resource).order_by("id").values_list("object_id", "action")
    )


def test_feed_community_created_updated_hidden_deleted():
    community = CommunityFactory()
    community.description = "새 소개"
    community.save()
    community.is_public = False
    community.save()
    community_id = community.pk
    community.delete()
    assert events("communities") == [
        (str(community_id), "created"),
        (str(community_id), "updated"),
        (str(community_id), "deleted"),  # taken off the public list
        (str(community_id), "deleted"),
    ]


def test_feed_community_created_hidden_is_a_deletion():
    community = CommunityFactory(is_public=False)
    assert events("communities") == [(str(community.pk), "deleted")]


def test_feed_stage_records_update_their_community():
    community = CommunityFactory()
    ChangeEvent.objects.all().delete()
    record = CommunityStageRecordFactory(community=community)
    record.decision = Decision.KEEP
    record.save()
    record.delete()
    assert events("communities") == [(str(community.pk), "updated")] * 3


def test_feed_support_records_update_their_community_and_program():
    community = CommunityFactory()
    program = SupportProgramFactory()
    ChangeEvent.objects.all().delete()
    record = grant(community, program, 1_000_000)
    record.amount = 2_000_000
    record.save()
    record.delete()
    assert events("communities") == [(str(community.pk), "updated")] * 3
    assert events("support-programs") == [(str(program.pk), "updated")] * 3


def test_feed_support_record_without_program_is_no_program_event_on_delete():
    record = SupportRecordFactory(program=None, supported_on=datetime.date(2015, 3, 1))
    ChangeEvent.objects.all().delete()
    record.delete()
    assert events("support-programs") == []
    assert events("communities") == [(str(record.community_id), "updated")]


def test_feed_support_record_without_program_is_no_program_event_on_save():
    SupportRecordFactory(program=None, supported_on=datetime.date(2015, 3, 1))
    assert events("support-programs") == []


def test_feed_support_program_created_updated_deleted():
    program = SupportProgramFactory()
    program.budget = 1
    program.save()
    program_id = program.pk
    program.delete()
    assert events("support-programs") == [
        (str(program_id), "created"),
        (str(program_id), "updated"),
        (str(program_id), "deleted"),
    ]


def test_change_feed_endpoint_serves_ondure_events_to_the_scope_only(graduated, programs):
    feed = partner_client("ondure:read").get("/api/v1/changes/", {"resource": "communities"})
    assert feed.status_code == 200
    results = feed.json()["results"]
    assert {(e["resource"], e["id"]) for e in results} == {("communities", str(graduated.pk))}
    assert results[0]["action"] == "created"

    programs_feed = partner_client("ondure:read").get("/api/v1/changes/", {"resource": "support-programs"})
    assert [(e["id"], e["action"]) for e in programs_feed.json()["results"]] == [
        (str(programs[0].pk), "created"),
        (str(programs[1].pk), "created"),
    ]

    refused = partner_client("courses:read").get("/api/v1/changes/", {"resource": "communities"})
    assert refused.status_code == 403
    everything = partner_client("courses:read").get("/api/v1/changes/").json()["results"]
    assert not {"communities", "support-programs"} & {e["resource"] for e in everything}
