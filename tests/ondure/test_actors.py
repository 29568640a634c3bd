"""Every write of the Ondure services knows who made it and through which channel (issue #21): the actor is
required, it is in effect while the rows are written (where the history takes it from), the rows that name
a person get the actor's account, and a settlement is written by its community and decided by the staff."""

import datetime
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError

from jeonju_center.common.actors import Actor, Channel, current_actor
from jeonju_center.common.retention import RETENTION_JOB
from ondure import retention, services, settlements, tasks
from ondure.models import (
    Community,
    CommunityMember,
    CommunityStageRecord,
    GrantSettlement,
    Stage,
    SupportRecord,
)
from tests.actors import TEST_JOB
from tests.actors_seen import actors_saving
from tests.courses.factories import StaffFactory, UserFactory

from .factories import (
    CommunityFactory,
    CommunityMemberFactory,
    CommunityStageRecordFactory,
    SupportRecordFactory,
)

pytestmark = pytest.mark.django_db
KST = datetime.timezone(datetime.timedelta(hours=9))
Decision = CommunityStageRecord.Decision


@pytest.fixture(autouse=True)
def pinned_now():
    with time_machine.travel(datetime.datetime(2015, 12, 1, 10, 0, tzinfo=KST), tick=False):
        yield


def test_a_yearly_review_is_decided_and_written_by_the_staff_member():
    staff = StaffFactory()
    community = CommunityFactory(current_stage=Stage.DIDIM)
    CommunityStageRecordFactory(community=community, year=2014, stage=Stage.DIDIM, decision="", reason="")
    with actors_saving(CommunityStageRecord, Community) as seen:
        record = services.stage_review_decide(
            community=community, year=2014, decision=Decision.PROMOTE, reason="활동 우수", actor=staff
        )
    assert record.decided_by == staff
    assert {name for name, _actor in seen} == {"CommunityStageRecord", "Community"}
    assert {actor for _name, actor in seen} == {Actor.staff(staff)}
    assert current_actor() is None  # the actor ends with the call


def test_a_graduation_names_the_staff_member_on_the_decision_and_the_graduation():
    staff = StaffFactory()
    community = CommunityFactory(current_stage=Stage.HOPE)
    CommunityStageRecordFactory(community=community, year=2016, stage=Stage.HOPE, decision="", reason="")
    graduation = services.community_graduate(
        community=community,
        graduated_on=datetime.date(2016, 12, 20),
        reason="협동조합 설립",
        new_organization_name="마을 협동조합",
        actor=staff,
    )
    assert graduation.decided_by == staff
    assert community.stage_records.get(year=2016).decided_by == staff


def test_a_write_without_an_actor_is_refused_before_anything_is_written():
    community = CommunityFactory.build(dong=CommunityFactory().dong, name="배우 없는 공동체")
    with pytest.raises(TypeError, match="actor"):
        services.community_select(community=community)
    assert not Community.objects.filter(name="배우 없는 공동체").exists()
    grant = SupportRecordFactory(amount=1_000_000)
    with pytest.raises(TypeError, match="actor"):
        settlements.settlement_start(support_record=grant)
    assert not GrantSettlement.objects.exists()


def _settlement_submitted_by(leader, grant):
    settlement = settlements.settlement_start(support_record=grant, actor=leader)
    settlements.expense_add(settlement_id=settlement.pk, actor=leader, spent_on=datetime.date(2015, 7, 1),
                            vendor="한지 공방", purpose="재료", category="materials", amount=300_000)  # fmt: skip
    with actors_saving(GrantSettlement, SupportRecord) as seen:
        settlements.settlement_submit(settlement_id=settlement.pk, actor=leader)
    return settlement, seen


def test_the_leader_submits_as_a_citizen_and_the_staff_member_approves():
    grant = SupportRecordFactory(amount=1_000_000)
    leader = UserFactory()
    CommunityMemberFactory(community=grant.community, user=leader, role=CommunityMember.Role.LEADER)
    settlement, seen = _settlement_submitted_by(leader, grant)
    assert {actor for _name, actor in seen} == {Actor.citizen(leader)}
    settlement.refresh_from_db()
    assert settlement.submitted_by == leader

    staff = StaffFactory()
    settlements.settlement_approve(settlement_id=settlement.pk, actor=staff)
    settlement.refresh_from_db()
    assert (settlement.status, settlement.decided_by) == (GrantSettlement.Status.APPROVED, staff)


def test_only_the_staff_decide_a_settlement():
    grant = SupportRecordFactory(amount=1_000_000)
    leader = UserFactory()
    CommunityMemberFactory(community=grant.community, user=leader, role=CommunityMember.Role.LEADER)
    settlement, _seen = _settlement_submitted_by(leader, grant)
    inactive = StaffFactory(is_active=False)
    for actor in (leader, TEST_JOB, inactive):
        with pytest.raises(ValidationError, match="센터 직원만"):
            settlements.settlement_approve(settlement_id=settlement.pk, actor=actor)
        with pytest.raises(ValidationError, match="센터 직원만"):
            settlements.settlement_return(settlement_id=settlement.pk, actor=actor, comment="보완")
    settlement.refresh_from_db()
    grant.refresh_from_db()
    assert (settlement.status, settlement.decided_by, settlement.decided_at) == (
        GrantSettlement.Status.SUBMITTED,
        None,
        None,
    )
    assert grant.settlement_status == SupportRecord.Settlement.IN_PROGRESS


def test_staff_do_not_write_a_community_s_settlement_for_it():
    grant = SupportRecordFactory(amount=1_000_000)
    with pytest.raises(ValidationError, match="대표나 총무만"):
        settlements.settlement_start(support_record=grant, actor=StaffFactory())
    assert not GrantSettlement.objects.exists()


def test_the_nightly_jobs_run_as_their_named_jobs():
    with mock.patch.object(
        services, "education_attendance_sync_all", wraps=services.education_attendance_sync_all
    ) as spy:
        tasks.sync_education_attendance()
    job = spy.call_args.kwargs["actor"]
    assert job is tasks.ATTENDANCE_SYNC_JOB
    assert (job.channel, job.label) == (Channel.SYSTEM, "시스템: 온두레 교육 출석 반영")

    for policy, service in (
        (retention.anonymise_community_members, "community_members_anonymise"),
        (retention.anonymise_community_leaders, "community_leaders_anonymise"),
    ):
        with mock.patch.object(services, service, wraps=getattr(services, service)) as spy:
            policy(cutoff=datetime.date(2015, 1, 1), now=datetime.datetime(2015, 12, 1, 10, 0, tzinfo=KST))
        assert spy.call_args.kwargs["actor"] is RETENTION_JOB, service
