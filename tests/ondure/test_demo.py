import datetime
import itertools

import pytest
from django.apps import apps
from django.db.models import Min

from jeonju_center.common.models import Dong
from jeonju_center.demo import base
from jeonju_center.demo.context import DemoContext
from ondure import demo
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
from social_economy.models import COOPERATIVE_TYPES, Organization, OrganizationType

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 24)
STAGE_ORDER = [Stage.DIDIM, Stage.IEUM, Stage.HOPE]


# Filled by ``ondure.demo_courses`` after the courses demo (it marks the demo's cooperative courses).
AFTER_COURSES = {"OndureEducationCourse"}


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in apps.get_app_config("ondure").get_models()
        # The demo loads rows in bulk, so the history tables (django-simple-history) stay empty.
        if model.__name__ not in AFTER_COURSES and not model.__name__.startswith("Historical")
    }


@pytest.fixture
def ctx():
    context = DemoContext(scale=1, today=TODAY)
    base.seed(context)
    return context


@pytest.fixture
def seeded(ctx):
    demo.seed(ctx)
    return ctx


def test_seed_is_idempotent_and_fills_every_model(ctx):
    first_summary = demo.seed(ctx)
    counts = _counts()
    assert all(counts.values()), counts
    organizations = Organization.objects.count()

    second_summary = demo.seed(ctx)
    assert _counts() == counts
    assert Organization.objects.count() == organizations
    assert all(" 0 created" in line for line in second_summary), second_summary
    assert first_summary != second_summary


def test_plan_is_deterministic(ctx):
    dongs = list(Dong.objects.order_by("district", "display_order", "name"))
    first = [
        (p.key, p.community.leader_name, len(p.supports)) for p in demo.planning.plan_communities(ctx, dongs)
    ]
    second = [
        (p.key, p.community.leader_name, len(p.supports)) for p in demo.planning.plan_communities(ctx, dongs)
    ]
    assert first == second


def test_first_cohort_has_66_mostly_startup_communities(seeded):
    first_cohort = Community.objects.filter(cohort_year=2014)
    assert first_cohort.count() == 66
    startups = first_cohort.filter(kind=CommunityKind.STARTUP).count()
    assert startups > 66 / 2
    assert first_cohort.filter(kind=CommunityKind.VILLAGE).exists()
    assert first_cohort.filter(kind=CommunityKind.APARTMENT).exists()
    later = Community.objects.filter(cohort_year__gt=2014)
    assert set(later.values_list("cohort_year", flat=True)) == set(range(2015, 2026))
    for year in range(2015, 2026):
        assert 10 <= later.filter(cohort_year=year).count() <= 20


def test_several_first_cohort_communities_graduated_into_cooperatives(seeded):
    graduates = Community.objects.filter(cohort_year=2014, status=CommunityStatus.GRADUATED)
    assert graduates.count() >= 5
    for community in graduates.select_related("graduated_organization"):
        assert community.graduated_organization.org_type in COOPERATIVE_TYPES
        assert community.graduated_on is not None
    statuses = set(Community.objects.values_list("status", flat=True))
    assert statuses == set(CommunityStatus.values)


def test_graduates_link_to_existing_cooperatives_first(ctx):
    dongs = list(Dong.objects.order_by("district", "display_order", "name"))
    first_graduate = next(
        p
        for p in demo.planning.plan_communities(ctx, dongs)
        if p.community.status == CommunityStatus.GRADUATED
    )
    existing = Organization.objects.create(
        name="가나다 사회적경제 협동조합",
        org_type=OrganizationType.COOPERATIVE,
        dong=dongs[first_graduate.dong_index],
    )
    demo.seed(ctx)
    community = Community.objects.get(cohort_year=first_graduate.key[0], name=first_graduate.key[1])
    assert community.graduated_organization == existing


def test_stage_history_follows_the_cohort(seeded):
    for community in Community.objects.prefetch_related("stage_records"):
        records = list(community.stage_records.all())
        years = [record.year for record in records]
        assert years[0] == community.cohort_year
        assert years == list(range(years[0], years[0] + len(years)))
        assert records[0].stage == Stage.DIDIM
        for previous, record in itertools.pairwise(records):
            expected = (
                previous.stage
                if previous.decision == "keep"
                else STAGE_ORDER[STAGE_ORDER.index(previous.stage) + 1]
            )
            assert previous.decision in {"promote", "keep"}
            assert record.stage == expected
        assert community.current_stage == records[-1].stage
        if community.status == CommunityStatus.GRADUATED:
            assert records[-1].decision == "graduate"
            assert records[-1].decided_on == community.graduated_on


def test_support_records_of_every_kind_with_realistic_grants(seeded):
    kinds = set(SupportRecord.objects.values_list("kind", flat=True))
    assert kinds == set(SupportRecord.Kind.values)
    grants = SupportRecord.objects.filter(kind=SupportRecord.Kind.GRANT)
    amounts = grants.values_list("amount", flat=True)
    assert min(amounts) >= 3_000_000
    assert max(amounts) <= 10_000_000
    assert set(SupportProgram.objects.values_list("kind", flat=True)) == set(SupportProgram.Kind.values)
    assert grants.aggregate(first=Min("supported_on"))["first"].year == 2014
    assert not SupportRecord.objects.filter(supported_on__gt=TODAY).exists()


def test_program_budgets_cover_their_grants(seeded):
    for program in SupportProgram.objects.all():
        granted = sum(program.records.filter(kind=SupportRecord.Kind.GRANT).values_list("amount", flat=True))
        assert granted <= program.budget, program


def test_every_demo_row_passes_model_validation(seeded):
    for model in [Community, CommunityMember, CommunityStageRecord, SupportProgram, SupportRecord]:
        for obj in model.objects.all():
            obj.full_clean()


def test_every_community_has_one_current_leader_matching_the_community(seeded):
    leaders = CommunityMember.objects.filter(role=CommunityMember.Role.LEADER).select_related("community")
    assert leaders.count() == Community.objects.count()
    for leader in leaders:
        assert leader.name == leader.community.leader_name
        assert leader.community.members.count() >= 4
