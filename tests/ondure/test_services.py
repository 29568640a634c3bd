import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections
from django.utils import timezone

from ondure import selectors, services
from ondure.models import (
    Community,
    CommunityGraduation,
    CommunityKind,
    CommunityMember,
    CommunityStageRecord,
    CommunityStatus,
    Stage,
    SupportRecord,
)
from social_economy.models import Organization, OrganizationType
from tests.actors import TEST_JOB

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


def _snapshot():
    return (
        list(Community.objects.order_by("pk").values()),
        list(CommunityStageRecord.objects.order_by("pk").values()),
        list(SupportRecord.objects.order_by("pk").values()),
        list(CommunityGraduation.objects.values()),
        Organization.objects.count(),
    )


def _refused(call, message):
    before = _snapshot()
    with pytest.raises(ValidationError) as excinfo:
        call()
    assert any(message in m for m in excinfo.value.messages), excinfo.value.messages
    assert _snapshot() == before


# --- Selection and the minimum-members rule -------------------------------------------------------


def _new(kind, members_count, **extra):
    return Community(
        name=f"{kind} 공동체",
        kind=kind,
        cohort_year=2015,
        selected_on=datetime.date(2015, 4, 1),
        dong=DongFactory(),
        activity_field="food",
        members_count=members_count,
        **extra,
    )


@pytest.mark.parametrize(
    ("kind", "minimum", "message", "extra"),
    [
        (CommunityKind.VILLAGE, 15, "마을공동체는 구성원이 15명 이상이어야 합니다.", {}),
        (CommunityKind.STARTUP, 5, "소규모창업공동체는 구성원이 5명 이상이어야 합니다.", {}),
        (
            CommunityKind.APARTMENT,
            10,
            "아파트공동체는 한 단지의 10세대 이상이 참여해야 합니다.",
            {"apartment_complex": "효자 휴먼시아 1단지"},
        ),
    ],
)
def test_selection_requires_the_kinds_minimum(kind, minimum, message, extra):
    _refused(
        lambda: services.community_select(community=_new(kind, minimum - 1, **extra), actor=TEST_JOB), message
    )
    _refused(
        lambda: services.community_select(community=_new(kind, None, **extra), actor=TEST_JOB),
        "구성원 수를 입력해야",
    )
    community = services.community_select(community=_new(kind, minimum, **extra), actor=TEST_JOB)
    assert community.pk is not None
    record = community.stage_records.get()
    assert (record.year, record.stage, record.decision) == (2015, Stage.DIDIM, "")


def test_selection_of_kinds_without_a_minimum():
    community = services.community_select(community=_new(CommunityKind.OTHER, None), actor=TEST_JOB)
    assert community.current_stage == Stage.DIDIM


def test_lowering_members_below_the_minimum_is_refused():
    community = CommunityFactory(kind=CommunityKind.STARTUP, members_count=6)
    community.members_count = 4
    with pytest.raises(ValidationError):
        services.community_update(community=community, actor=TEST_JOB)
    community.refresh_from_db()
    assert community.members_count == 6


# --- Staff edits: members, a community's progress, education courses ---------------------------------


def test_a_community_keeps_its_progress_out_of_plain_edits():
    community = CommunityFactory(kind=CommunityKind.STARTUP, members_count=6)
    community.name, community.status = "새 이름", CommunityStatus.DISSOLVED
    _refused(
        lambda: services.community_update(community=community, actor=TEST_JOB),
        "상태·단계·해산·졸업은 연말 심사와 졸업 처리로만 바꿀 수 있습니다.",
    )
    community.status, community.current_stage = CommunityStatus.ACTIVE, Stage.HOPE
    _refused(
        lambda: services.community_update(community=community, actor=TEST_JOB), "연말 심사와 졸업 처리로만"
    )
    community.current_stage = Stage.DIDIM
    services.community_update(community=community, actor=TEST_JOB)
    assert Community.objects.get(pk=community.pk).name == "새 이름"


def test_an_anonymised_community_member_stays_anonymous():
    member = CommunityMemberFactory(
        name=services.ANONYMISED_MEMBER_NAME, phone="", user=None, anonymised_at=timezone.now()
    )
    member.name, member.phone = "박영희", "010-2345-6789"
    with pytest.raises(ValidationError) as excinfo:
        services.community_member_save(member=member, actor=TEST_JOB)
    assert excinfo.value.messages == ["익명 처리된 구성원의 성명·연락처·회원 계정은 다시 입력할 수 없습니다."]
    assert CommunityMember.objects.filter(pk=member.pk).values_list("name", "phone").get() == (
        services.ANONYMISED_MEMBER_NAME,
        "",
    )

    member.name, member.phone, member.role = (
        services.ANONYMISED_MEMBER_NAME,
        "",
        CommunityMember.Role.SECRETARY,
    )
    services.community_member_save(member=member, actor=TEST_JOB)
    assert CommunityMember.objects.get(pk=member.pk).role == CommunityMember.Role.SECRETARY


