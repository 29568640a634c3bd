"""The plan of the demo's Ondure communities: every cohort from 2014 with its communities (names,
activities, members), each community's years in the program and its support records, and the programs
that pay for them. Every random value is drawn here, before the database is read, so the plan is the same
on every run."""

import datetime
import random
from dataclasses import dataclass, field

from jeonju_center.common.korean import with_particle
from jeonju_center.demo.data import load_demo_data
from jeonju_center.demo.draws import mobile_number

from ..models import (
    FIRST_COHORT_YEAR,
    Community,
    CommunityKind,
    CommunityMember,
    CommunityStageRecord,
    CommunityStatus,
    Stage,
    SupportProgram,
    SupportRecord,
)

DATA = load_demo_data(__package__)
NAMES, THEMES, SUPPORTS = DATA["names"], DATA["themes"], DATA["supports"]
FIRST_COHORT_SIZE = sum(DATA["first_cohort"].values())
LAST_DEMO_COHORT = 2025
STAGES = [Stage.DIDIM, Stage.IEUM, Stage.HOPE]
Decision = CommunityStageRecord.Decision
Kind = SupportRecord.Kind
Settlement = SupportRecord.Settlement
PROGRAM_FROM_YEAR = {row["kind"]: row["first_year"] for row in DATA["programs"]}


@dataclass
class PlannedCommunity:
    community: Community
    dong_index: int
    members: list = field(default_factory=list)  # CommunityMember without community
    stages: list = field(default_factory=list)  # CommunityStageRecord without community
    supports: list = field(default_factory=list)  # (SupportRecord without community/program, program kind)

    @property
    def key(self):
        return (self.community.cohort_year, self.community.name)


def _date(rng, year, months=(1, 12)):
    return datetime.date(year, rng.randint(*months), rng.randint(1, 28))


def _cohort_kinds(rng, cohort, count):
    if cohort == FIRST_COHORT_YEAR:
        return [kind for kind, size in DATA["first_cohort"].items() for _ in range(size)]
    weights = {
        kind: weight
        for kind, weight in DATA["later_cohort_kind_weights"].items()
        if kind != CommunityKind.SCHOOL_COOPERATIVE or cohort >= DATA["later_cohorts"]["school_coops_from"]
    }
    return rng.choices(list(weights), weights=list(weights.values()), k=count)


def _plan_name(rng, kind, dong_name, used):
    stem = dong_name.rstrip("동").rstrip("0123456789")
    while True:
        activity = rng.choice(list(THEMES))
        theme = rng.choice(THEMES[activity])
        complex_name = ""
        if kind == CommunityKind.APARTMENT:
            complex_name = NAMES["apartment_complex"].format(
                stem=stem, brand=rng.choice(NAMES["apartment_brands"]), block=rng.randint(1, 5)
            )
            name = NAMES["apartment_community"].format(complex=complex_name, theme=theme)
        elif kind == CommunityKind.SCHOOL_COOPERATIVE:
            activity = rng.choice(NAMES["school_fields"])
            name = NAMES["school_cooperative"].format(stem=stem, level=rng.choice(NAMES["school_levels"]))
        else:
            name = NAMES["community"].format(
                place=rng.choice(NAMES["places"]), theme=theme, suffix=rng.choice(NAMES["suffixes"])
            )
        if name not in used:
            used.add(name)
            return name, activity, complex_name


def _plan_fate(rng, cohort, today, forced_graduate):
    """Return (status, years in the program, last decision) for a community of ``cohort``."""
    finished = cohort + 2 < today.year  # the three stage years are over
    if forced_graduate:
        return CommunityStatus.GRADUATED, 3 + (rng.random() < 0.3), Decision.GRADUATE
    roll = rng.random()
    if not finished:
        years = today.year - cohort + 1
        if roll < 0.08 and years > 1:
            return CommunityStatus.DISSOLVED, rng.randint(1, years - 1), Decision.END
        return CommunityStatus.ACTIVE, years, ""
    if roll < 0.06:
        return CommunityStatus.GRADUATED, 3, Decision.GRADUATE
    if roll < 0.26:
        return CommunityStatus.DISSOLVED, rng.randint(1, 3), Decision.END
    if roll < 0.45:
        return CommunityStatus.DORMANT, rng.randint(2, 3), Decision.END
    # Kept in 희망 after its three stage years: reviewed (and kept) every year since, and this year's review is
    # still open — the review year follows the calendar, not the cohort.
    return CommunityStatus.ACTIVE, today.year - cohort + 1, ""


