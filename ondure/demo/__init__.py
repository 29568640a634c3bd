"""Demo data: the 66 communities of the 2014 cohort, later cohorts, their stages, members and support (the
rows and texts are in ``data.toml`` beside this file; ``planning.py`` draws them, this module saves them).

Every random value is drawn while planning, before the database is read, so the plan is the same on
every run; rows are keyed on natural keys and only the missing ones are created.
"""

from django.db.models import Case, Value, When

from jeonju_center.common.korean import with_particle
from jeonju_center.common.models import Dong
from jeonju_center.demo.steps import demo_step
from social_economy.models import COOPERATIVE_TYPES, Organization, OrganizationType, Sector

from ..models import (
    Community,
    CommunityGraduation,
    CommunityMember,
    CommunityStageRecord,
    CommunityStatus,
    SupportProgram,
    SupportRecord,
)
from . import (
    courses,  # noqa: F401  (registers the step that marks the cooperative courses)
    leader,
    planning,
)
from .planning import DATA, FIRST_COHORT_SIZE

GRADUATION = DATA["graduation"]


def _graduate_organization(community, dong, taken):
    """An unlinked cooperative of the community's dong (same sector first), or a new one named after it."""
    sector = GRADUATION["sector_by_field"].get(community.activity_field, Sector.OTHER)
    existing = (
        Organization.objects.filter(
            org_type__in=COOPERATIVE_TYPES, dong=dong, ondure_communities__isnull=True
        )
        .exclude(pk__in=taken)
        .annotate(same_sector=Case(When(sector=sector, then=Value(0)), default=Value(1)))
        .order_by("same_sector", "name", "pk")
        .first()
    )
    if existing:
        return existing
    quoted_name = f"'{community.name}'"
    return Organization.objects.create(
        name=GRADUATION["organization_name"].format(base=community.name.rsplit(" ", 1)[0]),
        org_type=OrganizationType.COOPERATIVE,
        sector=sector,
        dong=dong,
        founded_on=community.graduated_on,
        members_count=community.members_count if (community.members_count or 0) >= 5 else None,
        description=GRADUATION["organization_description"].format(
            community=with_particle(quoted_name, "이/가"), year=community.graduated_on.year
        ),
    )


@demo_step("ondure", after=["social_economy"])
def seed(ctx):
    dongs = list(Dong.objects.order_by("district", "display_order", "name"))
    plans = planning.plan_communities(ctx, dongs)
    programs = planning.plan_programs(plans, ctx.today)

    # Programs.
    existing_programs = set(SupportProgram.objects.values_list("name", "year"))
    new_programs = [p for p in programs if (p.name, p.year) not in existing_programs]
    SupportProgram.objects.bulk_create(new_programs)
    program_by_kind_year = {(p.kind, p.year): p for p in SupportProgram.objects.all()}

    # Communities (graduates get their organization first).
    existing_communities = set(Community.objects.values_list("cohort_year", "name"))
    new_plans = [plan for plan in plans if plan.key not in existing_communities]
    taken = []
    for plan in new_plans:
        community = plan.community
        community.dong = dongs[plan.dong_index]
        if community.status == CommunityStatus.GRADUATED:
            organization = _graduate_organization(community, community.dong, taken)
            taken.append(organization.pk)
            community.graduated_organization = organization
    Community.objects.bulk_create([plan.community for plan in new_plans])
    community_by_key = {(c.cohort_year, c.name): c for c in Community.objects.all()}

    # Members, stage history and support records, each keyed on its natural key.
    existing_members = set(
        CommunityMember.objects.values_list("community__cohort_year", "community__name", "name", "role")
    )
    existing_stages = set(
        CommunityStageRecord.objects.values_list("community__cohort_year", "community__name", "year")
    )
    existing_supports = set(
        SupportRecord.objects.values_list("community__cohort_year", "community__name", "kind", "supported_on")
    )
    new_members, new_stages, new_supports = [], [], []
    for plan in plans:
        community = community_by_key[plan.key]
        for member in plan.members:
            if (*plan.key, member.name, member.role) not in existing_members:
                member.community = community
                new_members.append(member)
        for stage in plan.stages:
            if (*plan.key, stage.year) not in existing_stages:
                stage.community = community
                new_stages.append(stage)
        for record, program_kind in plan.supports:
            if (*plan.key, record.kind, record.supported_on) not in existing_supports:
                record.community = community
                record.program = program_by_kind_year.get((program_kind, record.supported_on.year))
                new_supports.append(record)
    CommunityMember.objects.bulk_create(new_members, batch_size=500)
    CommunityStageRecord.objects.bulk_create(new_stages, batch_size=500)
    SupportRecord.objects.bulk_create(new_supports, batch_size=500)

    # The graduation record of every graduate (what the graduation service writes).
    new_graduations = [
        CommunityGraduation(
            community=community,
            organization=community.graduated_organization,
            organization_name=community.graduated_organization.name,
            organization_type=community.graduated_organization.org_type,
            created_organization=False,
            graduated_on=community.graduated_on,
            reason=GRADUATION["reason"],
        )
        for community in Community.objects.filter(
            status=CommunityStatus.GRADUATED, graduated_organization__isnull=False, graduation__isnull=True
        ).select_related("graduated_organization")
    ]
    CommunityGraduation.objects.bulk_create(new_graduations)

    graduated = sum(1 for plan in plans if plan.community.status == CommunityStatus.GRADUATED)
    return [
        f"ondure support programs: {len(new_programs)} created, {SupportProgram.objects.count()} total",
        f"ondure communities: {len(new_plans)} created, {Community.objects.count()} total "
        f"({FIRST_COHORT_SIZE} in the 2014 cohort, {graduated} graduated)",
        f"ondure members: {len(new_members)} created, {CommunityMember.objects.count()} total",
        f"ondure stage records: {len(new_stages)} created, {CommunityStageRecord.objects.count()} total",
        f"ondure support records: {len(new_supports)} created, {SupportRecord.objects.count()} total",
        f"ondure graduations: {len(new_graduations)} created, {CommunityGraduation.objects.count()} total",
        leader.seed_leader(ctx),
    ]
