"""Demo data: the 66 communities of the 2014 cohort, later cohorts, their stages, members and support.

Every random value is drawn while planning, before the database is read, so the plan is the same on
every run; rows are keyed on natural keys and only the missing ones are created.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db.models import Case, Value, When

from jeonju_center.common.korean import with_particle
from jeonju_center.common.models import Dong
from social_economy.models import COOPERATIVE_TYPES, Organization, OrganizationType, Sector

from .models import (
    FIRST_COHORT_YEAR,
    ActivityField,
    Community,
    CommunityGraduation,
    CommunityKind,
    CommunityMember,
    CommunityStageRecord,
    CommunityStatus,
    Stage,
    SupportProgram,
    SupportRecord,
)

FIRST_COHORT_SIZE = 66
LAST_DEMO_COHORT = 2025
STAGES = [Stage.DIDIM, Stage.IEUM, Stage.HOPE]
Decision = CommunityStageRecord.Decision
Kind = SupportRecord.Kind
Settlement = SupportRecord.Settlement

PLACES = [
    "한옥마을", "서학동 예술마을", "남부시장", "자만마을", "선너머", "객리단길", "전주천", "기린봉", "건지산",
    "모래내", "팔복", "덕진공원", "오목대", "아중호수", "삼천", "효자", "혁신도시", "중앙시장",
    "노송 천사마을", "풍남문", "동문거리", "진북", "인후", "평화", "서신", "송천", "우아", "호성",
    "금암", "조촌",
]  # fmt: skip

THEMES = {
    ActivityField.FOOD: [
        "마을부엌",
        "두부공방",
        "장 담그기",
        "비빔밥 연구회",
        "막걸리 학교",
        "청년 밥상",
        "전통떡 공방",
    ],
    ActivityField.CRAFT: [
        "한지공예",
        "합죽선 공방",
        "천연염색",
        "목공방",
        "도자기 공방",
        "규방공예",
        "업사이클 공방",
    ],
    ActivityField.CARE: ["아이돌봄 품앗이", "어르신 말벗", "공동육아", "마을 건강지킴이"],
    ActivityField.CULTURE: ["마을극단", "풍물패", "골목 사진관", "마을 합창단", "그림책 모임", "영상 창작소"],
    ActivityField.ENVIRONMENT: ["햇빛발전", "자전거 공방", "녹색가게", "플라스틱 줄이기", "하천 지킴이"],
    ActivityField.EDUCATION: ["마을학교", "방과후 배움터", "골목 역사해설", "인문학 사랑방"],
    ActivityField.VILLAGE_MANAGEMENT: ["골목 가꾸기", "마을 관리소", "집수리 두레", "안심 골목"],
    ActivityField.URBAN_FARMING: ["텃밭 두레", "옥상 정원", "도시양봉"],
    ActivityField.TOURISM: ["한옥 체험", "골목 투어", "마을 여행사"],
    ActivityField.OTHER: ["나눔 장터", "마을 카페"],
}

SUFFIXES = ["공동체", "두레", "사람들", "모임", "협동체", "연구회"]
# What a community says about itself: one sentence of what it does, one of what it wants next.
ACTIVITY_SENTENCES = {
    ActivityField.FOOD: [
        "지역 농가에서 받은 재료로 반찬과 도시락을 만들어 홀로 사는 어르신 댁에 나눕니다.",
        "전주 콩나물과 제철 채소로 만든 먹거리를 매달 골목 장터에서 팝니다.",
        "마을 부엌을 함께 쓰며 청년과 어르신이 서로의 요리법을 배웁니다.",
    ],
    ActivityField.CRAFT: [
        "전주 한지와 전통 공예 기법으로 생활용품을 만들어 공방과 장터에서 선보입니다.",
        "주민들이 직접 만든 공예품을 한옥마을 관광객에게 소개하고 수익을 나눕니다.",
        "버려지는 천과 나무를 다시 살려 쓸모 있는 물건으로 만드는 수업을 엽니다.",
    ],
    ActivityField.CARE: [
        "이웃끼리 아이를 돌봐 주는 품앗이로 맞벌이 가정의 방과 후 시간을 채웁니다.",
        "혼자 사는 어르신을 주 2회 찾아뵙고 안부를 살피며 말벗이 되어 드립니다.",
    ],
    ActivityField.CULTURE: [
        "골목 곳곳에서 작은 공연과 전시를 열어 이웃이 함께 즐기는 자리를 만듭니다.",
        "마을 이야기를 기록해 사진과 영상으로 남기고 해마다 마을 잔치에서 상영합니다.",
    ],
    ActivityField.ENVIRONMENT: [
        "일회용품 줄이기 캠페인과 다시 쓰는 장터로 마을의 쓰레기를 줄여 갑니다.",
        "전주천 주변을 정기적으로 청소하고 하천 생태를 살피는 활동을 합니다.",
    ],
    ActivityField.EDUCATION: [
        "마을 어른들이 선생님이 되어 아이들에게 골목의 역사와 생활 기술을 가르칩니다.",
        "주민 누구나 참여하는 인문학 강좌와 독서 모임을 매달 엽니다.",
    ],
    ActivityField.VILLAGE_MANAGEMENT: [
        "낡은 담장과 골목길을 주민 손으로 고치고 꽃길을 가꿉니다.",
        "빈집과 자투리 땅을 쉼터로 바꾸고 마을 공동 공간을 함께 관리합니다.",
    ],
    ActivityField.URBAN_FARMING: [
        "옥상과 자투리 땅에 텃밭을 일구어 수확한 채소를 이웃과 나눕니다.",
        "도시 양봉과 텃밭 교육으로 아이들에게 먹거리가 자라는 과정을 보여 줍니다.",
    ],
    ActivityField.TOURISM: [
        "주민 해설사가 골목과 한옥의 이야기를 들려주는 마을 여행을 운영합니다.",
        "여행객이 마을에 머물며 전통 음식과 공예를 체험하는 프로그램을 꾸립니다.",
    ],
    ActivityField.OTHER: [
        "이웃이 안 쓰는 물건을 나누는 장터와 작은 카페를 함께 운영합니다.",
    ],
}
NEXT_STEPS = [
    "앞으로 협동조합으로 발전해 마을에 일자리를 만드는 것이 목표입니다.",
    "더 많은 이웃이 참여할 수 있도록 활동 공간을 넓혀 가고 있습니다.",
    "전주시와 센터의 지원으로 활동을 이어 가며 자립을 준비하고 있습니다.",
    "인근 학교, 복지관과 손잡고 활동 범위를 넓힐 계획입니다.",
]
SITE_VISIT_NOTES = [
    "활동 공간을 둘러보고 회계 장부와 증빙을 함께 점검함.",
    "대표와 회원들을 만나 운영의 어려움을 듣고 다음 단계 지원을 안내함.",
    "판매 중인 생산품의 포장과 가격을 살피고 개선 방향을 제안함.",
    "회원 모임에 참석해 역할 분담과 의사결정 방식을 함께 정리함.",
    "보조금 집행 계획을 확인하고 정산 서류 작성 요령을 안내함.",
]
KIND_PHRASES = {
    CommunityKind.VILLAGE: "마을공동체",
    CommunityKind.STARTUP: "소규모 창업 공동체",
    CommunityKind.APARTMENT: "아파트 공동체",
    CommunityKind.SCHOOL_COOPERATIVE: "학교협동조합",
    CommunityKind.OTHER: "공동체",
}
APARTMENT_BRANDS = ["휴먼시아", "부영", "e편한세상", "우미린", "호반베르디움", "주공", "한신휴플러스", "더샵"]
SCHOOL_LEVELS = ["초등학교", "중학교", "고등학교"]

SECTOR_BY_FIELD = {
    ActivityField.FOOD: Sector.FOOD_SERVICE,
    ActivityField.CRAFT: Sector.MANUFACTURING,
    ActivityField.CARE: Sector.CARE,
    ActivityField.CULTURE: Sector.CULTURE_TOURISM,
    ActivityField.TOURISM: Sector.CULTURE_TOURISM,
    ActivityField.ENVIRONMENT: Sector.ENVIRONMENT,
    ActivityField.EDUCATION: Sector.EDUCATION,
    ActivityField.URBAN_FARMING: Sector.AGRICULTURE,
}

MEMBER_RANGE = {
    CommunityKind.VILLAGE: (15, 40),
    CommunityKind.STARTUP: (5, 12),
    CommunityKind.APARTMENT: (10, 60),
    CommunityKind.SCHOOL_COOPERATIVE: (20, 80),
    CommunityKind.OTHER: (5, 20),
}

# (kind, name, first year)
PROGRAMS = [
    (SupportProgram.Kind.TAILORED, "온두레 공동체 맞춤형 지원", FIRST_COHORT_YEAR),
    (SupportProgram.Kind.ON_SITE, "온두레 현장 지원", FIRST_COHORT_YEAR),
    (SupportProgram.Kind.COOPERATIVE_EDUCATION, "온두레 협동조합 교육", FIRST_COHORT_YEAR),
    (SupportProgram.Kind.GRANT_ACCOUNTING_SCHOOL, "보조금 회계 사전학교", FIRST_COHORT_YEAR),
    (SupportProgram.Kind.APARTMENT_PILOT, "아파트 공동체 시범사업", 2016),
    (SupportProgram.Kind.SCHOOL_COOPERATIVE, "구도심 학교협동조합 지원", 2017),
]
PROGRAM_FROM_YEAR = {kind: from_year for kind, _name, from_year in PROGRAMS}
GRANT_PROGRAM_BY_KIND = {
    CommunityKind.APARTMENT: SupportProgram.Kind.APARTMENT_PILOT,
    CommunityKind.SCHOOL_COOPERATIVE: SupportProgram.Kind.SCHOOL_COOPERATIVE,
}


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


def _phone(rng):
    return f"010-{rng.randint(2000, 9999)}-{rng.randint(0, 9999):04d}"


def _date(rng, year, months=(1, 12)):
    return datetime.date(year, rng.randint(*months), rng.randint(1, 28))


def _cohort_kinds(rng, cohort, count):
    if cohort == FIRST_COHORT_YEAR:
        # The first cohort was mostly small start-up communities.
        return [CommunityKind.STARTUP] * 46 + [CommunityKind.VILLAGE] * 14 + [CommunityKind.APARTMENT] * 6
    kinds = [CommunityKind.STARTUP, CommunityKind.VILLAGE, CommunityKind.APARTMENT]
    weights = [45, 25, 15]
    if cohort >= 2017:
        kinds.append(CommunityKind.SCHOOL_COOPERATIVE)
        weights.append(10)
    kinds.append(CommunityKind.OTHER)
    weights.append(5)
    return rng.choices(kinds, weights=weights, k=count)


def _plan_name(rng, kind, dong_name, used):
    stem = dong_name.rstrip("동").rstrip("0123456789")
    while True:
        activity = rng.choice(list(THEMES))
        theme = rng.choice(THEMES[activity])
        complex_name = ""
        if kind == CommunityKind.APARTMENT:
            complex_name = f"{stem} {rng.choice(APARTMENT_BRANDS)} {rng.randint(1, 5)}단지"
            name = f"{complex_name} {theme} 공동체"
        elif kind == CommunityKind.SCHOOL_COOPERATIVE:
            activity = rng.choice([ActivityField.EDUCATION, ActivityField.FOOD])
            name = f"전주{stem}{rng.choice(SCHOOL_LEVELS)} 학교협동조합"
        else:
            name = f"{rng.choice(PLACES)} {theme} {rng.choice(SUFFIXES)}"
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
    return " ".join(
        [
            f"{with_particle(name, '은/는')} {dong_name} 주민들이 모여 {cohort}년에 시작한 {KIND_PHRASES[kind]}입니다.",
            rng.choice(ACTIVITY_SENTENCES[activity]),
            rng.choice(NEXT_STEPS),
        ]
    )


def _plan_community(rng, fake, cohort, kind, dongs, used, today, forced_graduate):
    dong_index = rng.randrange(len(dongs))
    name, activity, complex_name = _plan_name(rng, kind, dongs[dong_index].name, used)
    low, high = MEMBER_RANGE[kind]
    members_count = rng.randint(low, high) if rng.random() < 0.9 else None
    leader_name, leader_phone = fake.name(), _phone(rng)
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
            CommunityMember(name=fake.name(), phone=_phone(rng), role=role, joined_on=joined_on)
        )

    for offset in range(years):
        year = cohort + offset
        stage = STAGES[min(offset, 2)]
        last = offset == years - 1
        decision = last_decision if last else (Decision.PROMOTE if offset < 2 else Decision.KEEP)
        if decision == Decision.KEEP and stage != Stage.HOPE:
            decision = Decision.PROMOTE
        decided_on = datetime.date(year, 12, rng.randint(5, 20)) if decision else None
        reason = {
            Decision.PROMOTE: "연간 활동 계획을 달성하여 다음 단계로 진급",
            Decision.KEEP: "자립 활동을 이어가며 희망 단계 유지",
            Decision.END: "구성원 감소로 활동이 어려워 지원 종료",
            Decision.GRADUATE: "협동조합 설립 신고를 마치고 졸업",
            "": "",
        }[decision]
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
        notes="연간 활동 보조금 교부",
    )
    grant_program = GRANT_PROGRAM_BY_KIND.get(kind, SupportProgram.Kind.TAILORED)
    if year < PROGRAM_FROM_YEAR[grant_program]:
        grant_program = SupportProgram.Kind.TAILORED
    if offset == 0:
        education = (SupportProgram.Kind.GRANT_ACCOUNTING_SCHOOL, "보조금 집행·정산 사전 교육 이수")
    else:
        education = (SupportProgram.Kind.COOPERATIVE_EDUCATION, "협동조합 설립 실무 교육 이수")
    visit_on = _date(rng, year, (6, 9))
    # A generator of its own for the text, so the rest of the plan draws as before.
    visit_note = random.Random(f"ondure-visit:{kind}:{visit_on}").choice(SITE_VISIT_NOTES)
    visit = SupportRecord(kind=Kind.SITE_VISIT, supported_on=visit_on, notes=f"현장 방문: {visit_note}")
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
            notes=rng.choice(
                ["판로 개척 컨설팅", "세무·회계 컨설팅", "상품 디자인 컨설팅", "협동조합 전환 컨설팅"]
            ),
        )
        supports.append((consulting, None))
    # The current year's plan only holds what has already happened.
    return [(record, program) for record, program in supports if record.supported_on <= today]


def _plan(ctx, dongs):
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


def _program_plan(plans, today):
    """One program of each kind per year, with a budget that covers the grants planned in it."""
    grants = {}
    for plan in plans:
        for record, program_kind in plan.supports:
            if record.kind == Kind.GRANT:
                key = (program_kind, record.supported_on.year)
                grants[key] = grants.get(key, 0) + record.amount
    programs = []
    for kind, name, from_year in PROGRAMS:
        for year in range(from_year, today.year + 1):
            granted = grants.get((kind, year), 0)
            budget = (granted * 12 // 10 // 1_000_000 + 1) * 1_000_000 if granted else 30_000_000
            programs.append(
                SupportProgram(
                    name=f"{year}년 {name}",
                    year=year,
                    kind=kind,
                    budget=budget,
                    description=f"{year}년 온두레 공동체를 위한 {kind.label} 사업입니다.",
                )
            )
    return programs


def _graduate_organization(community, dong, taken):
    """An unlinked cooperative of the community's dong (same sector first), or a new one named after it."""
    sector = SECTOR_BY_FIELD.get(community.activity_field, Sector.OTHER)
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
    base = community.name.rsplit(" ", 1)[0]
    quoted_name = f"'{community.name}'"
    return Organization.objects.create(
        name=f"{base} 협동조합",
        org_type=OrganizationType.COOPERATIVE,
        sector=sector,
        dong=dong,
        founded_on=community.graduated_on,
        members_count=community.members_count if (community.members_count or 0) >= 5 else None,
        description=(
            f"온두레 공동체 {with_particle(quoted_name, '이/가')} {community.graduated_on:%Y}년 협동조합으로 전환했습니다."
        ),
    )