def _description(name, kind, activity, *, dong_name, cohort):
    # A generator of its own: the text does not shift the draws of the rest of the plan.
    rng = random.Random(f"ondure-description:{cohort}:{name}")
    text = DATA["description"]
    opening = text["opening"].format(
        name=with_particle(name, "은/는"), dong=dong_name, cohort=cohort, kind=DATA["kind_phrases"][kind]
    )
    return " ".join(
        [opening, rng.choice(DATA["activity_sentences"][activity]), rng.choice(text["next_steps"])]
    )


def _plan_community(rng, fake, cohort, kind, dongs, used, today, forced_graduate):
    dong_index = rng.randrange(len(dongs))
    name, activity, complex_name = _plan_name(rng, kind, dongs[dong_index].name, used)
    low, high = DATA["member_range"][kind]
    members_count = rng.randint(low, high) if rng.random() < 0.9 else None
    leader_name, leader_phone = fake.name(), mobile_number(rng)
    selected_on = _date(rng, cohort, (3, 5))
    status, years, last_decision = _plan_fate(rng, cohort, today, forced_graduate)
    community = Community(
        name=name,
        kind=kind,
        cohort_year=cohort,
        selected_on=selected_on,
        apartment_complex=complex_name,
        activity_field=activity,
        description=_description(name, kind, activity, dong_name=dongs[dong_index].name, cohort=cohort),
        members_count=members_count,
        status=status,
        leader_name=leader_name,
        leader_phone=leader_phone,
    )
    plan = PlannedCommunity(community=community, dong_index=dong_index)

    plan.members.append(
        CommunityMember(
            name=leader_name, phone=leader_phone, role=CommunityMember.Role.LEADER, joined_on=selected_on
        )
    )
    for number in range(rng.randint(3, 6)):
        role = CommunityMember.Role.SECRETARY if number == 0 else CommunityMember.Role.MEMBER
        joined_on = selected_on + datetime.timedelta(days=rng.randint(0, 400))
        plan.members.append(
            CommunityMember(name=fake.name(), phone=mobile_number(rng), role=role, joined_on=joined_on)
        )

    for offset in range(years):
        year = cohort + offset
        stage = STAGES[min(offset, 2)]
        last = offset == years - 1
        decision = last_decision if last else (Decision.PROMOTE if offset < 2 else Decision.KEEP)
        if decision == Decision.KEEP and stage != Stage.HOPE:
            decision = Decision.PROMOTE
        decided_on = datetime.date(year, 12, rng.randint(5, 20)) if decision else None
        reason = DATA["stage_reasons"].get(decision, "")
        plan.stages.append(
            CommunityStageRecord(
                year=year, stage=stage, decision=decision, decided_on=decided_on, reason=reason
            )
        )
        plan.supports.extend(_plan_supports(rng, fake, kind, year, offset, today))

    community.current_stage = plan.stages[-1].stage
    last_record = plan.stages[-1]
    if status == CommunityStatus.GRADUATED:
        community.graduated_on = last_record.decided_on
    elif status == CommunityStatus.DISSOLVED:
        community.dissolved_on = last_record.decided_on
    return plan