def test_a_community_has_one_current_leader():
    leader = CommunityMemberFactory(role=CommunityMember.Role.LEADER)
    second = CommunityMemberFactory.build(community=leader.community, role=CommunityMember.Role.LEADER)
    with pytest.raises(ValidationError) as excinfo:
        services.community_member_save(member=second, actor=TEST_JOB)
    assert excinfo.value.messages == ["공동체의 현재 대표는 한 명만 둘 수 있습니다."]
    assert leader.community.members.count() == 1


def test_an_education_course_changes_its_program_but_keeps_its_course():
    from tests.courses.factories import CourseFactory

    course = CourseFactory()
    education = services.education_course_mark(course=course, actor=TEST_JOB)
    education.course = CourseFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.education_course_update(education=education, actor=TEST_JOB)
    assert excinfo.value.messages == ["강좌는 바꿀 수 없습니다. 다른 강좌는 새로 연결하세요."]
    education.refresh_from_db()
    assert education.course == course

    program = SupportProgramFactory(kind="coop_education")
    education.program = program
    services.education_course_update(education=education, actor=TEST_JOB)
    education.refresh_from_db()
    assert education.program == program


# --- Stage transitions -------------------------------------------------------------------------


def _open(stage=Stage.DIDIM, year=2014, **community_kwargs):
    community = CommunityFactory(current_stage=stage, **community_kwargs)
    CommunityStageRecordFactory(community=community, year=year, stage=stage, decision="", reason="")
    return community


def test_promotion_moves_to_the_next_stage_and_opens_next_year():
    community = _open()
    services.stage_review_decide(
        community=community,
        year=2014,
        decision=Decision.PROMOTE,
        reason="계획 달성",
        decided_on=datetime.date(2014, 12, 10),
        actor=TEST_JOB,
    )
    community.refresh_from_db()
    assert community.current_stage == Stage.IEUM
    history = list(
        community.stage_records.order_by("year").values_list("year", "stage", "decision", "reason")
    )
    assert history == [(2014, Stage.DIDIM, Decision.PROMOTE, "계획 달성"), (2015, Stage.IEUM, "", "")]


def test_keep_stays_in_the_stage():
    community = _open(stage=Stage.HOPE)
    services.stage_review_decide(
        community=community, year=2014, decision=Decision.KEEP, reason="자립 준비", actor=TEST_JOB
    )
    community.refresh_from_db()
    assert community.current_stage == Stage.HOPE
    assert community.stage_records.get(year=2015).stage == Stage.HOPE


@pytest.mark.parametrize("end_status", [CommunityStatus.DORMANT, CommunityStatus.DISSOLVED])
def test_end_stops_support(end_status):
    community = _open(stage=Stage.IEUM)
    decided_on = datetime.date(2014, 12, 1)
    services.stage_review_decide(
        community=community,
        year=2014,
        decision=Decision.END,
        reason="구성원 감소",
        decided_on=decided_on,
        end_status=end_status,
        actor=TEST_JOB,
    )
    community.refresh_from_db()
    assert community.status == end_status
    assert community.dissolved_on == (decided_on if end_status == CommunityStatus.DISSOLVED else None)
    assert community.stage_records.count() == 1


@pytest.mark.parametrize(
    ("stage", "decision", "reason", "year", "message"),
    [
        (Stage.HOPE, Decision.PROMOTE, "사유", 2014, "마지막 단계(희망)라 진급할 수 없습니다"),
        (Stage.HOPE, Decision.GRADUATE, "사유", 2014, "졸업은 '졸업 처리'에서"),
        (Stage.DIDIM, Decision.PROMOTE, "  ", 2014, "심사 사유를 입력해 주세요."),
        (Stage.DIDIM, Decision.PROMOTE, "사유", 2015, "심사할 연도는 2014년입니다"),
        (Stage.DIDIM, "bogus", "사유", 2014, "진급·유지·종료 중에서"),
    ],
)
def test_refused_transitions_change_nothing(stage, decision, reason, year, message):
    community = _open(stage=stage)
    _refused(
        lambda: services.stage_review_decide(
            community=community,
            year=year,
            decision=decision,
            reason=reason,
            actor=TEST_JOB,
        ),
        message,
    )


def test_a_decided_year_cannot_be_decided_again():
    community = _open()
    services.stage_review_decide(
        community=community, year=2014, decision=Decision.END, reason="종료", actor=TEST_JOB
    )
    _refused(
        lambda: services.stage_review_decide(
            community=community,
            year=2014,
            decision=Decision.PROMOTE,
            reason="x",
            actor=TEST_JOB,
        ),
        "활동 중인 공동체만 심사합니다",
    )


