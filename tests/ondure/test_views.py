import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ondure import services
from ondure.models import CommunityKind, CommunityStageRecord, Stage
from tests.actors import TEST_JOB

from .factories import (
    CommunityFactory,
    CommunityMemberFactory,
    CommunityStageRecordFactory,
    DongFactory,
    SupportRecordFactory,
)

pytestmark = pytest.mark.django_db
DIRECTORY = reverse("ondure:directory")


def _names(response):
    return [c.name for c in response.context["communities"]]


def _populate(count):
    for _ in range(count):
        community = CommunityFactory(graduated=True)
        CommunityMemberFactory(community=community)
        CommunityStageRecordFactory(community=community)
        CommunityStageRecordFactory(community=community, year=2015, stage=Stage.IEUM)
        SupportRecordFactory(community=community)


def test_directory_filters_by_kind_stage_dong_and_cohort(client):
    dong = DongFactory(name="노송동")
    village = CommunityFactory(name="노송 마을", kind=CommunityKind.VILLAGE, dong=dong, cohort_year=2015)
    startup = CommunityFactory(
        name="풍남 창업", current_stage=Stage.IEUM, cohort_year=2014, dong=DongFactory(name="풍남동")
    )
    CommunityFactory(name="숨김 공동체", is_public=False)
    assert _names(client.get(DIRECTORY)) == [village.name, startup.name]
    assert _names(client.get(DIRECTORY, {"kind": "village"})) == [village.name]
    assert _names(client.get(DIRECTORY, {"stage": "ieum"})) == [startup.name]
    assert _names(client.get(DIRECTORY, {"dong": dong.pk})) == [village.name]
    assert _names(client.get(DIRECTORY, {"cohort_year": 2014})) == [startup.name]
    assert _names(client.get(DIRECTORY, {"kind": "startup", "cohort_year": 2015})) == []


@pytest.mark.parametrize("params", [{"cohort_year": "abc"}, {"kind": "castle"}, {"dong": "999999"}])
def test_directory_bad_filter_is_a_clear_message(client, params):
    CommunityFactory()
    response = client.get(DIRECTORY, params)
    assert response.status_code == 400
    assert "검색 조건이 올바르지 않습니다." in response.content.decode()
    assert _names(response) == []


def test_directory_and_profile_show_no_personal_data(client):
    community = CommunityFactory(
        leader_name="김철용", leader_phone="010-2345-6789", staff_notes="내부 메모 비밀", graduated=True
    )
    CommunityMemberFactory(community=community, name="박영희", phone="010-8765-4321")
    CommunityStageRecordFactory(community=community, reason="심사 사유 비공개")
    SupportRecordFactory(community=community, notes="방문 기록 비공개")
    pages = [client.get(DIRECTORY), client.get(reverse("ondure:community_detail", args=[community.pk]))]
    for response in pages:
        assert response.status_code == 200
        content = response.content.decode()
        assert community.name in content
        for secret in [
            "김철용",
            "2345-6789",
            "박영희",
            "8765-4321",
            "내부 메모 비밀",
            "심사 사유 비공개",
            "방문 기록 비공개",
        ]:
            assert secret not in content


def test_profile_shows_stages_activities_and_graduation(client):
    community = CommunityFactory(cohort_year=2014, current_stage=Stage.HOPE)
    for year, stage in [(2014, Stage.DIDIM), (2015, Stage.IEUM), (2016, Stage.HOPE)]:
        CommunityStageRecordFactory(
            community=community, year=year, stage=stage, decision="" if year == 2016 else "promote"
        )
    SupportRecordFactory(
        community=community, kind="site_visit", amount=0, supported_on=datetime.date(2015, 6, 10)
    )
    services.community_graduate(
        community=community,
        graduated_on=datetime.date(2016, 12, 20),
        reason="설립",
        new_organization_name="풍남 협동조합",
        actor=TEST_JOB,
    )
    response = client.get(reverse("ondure:community_detail", args=[community.pk]))
    content = response.content.decode()
    assert [r.year for r in response.context["stage_records"]] == [2014, 2015, 2016]
    assert response.context["activity_years"] == [
        {"year": 2015, "education": 0, "site_visit": 1, "consulting": 0}
    ]
    assert "풍남 협동조합" in content
    assert (
        f"/social-economy/{community.graduated_organization_id}/" in content
        or response.context["organization_url"]
    )
    assert "2016-12-20" in content


def test_hidden_or_missing_community_is_404(client):
    hidden = CommunityFactory(is_public=False)
    assert client.get(reverse("ondure:community_detail", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("ondure:community_detail", args=[hidden.pk + 100])).status_code == 404


def test_directory_query_count_is_constant(client):
    _populate(3)
    with CaptureQueriesContext(connection) as small:
        response = client.get(DIRECTORY, {"kind": "startup"})
    assert len(response.context["communities"]) == 3
    _populate(3)
    with CaptureQueriesContext(connection) as large:
        response = client.get(DIRECTORY, {"kind": "startup"})
    assert len(response.context["communities"]) == 6
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]


def test_profile_query_count_does_not_grow_with_history(client):
    community = CommunityFactory()
    CommunityStageRecordFactory(community=community)
    SupportRecordFactory(community=community)
    url = reverse("ondure:community_detail", args=[community.pk])
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for year in (2015, 2016):
        CommunityStageRecordFactory(
            community=community, year=year, stage=Stage.IEUM, decision=CommunityStageRecord.Decision.KEEP
        )
        SupportRecordFactory(community=community, supported_on=datetime.date(year, 3, 3))
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    assert len(large) == len(small)


def test_graduation_path_snippet_for_the_organization_profile(rf):
    from django.template.loader import render_to_string

    from ondure.selectors import community_origin_of

    community = CommunityFactory(graduated=True, name="자만마을 공예 두레", leader_name="김철용")
    CommunityStageRecordFactory(community=community, year=2014, stage=Stage.DIDIM)
    html = render_to_string(
        "ondure/includes/graduation_path.html",
        {"origin": community_origin_of(community.graduated_organization)},
    )
    assert "자만마을 공예 두레" in html
    assert reverse("ondure:community_detail", args=[community.pk]) in html
    assert "김철용" not in html
    assert render_to_string("ondure/includes/graduation_path.html", {"origin": None}).strip() == ""
