"""The year-end review works for every active community of the demo, whatever its cohort: the review year is
the calendar's, and every active community has that year's record open."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from ondure import services
from ondure.models import Community, CommunityGraduation, CommunityStageRecord, CommunityStatus, Stage
from tests.actors import TEST_JOB

pytestmark = pytest.mark.django_db

REVIEW_DAY = timezone.make_aware(datetime.datetime(2026, 12, 10, 10, 0))


@pytest.fixture
def demo():
    with time_machine.travel(REVIEW_DAY, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        yield


def test_every_active_community_of_every_cohort_can_be_reviewed_this_year(demo):
    active = list(Community.objects.filter(status=CommunityStatus.ACTIVE).order_by("cohort_year", "pk"))
    cohorts = {community.cohort_year for community in active}
    # 2026: the group selected in the demo's 2026 Ondure call (calls.demo) joined this year's cohort.
    assert len(active) > 100 and min(cohorts) == 2014 and max(cohorts) == 2026
    for community in active:
        decision = (
            CommunityStageRecord.Decision.KEEP
            if community.current_stage == Stage.HOPE
            else CommunityStageRecord.Decision.PROMOTE
        )
        record = services.stage_review_decide(
            community=community,
            year=2026,
            decision=decision,
            reason="연간 활동 계획 달성",
            decided_on=datetime.date(2026, 12, 10),
            actor=TEST_JOB,
        )
        assert (record.year, record.decision) == (2026, decision), community.cohort_year
        following = community.stage_records.order_by("-year").first()
        assert (following.year, following.decision) == (2027, "")


def test_a_review_for_another_year_than_the_open_one_is_refused_in_korean(demo):
    community = Community.objects.filter(status=CommunityStatus.ACTIVE, cohort_year=2016).first()
    with pytest.raises(Exception, match="2026년입니다"):
        services.stage_review_decide(
            community=community,
            year=2016,
            decision=CommunityStageRecord.Decision.KEEP,
            reason="x",
            decided_on=datetime.date(2026, 12, 10),
            actor=TEST_JOB,
        )


def test_every_active_community_in_hope_of_every_cohort_can_graduate_this_year(demo):
    hopeful = list(
        Community.objects.filter(status=CommunityStatus.ACTIVE, current_stage=Stage.HOPE).order_by("pk")
    )
    finished_cohorts = {community.cohort_year for community in hopeful if community.cohort_year <= 2024}
    assert finished_cohorts == set(range(2014, 2025)), "every cohort from its third year on is in 희망"
    for community in hopeful:
        graduation = services.community_graduate(
            community=community,
            graduated_on=datetime.date(2026, 12, 10),
            reason="협동조합 설립 신고를 마치고 졸업",
            new_organization_name=f"{community.name} 협동조합",
            actor=TEST_JOB,
        )
        record = community.stage_records.order_by("-year").first()
        assert (record.year, record.decision) == (2026, CommunityStageRecord.Decision.GRADUATE), (
            community.cohort_year
        )
        assert graduation.organization.name == f"{community.name} 협동조합"
    assert CommunityGraduation.objects.filter(graduated_on=datetime.date(2026, 12, 10)).count() == len(
        hopeful
    )
