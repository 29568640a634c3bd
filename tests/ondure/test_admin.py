import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from jeonju_center.accounts.models import User
from jeonju_center.common.reference import load_all_reference_data
from jeonju_center.common.teams import SOCIAL_ECONOMY_TEAM
from ondure.models import Community, CommunityMember, SupportProgram, SupportRecord

from .factories import (
    CommunityFactory,
    CommunityMemberFactory,
    DongFactory,
    SupportProgramFactory,
    SupportRecordFactory,
)

pytestmark = pytest.mark.django_db


def _url(model_name, view, *args):
    return reverse(f"admin:ondure_{model_name}_{view}", args=args)


@pytest.fixture
def team_client(client):
    """Staff of the team without the 개인정보 열람 permission (the superuser has every permission)."""
    load_all_reference_data()
    staff = User.objects.create_user(username="se", password="pw-123456789", is_staff=True)
    staff.groups.set(Group.objects.filter(name=SOCIAL_ECONOMY_TEAM))
    client.force_login(staff)
    return client


def test_community_changelist_masks_the_leader_and_shows_annotated_totals(team_client):
    community = CommunityFactory(leader_name="김철용")
    SupportRecordFactory(community=community, amount=3_500_000)
    SupportRecordFactory(community=community, amount=4_000_000)
    CommunityMemberFactory(community=community)
    response = team_client.get(_url("community", "changelist"))
    content = response.content.decode()
    assert "김*용" in content
    assert "김철용" not in content
    row = response.context["cl"].result_list[0]
    assert row.grant_total_amount == 7_500_000
    assert row.member_rows_count == 1


def test_member_changelist_masks_name_and_phone(team_client):
    CommunityMemberFactory(name="박영희", phone="010-2345-6789")
    content = team_client.get(_url("communitymember", "changelist")).content.decode()
    assert "박*희" in content
    assert "010-2345-****" in content
    assert "박영희" not in content
    assert "6789" not in content


def _community_post_data(**overrides):
    data = {
        "name": "서학동 예술마을 마을극단",
        "kind": "village",
        "cohort_year": "2015",
        "selected_on": "2015-04-02",
        "dong": DongFactory(name="서서학동").pk,
        "apartment_complex": "",
        "activity_field": "culture",
        "members_count": "20",
        "description": "",
        "website": "",
        "is_public": "on",
        "status": "active",
        "current_stage": "didim",
        "dissolved_on": "",
        "graduated_organization": "",
        "graduated_on": "",
        "leader_name": "이순자",
        "leader_phone": "010-5555-1234",
        "staff_notes": "",
    }
    for prefix in ["members", "stage_records", "support_records"]:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(overrides)
    return data


def test_valid_community_can_be_added_in_the_admin(admin_client):
    response = admin_client.post(_url("community", "add"), _community_post_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    community = Community.objects.get()
    assert community.name == "서학동 예술마을 마을극단"
    assert community.members_count == 20


def test_admin_rejects_a_village_community_below_the_minimum(admin_client):
    response = admin_client.post(_url("community", "add"), _community_post_data(members_count="9"))
    assert response.status_code == 200
    assert "마을공동체는 구성원이 15명 이상이어야 합니다." in response.content.decode()
    assert Community.objects.count() == 0


def test_admin_rejects_an_apartment_community_without_its_complex(admin_client):
    data = _community_post_data(kind="apartment", members_count="30")
    response = admin_client.post(_url("community", "add"), data)
    assert response.status_code == 200
    assert "아파트공동체는 아파트 단지명을 입력해야 합니다." in response.content.decode()
    assert Community.objects.count() == 0


def test_admin_rejects_a_grant_without_amount(admin_client):
    community = CommunityFactory()
    program = SupportProgramFactory(year=2015)
    data = {
        "community": community.pk,
        "program": program.pk,
        "kind": "grant",
        "supported_on": "2015-05-10",
        "amount": "0",
        "settlement_status": "unsettled",
        "settled_on": "",
        "returned_amount": "0",
        "notes": "",
    }
    response = admin_client.post(_url("supportrecord", "add"), data)
    assert response.status_code == 200
    assert "보조금은 금액이 0원보다 커야 합니다." in response.content.decode()
    assert SupportRecord.objects.count() == 0


def test_admin_rejects_a_second_current_leader(admin_client):
    leader = CommunityMemberFactory(role=CommunityMember.Role.LEADER)
    data = {
        "community": leader.community.pk,
        "name": "정민호",
        "phone": "010-7777-8888",
        "role": "leader",
        "joined_on": "2015-01-05",
        "left_on": "",
    }
    response = admin_client.post(_url("communitymember", "add"), data)
    assert response.status_code == 200
    assert "공동체의 현재 대표는 한 명만 둘 수 있습니다." in response.content.decode()
    assert CommunityMember.objects.count() == 1


def test_a_budget_below_what_is_committed_shows_the_services_refusal_and_saves_nothing(admin_client):
    program = SupportProgramFactory(budget=10_000_000, year=2015)
    SupportRecordFactory(program=program, amount=7_000_000)
    response = admin_client.post(
        _url("supportprogram", "change", program.pk),
        {"name": "바뀐 사업명", "year": "2015", "kind": program.kind, "budget": "6999999", "description": ""},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["budget"] == [
        "예산은 이미 집행한 보조금 7,000,000원보다 적을 수 없습니다."
    ]
    stored = SupportProgram.objects.get(pk=program.pk)
    assert (stored.name, stored.budget) == (program.name, 10_000_000)


def test_a_member_added_on_the_community_page_is_saved_through_the_service(admin_client):
    leader = CommunityMemberFactory(role=CommunityMember.Role.LEADER)
    community = leader.community
    page = admin_client.get(_url("community", "change", community.pk))
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data["dong"] = community.dong_id
    data.update(
        {
            **{
                f"{prefix}-{key}": "0"
                for prefix in ("stage_records", "support_records")
                for key in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
            "members-TOTAL_FORMS": "2",
            "members-INITIAL_FORMS": "1",
            "members-0-id": leader.pk,
            "members-0-community": community.pk,
            "members-0-name": leader.name,
            "members-0-phone": leader.phone,
            "members-0-role": "leader",
            "members-1-community": community.pk,
            "members-1-name": "정민호",
            "members-1-phone": "010-7777-8888",
            "members-1-role": "leader",
        }
    )
    url = _url("community", "change", community.pk)
    refused = admin_client.post(url, data)
    assert refused.status_code == 200
    assert "공동체의 현재 대표는 한 명만 둘 수 있습니다." in refused.content.decode()
    assert list(community.members.values_list("name", flat=True)) == [leader.name]

    data["members-1-role"] = "secretary"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert community.members.get(name="정민호").role == CommunityMember.Role.SECRETARY
