import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from ondure.models import (
    Community,
    CommunityKind,
    CommunityMember,
    CommunityStageRecord,
    CommunityStatus,
    Stage,
    SupportProgram,
    SupportRecord,
)

from .factories import (
    CommunityFactory,
    CommunityMemberFactory,
    CommunityStageRecordFactory,
    OrganizationFactory,
    SupportProgramFactory,
    SupportRecordFactory,
)

pytestmark = pytest.mark.django_db

Decision = CommunityStageRecord.Decision


def assert_rejected(instance, message, field=NON_FIELD_ERRORS):
    """Both the model validation (what the admin shows) and the database itself refuse ``instance``."""
    with pytest.raises(ValidationError) as excinfo:
        instance.full_clean()
    assert message in excinfo.value.message_dict.get(field, []), excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


def assert_accepted(instance):
    instance.full_clean()
    instance.save()
    instance.refresh_from_db()


# --- Community ---------------------------------------------------------------------------------------


def test_valid_communities_of_every_kind_are_accepted():
    CommunityFactory()
    CommunityFactory(apartment=True)
    CommunityFactory(graduated=True)
    CommunityFactory(kind=CommunityKind.VILLAGE, members_count=15)
    CommunityFactory(kind=CommunityKind.SCHOOL_COOPERATIVE, members_count=None)
    for community in Community.objects.all():
        community.full_clean()
    assert Community.objects.count() == 5


def test_community_name_is_unique_per_cohort_year_only():
    first = CommunityFactory(name="남부시장 청년 밥상 두레", cohort_year=2014)
    other_year = CommunityFactory.build(name=first.name, cohort_year=2015, dong=first.dong)
    assert_accepted(other_year)
    duplicate = CommunityFactory.build(name=first.name, cohort_year=2014, dong=first.dong)
    assert_rejected(duplicate, "같은 기수에 같은 이름의 공동체가 이미 있습니다.")


def test_one_community_per_graduated_organization():
    first = CommunityFactory(graduated=True)
    second = CommunityFactory(graduated=True)
    second.graduated_organization = first.graduated_organization
    assert_rejected(
        second,
        "이 조직은 이미 다른 공동체의 졸업 조직으로 연결되어 있습니다.",
        field="graduated_organization",
    )


def test_cohort_year_starts_in_2014():
    community = CommunityFactory()
    community.cohort_year = 2013
    community.selected_on = datetime.date(2013, 5, 1)
    assert_rejected(community, "선정 연도는 2014년(첫 기수) 이후여야 합니다.")


@pytest.mark.parametrize(
    ("kind", "too_few", "enough", "message"),
    [
        (CommunityKind.VILLAGE, 14, 15, "마을공동체는 구성원이 15명 이상이어야 합니다."),
        (CommunityKind.STARTUP, 4, 5, "소규모창업공동체는 구성원이 5명 이상이어야 합니다."),
        (CommunityKind.APARTMENT, 9, 10, "아파트공동체는 한 단지의 10세대 이상이 참여해야 합니다."),
    ],
)
def test_members_count_must_reach_the_kinds_minimum(kind, too_few, enough, message):
    community = CommunityFactory(
        kind=kind, apartment_complex="송천 에코시티 더샵 2단지" if kind == "apartment" else ""
    )
    community.members_count = enough
    assert_accepted(community)
    community.members_count = None
    assert_accepted(community)
    community.members_count = too_few
    assert_rejected(community, message)


def test_other_kinds_have_no_minimum():
    community = CommunityFactory(kind=CommunityKind.OTHER, members_count=2)
    community.full_clean()


def test_apartment_community_needs_the_complex_name():
    community = CommunityFactory(apartment=True)
    community.apartment_complex = ""
    assert_rejected(community, "아파트공동체는 아파트 단지명을 입력해야 합니다.")


def test_apartment_complex_name_only_for_apartment_communities():
    community = CommunityFactory(kind=CommunityKind.STARTUP, apartment_complex="효자 휴먼시아 1단지")
    with pytest.raises(ValidationError) as excinfo:
        community.full_clean()
    assert excinfo.value.message_dict["apartment_complex"] == ["아파트 단지명은 아파트공동체에만 입력합니다."]


def test_graduated_status_requires_graduation_date():
    community = CommunityFactory()
    community.status = CommunityStatus.GRADUATED
    assert_rejected(
        community, "상태가 '졸업'이면 졸업일을 입력하고, 졸업하지 않았으면 졸업일을 비워 두어야 합니다."
    )


def test_graduation_date_only_when_graduated():
    community = CommunityFactory()
    community.graduated_on = datetime.date(2016, 12, 20)
    assert_rejected(
        community, "상태가 '졸업'이면 졸업일을 입력하고, 졸업하지 않았으면 졸업일을 비워 두어야 합니다."
    )


def test_organization_link_only_when_graduated():
    community = CommunityFactory()
    community.graduated_organization = OrganizationFactory()
    assert_rejected(community, "졸업 조직은 졸업한 공동체에만 연결할 수 있습니다.")