def seed(ctx):
    dongs = list(Dong.objects.order_by("district", "display_order", "name"))
    plans = _plan(ctx, dongs)
    programs = _program_plan(plans, ctx.today)

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
            reason="협동조합 설립 신고를 마치고 졸업",
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
        _demo_leader(ctx),
    ]


DEMO_EXPENSES = [
    # (days after the grant, vendor, purpose, category, share of the grant in percent)
    (10, "전주 한지 공방", "공예 체험 재료 구입", "materials", 30),
    (24, "풍남문 인쇄소", "마을 소식지 인쇄", "promotion", 12),
    (40, "마을 사랑방", "주민 모임 다과", "meals", 8),
    (55, "공예 강사 김솜씨", "공예 교실 강사비(4회)", "instructors", 40),
]


def _demo_leader(ctx):
    """The demo community leader (``leader@example.com``): the account of a current leader of an active
    community with an unsettled grant, whose settlement is filled in and submitted through the services."""
    from django.contrib.auth import get_user_model

    from jeonju_center.demo.base import DEMO_LEADER_USERNAME

    from . import services, settlements

    leader = get_user_model().objects.filter(username=DEMO_LEADER_USERNAME).first()
    if leader is None or CommunityMember.objects.filter(user=leader).exists():
        return "demo community leader: 0 created (kept or no account)"
    # This year's grant still to settle; early in the year, before this year's grants, a grant given a month
    # ago (through the support service) so that the leader has something to settle on any day.
    led = Community.objects.filter(
        status=CommunityStatus.ACTIVE,
        members__role=CommunityMember.Role.LEADER,
        members__left_on__isnull=True,
    )
    grant = (
        SupportRecord.objects.filter(
            kind=SupportRecord.Kind.GRANT,
            community__in=led,
            settlement_status__in=[SupportRecord.Settlement.UNSETTLED, SupportRecord.Settlement.IN_PROGRESS],
            supported_on__lte=ctx.today - datetime.timedelta(days=7),
        )
        .select_related("community")
        .order_by(
            Case(When(settlement_status=SupportRecord.Settlement.UNSETTLED, then=0), default=1),
            "-supported_on",
            "pk",
        )
        .first()
    )
    if grant is None:
        grant = services.support_record_create(
            community=led.order_by("name", "pk").first(),
            kind=SupportRecord.Kind.GRANT,
            supported_on=ctx.today - datetime.timedelta(days=30),
            amount=5_000_000,
            settlement_status=SupportRecord.Settlement.UNSETTLED,
            notes="연간 활동 보조금 교부",
            actor=ctx.job,
        )
    leader_member = CommunityMember.objects.get(
        community=grant.community, role=CommunityMember.Role.LEADER, left_on__isnull=True
    )
    leader_member.user = leader
    leader_member.save(update_fields=["user", "updated_at"])
    settlement = settlements.settlement_start(support_record=grant, actor=leader)
    for days, vendor, purpose, category, percent in DEMO_EXPENSES:
        settlements.expense_add(
            settlement_id=settlement.pk,
            actor=leader,
            spent_on=min(grant.supported_on + datetime.timedelta(days=days), ctx.today),
            vendor=vendor,
            purpose=purpose,
            category=category,
            amount=grant.amount * percent // 100,
        )
    settlements.settlement_submit(settlement_id=settlement.pk, actor=leader)
    return f"demo community leader: linked to {grant.community.name}, a submitted settlement"