def test_bulk_review_is_all_or_nothing():
    ready = _open()
    last_stage = _open(stage=Stage.HOPE)
    _refused(
        lambda: services.stage_review_bulk(
            communities=[ready, last_stage],
            year=2014,
            decision=Decision.PROMOTE,
            reason="일괄 진급",
            actor=TEST_JOB,
        ),
        last_stage.name,
    )
    services.stage_review_bulk(
        communities=[ready], year=2014, decision=Decision.PROMOTE, reason="일괄 진급", actor=TEST_JOB
    )
    ready.refresh_from_db()
    assert ready.current_stage == Stage.IEUM


# --- Budgets -----------------------------------------------------------------------------------


def test_grant_within_budget_and_over_commitment_refused():
    program = SupportProgramFactory(budget=10_000_000, year=2015)
    community = CommunityFactory()
    services.support_record_create(
        community=community,
        program=program,
        kind="grant",
        supported_on=datetime.date(2015, 5, 1),
        amount=6_000_000,
        actor=TEST_JOB,
    )
    _refused(
        lambda: services.support_record_create(
            community=community,
            program=program,
            kind="grant",
            supported_on=datetime.date(2015, 6, 1),
            amount=4_000_001,
            actor=TEST_JOB,
        ),
        "예산을 초과합니다",
    )
    services.support_record_create(
        community=community,
        program=program,
        kind="grant",
        supported_on=datetime.date(2015, 6, 1),
        amount=4_000_000,
        actor=TEST_JOB,
    )
    assert selectors.support_program_list().get(pk=program.pk).remaining_budget == 0


def test_returned_grants_free_the_budget_and_edits_are_checked():
    program = SupportProgramFactory(budget=10_000_000, year=2015)
    record = SupportRecordFactory(program=program, amount=10_000_000)
    record.settlement_status = SupportRecord.Settlement.RETURNED
    record.returned_amount = 2_000_000
    services.support_record_save(record=record, actor=TEST_JOB)
    services.support_record_create(
        community=record.community,
        program=program,
        kind="grant",
        supported_on=datetime.date(2015, 8, 1),
        amount=2_000_000,
        actor=TEST_JOB,
    )
    record.refresh_from_db()
    record.returned_amount = 0
    _refused(lambda: services.support_record_save(record=record, actor=TEST_JOB), "예산을 초과합니다")


def test_budget_cannot_drop_below_what_is_committed():
    program = SupportProgramFactory(budget=10_000_000)
    SupportRecordFactory(program=program, amount=7_000_000)
    program.budget = 6_999_999
    with pytest.raises(ValidationError) as excinfo:
        services.support_program_save(program=program, actor=TEST_JOB)
    assert "7,000,000원보다 적을 수 없습니다" in excinfo.value.messages[0]
    program.refresh_from_db()
    assert program.budget == 10_000_000


def test_non_grant_support_does_not_use_the_budget():
    program = SupportProgramFactory(budget=0, year=2015)
    services.support_record_create(
        community=CommunityFactory(),
        program=program,
        kind="site_visit",
        supported_on=datetime.date(2015, 7, 1),
        actor=TEST_JOB,
    )
    assert SupportRecord.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_grants_cannot_overcommit_the_budget():
    program = SupportProgramFactory(budget=10_000_000, year=2015)
    communities = [CommunityFactory(), CommunityFactory()]
    barrier = threading.Barrier(2)
    outcomes = []

    def grant(community):
        try:
            barrier.wait(timeout=10)
            services.support_record_create(
                community=community,
                program=program,
                kind="grant",
                supported_on=datetime.date(2015, 5, 1),
                amount=6_000_000,
                actor=TEST_JOB,
            )
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            close_old_connections()

    threads = [threading.Thread(target=grant, args=(c,)) for c in communities]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes, key=lambda o: o != "ok")[0] == "ok"
    assert len(outcomes) == 2 and outcomes.count("ok") == 1, outcomes
    assert any("예산을 초과합니다" in o for o in outcomes)
    assert SupportRecord.objects.filter(program=program).count() == 1
    assert selectors.support_program_list().get(pk=program.pk).remaining_budget == 4_000_000


# --- Graduation --------------------------------------------------------------------------------


def _ready_to_graduate(**kwargs):
    return _open(stage=Stage.HOPE, year=2016, **kwargs)