def test_dissolution_date_only_when_dissolved():
    community = CommunityFactory()
    community.dissolved_on = datetime.date(2015, 12, 1)
    assert_rejected(community, "해산일은 상태가 '해산'인 공동체에만 입력합니다.")
    community.status = CommunityStatus.DISSOLVED
    assert_accepted(community)


def test_graduation_after_selection():
    community = CommunityFactory(graduated=True, selected_on=datetime.date(2014, 4, 1))
    community.graduated_on = datetime.date(2014, 3, 1)
    assert_rejected(community, "졸업일은 선정일 이후여야 합니다.")


def test_selection_date_must_match_the_cohort_year():
    community = CommunityFactory.build(
        cohort_year=2014, selected_on=datetime.date(2019, 4, 1), dong=CommunityFactory().dong
    )
    with pytest.raises(ValidationError) as excinfo:
        community.full_clean()
    assert (
        "선정일이 선정 연도(기수)와 맞지 않습니다. 연도를 확인해 주세요."
        in excinfo.value.message_dict["selected_on"]
    )


def test_leader_phone_is_validated_and_normalized():
    community = CommunityFactory()
    community.leader_phone = "01012345678"
    community.full_clean()
    assert community.leader_phone == "010-1234-5678"
    community.leader_phone = "12345"
    with pytest.raises(ValidationError) as excinfo:
        community.full_clean()
    assert excinfo.value.message_dict["leader_phone"] == [
        "전화번호 형식이 올바르지 않습니다. 예: 010-1234-5678"
    ]


def test_deleting_the_organization_keeps_the_graduated_community():
    community = CommunityFactory(graduated=True)
    community.graduated_organization.delete()
    community.refresh_from_db()
    assert community.graduated_organization is None
    assert community.status == CommunityStatus.GRADUATED


def test_community_with_support_records_cannot_be_deleted():
    record = SupportRecordFactory()
    with pytest.raises(ProtectedError):
        record.community.delete()


# --- Members -----------------------------------------------------------------------------------------


def test_one_current_leader_per_community():
    leader = CommunityMemberFactory(role=CommunityMember.Role.LEADER)
    second = CommunityMemberFactory.build(community=leader.community, role=CommunityMember.Role.LEADER)
    assert_rejected(second, "공동체의 현재 대표는 한 명만 둘 수 있습니다.")

    leader.left_on = datetime.date(2016, 2, 1)
    leader.save()
    assert_accepted(second)


def test_member_leaves_after_joining():
    member = CommunityMemberFactory(joined_on=datetime.date(2015, 3, 1))
    member.left_on = datetime.date(2015, 2, 28)
    assert_rejected(member, "탈퇴일은 가입일 이후여야 합니다.")


def test_member_str_masks_the_name():
    member = CommunityMemberFactory(name="김철용", role=CommunityMember.Role.SECRETARY)
    assert str(member) == "김*용 (총무)"


# --- Stage records -----------------------------------------------------------------------------------


def test_valid_stage_history_is_accepted():
    community = CommunityFactory(cohort_year=2014)
    for year, stage, decision in [
        (2014, Stage.DIDIM, Decision.PROMOTE),
        (2015, Stage.IEUM, Decision.PROMOTE),
        (2016, Stage.HOPE, Decision.GRADUATE),
    ]:
        assert_accepted(
            CommunityStageRecordFactory.build(community=community, year=year, stage=stage, decision=decision)
        )
    assert_accepted(
        CommunityStageRecordFactory.build(community=community, year=2017, stage=Stage.HOPE, decision="")
    )
    assert community.stage_records.count() == 4


def test_one_stage_record_per_community_and_year():
    record = CommunityStageRecordFactory()
    duplicate = CommunityStageRecordFactory.build(
        community=record.community, year=record.year, stage=Stage.IEUM
    )
    assert_rejected(duplicate, "이 공동체의 해당 연도 단계 이력이 이미 있습니다.")


def test_stage_record_year_from_2014():
    record = CommunityStageRecordFactory()
    record.year = 2013
    # No community is older than 2014, so full_clean() reports the year against the cohort first.
    with pytest.raises(ValidationError) as excinfo:
        record.validate_constraints()
    assert excinfo.value.messages == ["연도는 2014년 이후여야 합니다."]
    with pytest.raises(ValidationError) as excinfo:
        record.full_clean()
    assert "year" in excinfo.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        record.save()


def test_stage_record_year_not_before_the_cohort():
    record = CommunityStageRecordFactory.build(community=CommunityFactory(cohort_year=2016), year=2015)
    with pytest.raises(ValidationError) as excinfo:
        record.full_clean()
    assert excinfo.value.message_dict["year"] == ["선정 연도보다 이른 해의 단계 이력은 기록할 수 없습니다."]