def _plan_supports(rng, fake, kind, year, offset, today):
    settled = year < today.year
    amount = rng.randint(6, 20) * 500_000  # 3–10 million KRW
    if settled:
        settlement = rng.choices([Settlement.SETTLED, Settlement.RETURNED], weights=[9, 1])[0]
    else:
        settlement = rng.choice([Settlement.UNSETTLED, Settlement.IN_PROGRESS])
    returned = rng.randint(1, 10) * 100_000 if settlement == Settlement.RETURNED else 0
    grant = SupportRecord(
        kind=Kind.GRANT,
        supported_on=_date(rng, year, (3, 5)),
        amount=amount,
        settlement_status=settlement,
        settled_on=datetime.date(year, 12, rng.randint(20, 30)) if settled else None,
        returned_amount=returned,
        notes=SUPPORTS["grant_notes"],
    )
    grant_program = DATA["grant_program_by_kind"].get(kind, SupportProgram.Kind.TAILORED)
    if year < PROGRAM_FROM_YEAR[grant_program]:
        grant_program = SupportProgram.Kind.TAILORED
    if offset == 0:
        education = (SupportProgram.Kind.GRANT_ACCOUNTING_SCHOOL, SUPPORTS["first_year_education"])
    else:
        education = (SupportProgram.Kind.COOPERATIVE_EDUCATION, SUPPORTS["later_education"])
    visit_on = _date(rng, year, (6, 9))
    # A generator of its own for the text, so the rest of the plan draws as before.
    visit_note = random.Random(f"ondure-visit:{kind}:{visit_on}").choice(SUPPORTS["site_visit_notes"])
    visit = SupportRecord(
        kind=Kind.SITE_VISIT, supported_on=visit_on, notes=SUPPORTS["site_visit"].format(note=visit_note)
    )
    supports = [
        (grant, grant_program),
        (
            SupportRecord(kind=Kind.EDUCATION, supported_on=_date(rng, year, (2, 3)), notes=education[1]),
            education[0],
        ),
        (visit, SupportProgram.Kind.ON_SITE),
    ]
    if rng.random() < 0.5:
        consulting = SupportRecord(
            kind=Kind.CONSULTING,
            supported_on=_date(rng, year, (10, 11)),
            notes=rng.choice(SUPPORTS["consulting_notes"]),
        )
        supports.append((consulting, None))
    # The current year's plan only holds what has already happened.
    return [(record, program) for record, program in supports if record.supported_on <= today]


def plan_communities(ctx, dongs):
    rng = ctx.rng("ondure")
    fake = ctx.faker_for("ondure")
    plans = []
    last_cohort = min(LAST_DEMO_COHORT, ctx.today.year)
    for cohort in range(FIRST_COHORT_YEAR, last_cohort + 1):
        count = FIRST_COHORT_SIZE if cohort == FIRST_COHORT_YEAR else rng.randint(10, 20) * ctx.scale
        used = set()
        for index, kind in enumerate(_cohort_kinds(rng, cohort, count)):
            # Several start-up communities of the first cohort became cooperatives.
            forced_graduate = cohort == FIRST_COHORT_YEAR and kind == CommunityKind.STARTUP and index % 6 == 0
            plans.append(_plan_community(rng, fake, cohort, kind, dongs, used, ctx.today, forced_graduate))
    return plans


def plan_programs(plans, today):
    """One program of each kind per year, with a budget that covers the grants planned in it."""
    grants = {}
    for plan in plans:
        for record, program_kind in plan.supports:
            if record.kind == Kind.GRANT:
                key = (program_kind, record.supported_on.year)
                grants[key] = grants.get(key, 0) + record.amount
    programs, text = [], DATA["program_text"]
    for row in DATA["programs"]:
        kind = SupportProgram.Kind(row["kind"])
        for year in range(row["first_year"], today.year + 1):
            granted = grants.get((kind, year), 0)
            budget = (granted * 12 // 10 // 1_000_000 + 1) * 1_000_000 if granted else 30_000_000
            programs.append(
                SupportProgram(
                    name=text["name"].format(year=year, name=row["name"]),
                    year=year,
                    kind=kind,
                    budget=budget,
                    description=text["description"].format(year=year, kind=kind.label),
                )
            )
    return programs