def test_graduation_creates_the_organization_and_links_both_ways():
    community = _ready_to_graduate(kind=CommunityKind.STARTUP, members_count=8, activity_field="food")
    graduation = services.community_graduate(
        community=community,
        graduated_on=datetime.date(2016, 12, 20),
        reason="협동조합 설립 신고 수리",
        new_organization_name="한옥마을 밥상 협동조합",
        actor=TEST_JOB,
    )
    community.refresh_from_db()
    organization = Organization.objects.get(name="한옥마을 밥상 협동조합")
    assert organization.org_type == OrganizationType.COOPERATIVE
    assert organization.members_count == 8
    assert organization.dong == community.dong
    assert community.status == CommunityStatus.GRADUATED
    assert community.graduated_organization == organization
    assert graduation.created_organization is True
    assert community.stage_records.get(year=2016).decision == Decision.GRADUATE
    # The organization side: the reverse link and the selector the profile uses.
    assert list(organization.ondure_communities.all()) == [community]
    origin = selectors.community_origin_of(organization)
    assert origin == community
    assert [r.year for r in origin.stage_records.all()] == [2016]


def test_graduation_links_an_existing_organization():
    community = _ready_to_graduate()
    organization = OrganizationFactory()
    graduation = services.community_graduate(
        community=community,
        graduated_on=datetime.date(2017, 1, 10),
        reason="기존 조합과 통합",
        organization=organization,
        actor=TEST_JOB,
    )
    assert graduation.created_organization is False
    assert graduation.organization_name == organization.name
    assert selectors.community_origin_of(organization).pk == community.pk


def test_graduation_refusals_change_nothing():
    didim = _open()
    _refused(
        lambda: services.community_graduate(
            community=didim,
            graduated_on=datetime.date(2016, 12, 1),
            reason="r",
            new_organization_name="A 협동조합",
            actor=TEST_JOB,
        ),
        "희망 단계에서만",
    )
    hope = _ready_to_graduate()
    taken = CommunityFactory(graduated=True).graduated_organization
    _refused(
        lambda: services.community_graduate(
            community=hope,
            graduated_on=datetime.date(2016, 12, 1),
            reason="r",
            organization=taken,
            actor=TEST_JOB,
        ),
        "이미 공동체",
    )
    _refused(
        lambda: services.community_graduate(
            community=hope,
            graduated_on=datetime.date(2016, 12, 1),
            reason="r",
            actor=TEST_JOB,
        ),
        "둘 중 하나만",
    )
    _refused(
        lambda: services.community_graduate(
            community=hope,
            graduated_on=datetime.date(2016, 12, 1),
            reason="",
            new_organization_name="B",
            actor=TEST_JOB,
        ),
        "졸업 사유를 입력해 주세요.",
    )
    _refused(
        lambda: services.community_graduate(
            community=hope,
            graduated_on=datetime.date(2015, 12, 1),
            reason="r",
            new_organization_name="B",
            actor=TEST_JOB,
        ),
        "졸업일은 심사 연도(2016년) 이후여야 합니다.",
    )
    # A general cooperative needs five members: the organization is refused, and with it everything.
    _refused(
        lambda: services.community_graduate(
            community=hope,
            graduated_on=datetime.date(2016, 12, 1),
            reason="r",
            new_organization_name="C",
            new_organization_type=OrganizationType.PRELIMINARY_SOCIAL_ENTERPRISE,
            actor=TEST_JOB,
        ),
        "예비사회적기업",
    )


def test_origin_of_an_unrelated_or_hidden_organization_is_none():
    assert selectors.community_origin_of(OrganizationFactory()) is None
    hidden = CommunityFactory(graduated=True, is_public=False)
    assert selectors.community_origin_of(hidden.graduated_organization) is None


def test_dashboard_counts_graduates_and_time_per_cohort():
    CommunityFactory(cohort_year=2014)
    CommunityFactory(
        graduated=True,
        cohort_year=2014,
        selected_on=datetime.date(2014, 4, 1),
        graduated_on=datetime.date(2016, 4, 1),
    )
    CommunityFactory(
        graduated=True,
        cohort_year=2014,
        selected_on=datetime.date(2014, 4, 1),
        graduated_on=datetime.date(2017, 4, 1),
    )
    CommunityFactory(cohort_year=2015, status=CommunityStatus.DISSOLVED)
    dashboard = selectors.graduation_dashboard()
    first, second = dashboard["cohorts"]
    assert (first["cohort_year"], first["total"], first["graduated"], first["rate"]) == (2014, 3, 2, 66.7)
    assert (first["days_min"], first["days_max"], first["days_avg"]) == (731, 1096, 914)
    assert first["years_avg"] == 2.5
    assert (second["cohort_year"], second["graduated"], second["dissolved"], second["days_avg"]) == (
        2015,
        0,
        1,
        None,
    )
    assert dashboard["totals"] == {"total": 4, "graduated": 2, "years_avg": 2.5, "rate": 50.0}