@pytest.mark.parametrize(
    ("decision", "decided_on"),
    [(Decision.PROMOTE, None), ("", datetime.date(2014, 12, 15))],
)
def test_decision_and_decision_date_go_together(decision, decided_on):
    record = CommunityStageRecordFactory()
    record.decision = decision
    record.decided_on = decided_on
    assert_rejected(record, "심사 결과와 결정일은 함께 입력해야 합니다.")


def test_graduation_only_from_the_hope_stage():
    record = CommunityStageRecordFactory(stage=Stage.IEUM)
    record.decision = Decision.GRADUATE
    assert_rejected(record, "졸업은 희망 단계에서만 결정할 수 있습니다.")


def test_no_promotion_after_the_hope_stage():
    record = CommunityStageRecordFactory(stage=Stage.HOPE, decision=Decision.KEEP)
    record.decision = Decision.PROMOTE
    assert_rejected(
        record, "희망 단계는 마지막 단계이므로 진급할 수 없습니다. 졸업·유지·종료 중에서 고르세요."
    )


# --- Support programs and records --------------------------------------------------------------------


def test_program_name_unique_per_year():
    program = SupportProgramFactory(name="온두레 협동조합 교육", year=2016)
    assert_accepted(SupportProgramFactory.build(name=program.name, year=2017))
    assert_rejected(
        SupportProgramFactory.build(name=program.name, year=2016),
        "같은 연도에 같은 이름의 지원 사업이 이미 있습니다.",
    )


def test_program_budget_not_negative():
    program = SupportProgramFactory()
    program.budget = 0
    assert_accepted(program)
    program.budget = -1
    assert_rejected(program, "예산은 0원 이상이어야 합니다.")


def test_program_year_from_2014():
    program = SupportProgramFactory()
    program.year = 2013
    assert_rejected(program, "사업 연도는 2014년 이후여야 합니다.")


def test_support_records_of_every_kind_are_accepted():
    program = SupportProgramFactory(kind=SupportProgram.Kind.ON_SITE)
    community = CommunityFactory()
    SupportRecordFactory(community=community, program=program, amount=3_000_000)
    for kind in [SupportRecord.Kind.EDUCATION, SupportRecord.Kind.SITE_VISIT, SupportRecord.Kind.CONSULTING]:
        assert_accepted(SupportRecordFactory.build(community=community, program=program, kind=kind, amount=0))
    assert_accepted(
        SupportRecordFactory.build(community=community, program=None, kind="consulting", amount=0)
    )
    assert community.support_records.count() == 5


def test_support_amount_not_negative():
    record = SupportRecordFactory(kind=SupportRecord.Kind.CONSULTING, amount=0)
    record.amount = -100
    assert_rejected(record, "금액은 0원 이상이어야 합니다.")


def test_grant_needs_a_positive_amount():
    record = SupportRecordFactory(kind=SupportRecord.Kind.GRANT)
    record.amount = 0
    assert_rejected(record, "보조금은 금액이 0원보다 커야 합니다.")


def test_grant_needs_a_settlement_status():
    record = SupportRecordFactory(kind=SupportRecord.Kind.GRANT)
    record.settlement_status = ""
    assert_rejected(record, "정산 상태는 보조금에만 입력하며, 보조금에는 반드시 입력해야 합니다.")


def test_settlement_status_only_for_grants():
    record = SupportRecordFactory(kind=SupportRecord.Kind.EDUCATION, amount=0)
    record.settlement_status = SupportRecord.Settlement.UNSETTLED
    assert_rejected(record, "정산 상태는 보조금에만 입력하며, 보조금에는 반드시 입력해야 합니다.")


def test_settlement_date_only_when_settled():
    record = SupportRecordFactory(settlement_status=SupportRecord.Settlement.UNSETTLED)
    record.settled_on = datetime.date(2015, 12, 24)
    assert_rejected(record, "정산일은 정산 완료 또는 반환된 보조금에만 입력합니다.")
    record.settlement_status = SupportRecord.Settlement.SETTLED
    assert_accepted(record)


@pytest.mark.parametrize("returned_amount", [-1, 5_000_001])
def test_returned_amount_within_the_grant(returned_amount):
    record = SupportRecordFactory(amount=5_000_000, settlement_status=SupportRecord.Settlement.RETURNED)
    record.returned_amount = returned_amount
    assert_rejected(record, "반환액은 0원 이상, 지원 금액 이하여야 합니다.")


def test_support_date_within_the_program_year():
    record = SupportRecordFactory.build(
        community=CommunityFactory(),
        program=SupportProgramFactory(year=2016),
        supported_on=datetime.date(2017, 1, 5),
    )
    with pytest.raises(ValidationError) as excinfo:
        record.full_clean()
    assert excinfo.value.message_dict["supported_on"] == ["지원일이 지원 사업 연도와 맞지 않습니다."]


def test_every_constraint_name_carries_the_app_label():
    from django.apps import apps

    names = [c.name for model in apps.get_app_config("ondure").get_models() for c in model._meta.constraints]
    assert len(names) == 33
    assert all(name.startswith("ondure_") for name in names)
