"""Demo data of urban regeneration: four activation areas with their councils and the vacant-house programs.

Every value is drawn from the app's own seeded generators in a fixed order, whatever already exists,
and rows are keyed on natural keys, so a second run creates nothing and changes nothing.
House life cycles use fixed calendar dates (surveys of 2019 and 2024) so re-running on another day
does not shift them; only the council meetings are placed around ``ctx.today``.
"""

import datetime
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from jeonju_center.common.korean import with_particle
from jeonju_center.common.models import Dong

from .models import (
    ActivationArea,
    AreaType,
    BuildingType,
    ConsentScope,
    CouncilMeeting,
    CouncilMember,
    CouncilPosition,
    CouncilSupport,
    GradeReason,
    GradeScheme,
    HouseholdType,
    HouseStatus,
    HouseStatusChange,
    HousingProgram,
    MeetingAttachment,
    MeetingAttendance,
    OwnerConsent,
    ProgramKind,
    Renovation,
    ResidentCouncil,
    Room,
    Structure,
    SupportKind,
    Tenancy,
    VacancyCause,
    VacantHouse,
    VacantHouseGrade,
)

HOUSES_PER_SCALE = 60
MEETINGS_PER_COUNCIL = 6
STAFF_USERNAME = "staff"

AREAS = [
    {
        "name": "전주 구도심 도시재생활성화지역",
        "area_type": AreaType.CENTRAL_URBAN,
        "designated_on": datetime.date(2017, 3, 2),
        "dongs": ["중앙동", "풍남동", "노송동", "완산동"],
        "size_m2": Decimal("1480000.00"),
        "project_budget": 25_000_000_000,
        "description": "전라감영과 풍패지관, 한옥마을로 이어지는 전주 구도심의 상권과 문화유산을 잇는 중심시가지형 사업",
        "council": "전주 구도심 주민협의체",
        "founded_on": datetime.date(2017, 6, 15),
    },
    {
        "name": "서학동 예술마을 도시재생활성화지역",
        "area_type": AreaType.GENERAL_NEIGHBORHOOD,
        "designated_on": datetime.date(2018, 8, 31),
        "dongs": ["동서학동", "서서학동"],
        "size_m2": Decimal("187000.00"),
        "project_budget": 10_000_000_000,
        "description": "예술인과 주민이 함께 사는 서학동 예술마을의 골목과 빈집을 되살리는 일반근린형 사업",
        "council": "서학동 주민협의체",
        "founded_on": datetime.date(2018, 11, 1),
    },
    {
        "name": "팔복동 산업단지 도시재생활성화지역",
        "area_type": AreaType.ECONOMIC_BASE,
        "designated_on": datetime.date(2019, 12, 20),
        "dongs": ["팔복동"],
        "size_m2": Decimal("2340000.00"),
        "project_budget": 50_000_000_000,
        "description": "전주 제1산업단지와 팔복예술공장을 중심으로 노후 산단을 혁신 거점으로 바꾸는 경제기반형 사업",
        "council": "팔복동 주민협의체",
        "founded_on": datetime.date(2020, 4, 10),
    },
    {
        "name": "용머리 여의주마을 도시재생활성화지역",
        "area_type": AreaType.RESIDENTIAL_SUPPORT,
        "designated_on": datetime.date(2020, 12, 18),
        "dongs": ["완산동", "서서학동"],
        "size_m2": Decimal("132000.00"),
        "project_budget": 8_300_000_000,
        "description": "용머리고개 아래 노후 주거지의 골목, 빈집, 공동이용시설을 정비하는 주거지지원형 사업",
        "council": "용머리 여의주마을 주민협의체",
        "founded_on": datetime.date(2021, 3, 5),
    },
]

PROGRAMS = [
    {
        "name": "해피빌리지 시범사업",
        "kind": ProgramKind.HAPPY_VILLAGE,
        "year": 2024,
        "budget": 600_000_000,
        "operating_partner": "전주시 주거복지센터",
        "description": "구도심 빈집을 고쳐 마을 주민과 귀촌인에게 저렴하게 빌려주는 시범사업",
    },
    {
        "name": "청년쉐어하우스",
        "kind": ProgramKind.YOUTH_SHARE_HOUSE,
        "year": 2025,
        "budget": 450_000_000,
        "operating_partner": "전주 청년주거협동조합",
        "description": "빈집을 방 단위로 나누어 만 19~39세 청년에게 임대하는 공유주택",
        "tenant_min_age": 19,
        "tenant_max_age": 39,
    },
    {
        "name": "탈시설 장애인 사회주택",
        "kind": ProgramKind.DISABLED_SOCIAL_HOUSING,
        "year": 2025,
        "budget": 380_000_000,
        "operating_partner": "전주 장애인자립생활센터",
        "description": "시설에서 나와 지역사회에서 자립하려는 장애인을 위한 무장애 사회주택",
    },
    {
        "name": "반값 임대 주거복지",
        "kind": ProgramKind.HALF_RENT_WELFARE,
        "year": 2025,
        "budget": 720_000_000,
        "operating_partner": "전주 사회주택 민관협력단",
        "description": "민관협력으로 빈집을 고쳐 시세의 절반 이하 임대료로 주거취약계층에게 공급",
    },
    {
        "name": "유휴공간 커뮤니티",
        "kind": ProgramKind.COMMUNITY_SPACE,
        "year": 2025,
        "budget": 250_000_000,
        "operating_partner": "서학동 마을관리사회적협동조합",
        "description": "빈집과 유휴공간을 마을 사랑방, 공유부엌, 작은도서관으로 바꾸는 사업",
    },
]

# Old-town dongs, the lot-number neighbourhoods (법정동) inside them, and a centre for coordinates.
HOUSE_DONGS = [
    ("중앙동", "완산구", ["중앙동3가", "중앙동4가", "경원동2가"], (35.8185, 127.1455)),
    ("풍남동", "완산구", ["풍남동3가", "교동", "전동"], (35.8150, 127.1525)),
    ("노송동", "완산구", ["노송동", "중노송동", "인후동1가"], (35.8245, 127.1525)),
    ("완산동", "완산구", ["완산동", "고사동", "서완산동1가"], (35.8110, 127.1405)),
    ("동서학동", "완산구", ["동서학동", "교동"], (35.8055, 127.1560)),
    ("서서학동", "완산구", ["서서학동"], (35.8040, 127.1450)),
    ("진북동", "덕진구", ["진북동", "태평동"], (35.8290, 127.1410)),
]

STATUS_WEIGHTS = {
    HouseStatus.SURVEYED: 25,
    HouseStatus.OWNER_CONTACTED: 14,
    HouseStatus.CONSENT_OBTAINED: 12,
    HouseStatus.RENOVATION: 10,
    HouseStatus.IN_USE: 21,
    HouseStatus.ENDED: 6,
    HouseStatus.RETURNED_TO_OWNER: 6,
    HouseStatus.DEMOLISHED: 6,
}

LIFE_CYCLE = {
    HouseStatus.SURVEYED: [HouseStatus.SURVEYED],
    HouseStatus.OWNER_CONTACTED: [HouseStatus.SURVEYED, HouseStatus.OWNER_CONTACTED],
    HouseStatus.CONSENT_OBTAINED: [
        HouseStatus.SURVEYED,
        HouseStatus.OWNER_CONTACTED,
        HouseStatus.CONSENT_OBTAINED,
    ],
    HouseStatus.RENOVATION: [
        HouseStatus.SURVEYED,
        HouseStatus.OWNER_CONTACTED,
        HouseStatus.CONSENT_OBTAINED,
        HouseStatus.RENOVATION,
    ],
    HouseStatus.IN_USE: [
        HouseStatus.SURVEYED,
        HouseStatus.OWNER_CONTACTED,
        HouseStatus.CONSENT_OBTAINED,
        HouseStatus.RENOVATION,
        HouseStatus.IN_USE,
    ],
    HouseStatus.ENDED: [
        HouseStatus.SURVEYED,
        HouseStatus.OWNER_CONTACTED,
        HouseStatus.CONSENT_OBTAINED,
        HouseStatus.RENOVATION,
        HouseStatus.IN_USE,
        HouseStatus.ENDED,
    ],
    HouseStatus.RETURNED_TO_OWNER: [
        HouseStatus.SURVEYED,
        HouseStatus.OWNER_CONTACTED,
        HouseStatus.CONSENT_OBTAINED,
        HouseStatus.RENOVATION,
        HouseStatus.IN_USE,
        HouseStatus.RETURNED_TO_OWNER,
    ],
    HouseStatus.DEMOLISHED: [
        HouseStatus.SURVEYED,
        HouseStatus.OWNER_CONTACTED,
        HouseStatus.CONSENT_OBTAINED,
        HouseStatus.DEMOLISHED,
    ],
}
PAST_CONTACT = {
    HouseStatus.CONSENT_OBTAINED,
    HouseStatus.RENOVATION,
    HouseStatus.IN_USE,
    HouseStatus.ENDED,
    HouseStatus.RETURNED_TO_OWNER,
    HouseStatus.DEMOLISHED,
}
FINISHED_USE = {HouseStatus.ENDED, HouseStatus.RETURNED_TO_OWNER}
HAS_PROGRAM = {HouseStatus.RENOVATION, HouseStatus.IN_USE, *FINISHED_USE}
LEASED_KINDS = {
    ProgramKind.HAPPY_VILLAGE,
    ProgramKind.YOUTH_SHARE_HOUSE,
    ProgramKind.DISABLED_SOCIAL_HOUSING,
    ProgramKind.HALF_RENT_WELFARE,
}
CONTRACTORS = [
    "전주한옥건설(주)",
    "(주)완산종합건설",
    "마을기업 고침소",
    "서학동 집수리협동조합",
    "(주)덕진하우징",
]
MEETING_PLACES = ["현장지원센터 2층 회의실", "주민센터 대회의실", "마을 사랑방", "도시재생 거점공간"]
AGENDAS = [
    "마을 환경정비 계획 논의",
    "빈집 활용 사업 대상지 의견 수렴",
    "주민 역량강화 교육 일정",
    "골목 축제 준비와 역할 분담",
    "공동이용시설 운영 규약 개정",
    "마을관리협동조합 설립 준비",
]


MINUTE_SENTENCES = [
    "위원장이 지난 회의의 결정 사항과 추진 경과를 보고함.",
    "총무가 주민 설문 결과를 공유하고 우선 과제를 함께 정리함.",
    "참석 위원들이 골목 주민들의 의견을 전하고 보완할 점을 나눔.",
    "도시재생지원센터 담당자가 관련 예산과 일정을 설명함.",
    "다음 회의 전까지 세부 계획안을 마련해 위원들에게 돌리기로 함.",
    "주민 참여를 넓히기 위해 마을 소식지와 안내문을 함께 만들기로 함.",
    "상인회와 노인회의 의견을 듣는 간담회를 따로 열기로 함.",
]


def _minutes(agenda, *, council_name, number):
    """Published minutes in the council's voice: the agenda, then three things said or decided."""
    # A generator of its own: the text does not shift the draws of the rest of the demo.
    rng = random.Random(f"regeneration-minutes:{council_name}:{number}")
    said = rng.sample(MINUTE_SENTENCES, 3)
    return " ".join([f"{with_particle(agenda, '을/를')} 주요 안건으로 다룸.", *said])


def _date_between(rng, start, end):
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def _phone(rng):
    return f"010-{rng.randint(2000, 9999)}-{rng.randint(0, 9999):04d}"


def _add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _birth_date_for_age(rng, on, low, high):
    """A birth date making the person between ``low`` and ``high`` (inclusive) years old on ``on``."""
    age = rng.randint(low, high)
    return _add_years(on, -age) - datetime.timedelta(days=rng.randint(0, 360))


SUMMARY_LABELS = {
    CouncilSupport: "council supports",
    MeetingAttachment: "minutes attachments",
    CouncilMember: "council members",
    CouncilMeeting: "council meetings",
    MeetingAttendance: "meeting attendances",
    VacantHouse: "vacant houses",
    VacantHouseGrade: "vacant-house grades",
    HouseStatusChange: "house status changes",
    OwnerConsent: "owner consents",
    Renovation: "renovations",
    Room: "rooms",
    Tenancy: "tenancies",
}


def seed(ctx):
    programs, programs_created = _seed_programs()
    areas_created, councils_created = _seed_areas_and_councils()
    summary = [
        _count_line("housing programs", programs_created, HousingProgram),
        _count_line("activation areas", areas_created, ActivationArea),
        _count_line("resident councils", councils_created, ResidentCouncil),
    ]
    created = {
        **_seed_council_life(ctx),
        **_seed_council_support_and_attachments(),
        **_seed_houses(ctx, programs),
    }
    summary += [_count_line(SUMMARY_LABELS[model], count, model) for model, count in created.items()]
    return summary


def _count_line(label, created, model):
    return f"{label}: {created} created, {model.objects.count()} total"


def _seed_programs():
    existing = {(p.name, p.year): p for p in HousingProgram.objects.all()}
    missing = []
    for spec in PROGRAMS:
        key = (spec["name"], spec["year"])
        if key not in existing:
            missing.append(
                HousingProgram(
                    starts_on=datetime.date(spec["year"], 1, 1),
                    ends_on=datetime.date(spec["year"] + 4, 12, 31),
                    **spec,
                )
            )
    HousingProgram.objects.bulk_create(missing)
    by_kind = {}
    for program in HousingProgram.objects.filter(name__in=[p["name"] for p in PROGRAMS]).order_by("year"):
        by_kind.setdefault(program.kind, program)
    return by_kind, len(missing)


def _seed_areas_and_councils():
    dongs = {dong.name: dong for dong in Dong.objects.all()}
    areas_created = councils_created = 0
    for spec in AREAS:
        area, created = ActivationArea.objects.get_or_create(
            name=spec["name"],
            defaults={
                "area_type": spec["area_type"],
                "designated_on": spec["designated_on"],
                "size_m2": spec["size_m2"],
                "project_budget": spec["project_budget"],
                "description": spec["description"],
            },
        )
        if created:
            area.dongs.add(*[dongs[name] for name in spec["dongs"] if name in dongs])
            areas_created += 1
        _council, created = ResidentCouncil.objects.get_or_create(
            area=area,
            defaults={
                "name": spec["council"],
                "founded_on": spec["founded_on"],
                "public_description": f"{spec['name'].replace(' 도시재생활성화지역', '')}의 주민이 "
                "사업 계획과 운영에 직접 참여하는 주민협의체입니다. 회의는 매월 열리며 회의록을 공개합니다.",
            },
        )
        councils_created += created
    return areas_created, councils_created


def _seed_council_life(ctx):
    rng = ctx.rng("regeneration:councils")
    fake = ctx.faker_for("regeneration:councils")
    councils = {c.area.name: c for c in ResidentCouncil.objects.select_related("area")}
    member_specs, meeting_specs = [], []
    for spec in AREAS:
        council = councils[spec["name"]]
        names = set()

        def new_member(position, started_on, ended_on, council=council, names=names):
            name = fake.name()
            while name in names:
                name = fake.name()
            names.add(name)
            member_specs.append(
                CouncilMember(
                    council=council,
                    name=name,
                    phone=_phone(rng),
                    position=position,
                    started_on=started_on,
                    ended_on=ended_on,
                )
            )

        # The founding chair handed over to the current one after a two-year term.
        handover = spec["founded_on"] + datetime.timedelta(days=730)
        new_member(CouncilPosition.CHAIR, spec["founded_on"], handover)
        for index in range(rng.randint(8, 15)):
            leadership = [CouncilPosition.CHAIR, CouncilPosition.VICE_CHAIR, CouncilPosition.SECRETARY]
            position = leadership[index] if index < len(leadership) else CouncilPosition.MEMBER
            started_on = (
                handover + datetime.timedelta(days=1)
                if index == 0
                else _date_between(rng, spec["founded_on"], spec["founded_on"] + datetime.timedelta(days=900))
            )
            new_member(position, started_on, None)
        for _former in range(rng.randint(1, 3)):
            started_on = _date_between(
                rng, spec["founded_on"], spec["founded_on"] + datetime.timedelta(days=400)
            )
            new_member(
                CouncilPosition.MEMBER,
                started_on,
                started_on + datetime.timedelta(days=rng.randint(365, 700)),
            )
        for number in range(1, MEETINGS_PER_COUNCIL + 1):
            # Monthly meetings ending with one still to come; the older four have published minutes.
            months_back = MEETINGS_PER_COUNCIL - number - 1
            held_on = ctx.today - datetime.timedelta(days=30 * months_back + rng.randint(0, 5))
            held_at = timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(19, 0)))
            agenda = rng.choice(AGENDAS)
            held = months_back >= 0
            published = number <= 4
            minutes = _minutes(agenda, council_name=council.name, number=number) if held else ""
            meeting_specs.append(
                CouncilMeeting(
                    council=council,
                    title=f"제{number}차 정기회의",
                    held_at=held_at,
                    place=rng.choice(MEETING_PLACES),
                    agenda=f"1. {agenda}\n2. 기타 안건",
                    minutes=minutes,
                    decisions=f"{agenda} 안건 원안 의결" if held else "",
                    is_published=published,
                    published_at=held_at + datetime.timedelta(days=3) if published else None,
                )
            )

    existing_members = set(CouncilMember.objects.values_list("council_id", "name"))
    new_members = [m for m in member_specs if (m.council_id, m.name) not in existing_members]
    CouncilMember.objects.bulk_create(new_members)
    existing_meetings = set(CouncilMeeting.objects.values_list("council_id", "title"))
    members = {(m.council_id, m.name): m for m in CouncilMember.objects.all()}

    # Attendance decides attendee counts, so it is drawn before the meetings are written.
    attendance_specs = []
    for meeting in meeting_specs:
        attended_count = 0
        for spec in member_specs:
            if spec.council_id != meeting.council_id:
                continue
            was_member = spec.started_on <= meeting.held_at.date() and (
                spec.ended_on is None or spec.ended_on >= meeting.held_at.date()
            )
            attended = rng.random() < 0.8
            if not was_member or meeting.held_at.date() > ctx.today or not meeting.minutes:
                continue
            attended_count += attended
            attendance_specs.append((meeting, members[(spec.council_id, spec.name)], attended))
        meeting.attendee_count = attended_count
    new_meetings = [m for m in meeting_specs if (m.council_id, m.title) not in existing_meetings]
    CouncilMeeting.objects.bulk_create(new_meetings)

    meetings = {(m.council_id, m.title): m for m in CouncilMeeting.objects.all()}
    existing_attendance = set(MeetingAttendance.objects.values_list("meeting_id", "member_id"))
    new_attendance = []
    for meeting_spec, member, attended in attendance_specs:
        meeting = meetings[(meeting_spec.council_id, meeting_spec.title)]
        if (meeting.pk, member.pk) not in existing_attendance:
            new_attendance.append(MeetingAttendance(meeting=meeting, member=member, attended=attended))
    MeetingAttendance.objects.bulk_create(new_attendance)
    return {
        CouncilMember: len(new_members),
        CouncilMeeting: len(new_meetings),
        MeetingAttendance: len(new_attendance),
    }


# Support the center gives every council each year (education, consulting, funding), by days from founding.
COUNCIL_SUPPORTS = [
    (
        SupportKind.EDUCATION,
        "주민 역량강화 교육 (도시재생 대학)",
        120,
        None,
        Decimal("12.0"),
        "전주시 도시재생지원센터",
    ),
    (
        SupportKind.CONSULTING,
        "마을관리협동조합 설립 컨설팅",
        400,
        None,
        Decimal("6.0"),
        "전북 사회적경제지원센터",
    ),
    (SupportKind.FUNDING, "주민공모사업 사업비 지원", 500, 8_000_000, None, "전주시 도시재생지원센터"),
]


def _handout_pdf(title):
    """A one-page PDF handout (ASCII text: the core PDF fonts have no Hangul)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.cell(0, 10, f"Resident council handout - {title}")
    return bytes(pdf.output())


def _seed_council_support_and_attachments():
    councils = list(ResidentCouncil.objects.select_related("area").order_by("name"))
    existing = set(CouncilSupport.objects.values_list("council_id", "title"))
    supports = []
    for council in councils:
        founded = council.founded_on or council.area.designated_on
        for kind, title, days, amount, hours, provider in COUNCIL_SUPPORTS:
            if (council.pk, title) in existing:
                continue
            supports.append(
                CouncilSupport(
                    council=council,
                    kind=kind,
                    title=title,
                    provided_on=founded + datetime.timedelta(days=days),
                    amount=amount,
                    hours=hours,
                    provider=provider,
                )
            )
    CouncilSupport.objects.bulk_create(supports)

    # The first published meeting of each council comes with its handout.
    attachments = 0
    title = "회의 자료집"
    meetings = CouncilMeeting.objects.filter(is_published=True, council__in=councils).order_by(
        "council", "held_at"
    )
    first_by_council = {}
    for meeting in meetings:
        first_by_council.setdefault(meeting.council_id, meeting)
    with_attachment = set(MeetingAttachment.objects.filter(title=title).values_list("meeting_id", flat=True))
    for meeting in first_by_council.values():
        if meeting.pk in with_attachment:
            continue
        attachment = MeetingAttachment(meeting=meeting, title=title, is_public=True)
        attachment.file.save(
            f"council-{meeting.council_id}-handout.pdf",
            ContentFile(_handout_pdf(f"meeting {meeting.pk}")),
            save=False,
        )
        attachment.save()
        attachments += 1
    return {CouncilSupport: len(supports), MeetingAttachment: attachments}


def _house_specs(ctx, programs):
    """Every house of the demo with its children, built in memory in a fixed draw order."""
    rng = ctx.rng("regeneration:houses")
    fake = ctx.faker_for("regeneration:houses")
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    program_cycle = [programs[kind] for kind in ProgramKind.values]
    leased_cycle = [programs[kind] for kind in ProgramKind.values if kind in LEASED_KINDS]
    used_count = 0
    specs = []
    for index in range(1, HOUSES_PER_SCALE * ctx.scale + 1):
        status = statuses[index - 1] if index <= len(statuses) else rng.choices(statuses, weights)[0]
        dong_name, district, lots, (lat, lng) = rng.choice(HOUSE_DONGS)
        lot = rng.choice(lots)
        address = f"전북특별자치도 전주시 {district} {lot} {rng.randint(1, 420)}-{rng.randint(1, 30)}"
        building_type = rng.choice(
            [BuildingType.DETACHED] * 5
            + [BuildingType.HANOK] * 3
            + [BuildingType.MULTI_HOUSEHOLD, BuildingType.SHOP_HOUSE]
        )
        structure = Structure.WOOD if building_type == BuildingType.HANOK else rng.choice(list(Structure))
        built_year = rng.randint(1938, 1995)
        land_area = Decimal(rng.randint(6600, 33000)) / 100
        floor_area = (land_area * Decimal(rng.randint(35, 80)) / 100).quantize(Decimal("0.01"))
        cause = rng.choice(list(VacancyCause))
        survey_round = 2019 if status in FINISHED_USE | {HouseStatus.DEMOLISHED} else rng.choice([2019, 2024])
        surveyed_on = datetime.date(survey_round, rng.randint(3, 9), rng.randint(1, 28))
        vacant_since = surveyed_on - datetime.timedelta(days=rng.randint(400, 3000))
        owner_name, owner_phone, owner_address = fake.name(), _phone(rng), fake.address()
        latitude = Decimal(f"{lat + rng.uniform(-0.004, 0.004):.6f}")
        longitude = Decimal(f"{lng + rng.uniform(-0.004, 0.004):.6f}")

        # Grade history: the survey's grade, maybe a re-survey in 2024 under the 2023 guideline,
        # and a renovation grade once the works are done.
        scheme = GradeScheme.URBAN_4 if survey_round == 2019 else GradeScheme.GUIDELINE_2023
        if status == HouseStatus.DEMOLISHED:
            first_grade = 4 if scheme == GradeScheme.URBAN_4 else 3
        elif scheme == GradeScheme.URBAN_4:
            first_grade = rng.choice([1, 2, 2, 3, 3, 4])
        else:
            first_grade = rng.choice([1, 2, 2, 3])
        grades = [(scheme, first_grade, surveyed_on, GradeReason.SURVEY)]
        resurvey_on = datetime.date(2024, rng.randint(3, 9), rng.randint(1, 28))
        resurvey_grade = rng.choice([1, 2, 3])
        if (
            survey_round == 2019
            and status not in FINISHED_USE | {HouseStatus.DEMOLISHED}
            and rng.random() < 0.5
        ):
            grades.append((GradeScheme.GUIDELINE_2023, resurvey_grade, resurvey_on, GradeReason.RESURVEY))

        # Life cycle dates: each step a few weeks after the previous one.
        gaps = [rng.randint(30, 90) for _ in range(3)] + [rng.randint(60, 150), rng.randint(15, 45)]
        use_years = rng.randint(2, 3)
        step_dates = [surveyed_on]
        for gap in gaps:
            step_dates.append(step_dates[-1] + datetime.timedelta(days=gap))
        path = LIFE_CYCLE[status]
        changes = []
        for position, to_status in enumerate(path):
            if to_status in FINISHED_USE:
                on = _add_years(step_dates[4], use_years)
            elif to_status == HouseStatus.DEMOLISHED:
                on = step_dates[3]
            else:
                on = step_dates[position]
            changes.append((path[position - 1] if position else "", to_status, on))

        consent = None
        scope_draw = rng.choice([ConsentScope.RENTAL, ConsentScope.REMODELING])
        if status in PAST_CONTACT:
            scope = ConsentScope.DEMOLITION_THEN_USE if status == HouseStatus.DEMOLISHED else scope_draw
            consented_on = step_dates[2]
            withdrawn_on = changes[-1][2] if status == HouseStatus.RETURNED_TO_OWNER else None
            consent = (consented_on, scope, _add_years(consented_on, 5), withdrawn_on)

        program = None
        if status in HAS_PROGRAM:
            cycle = program_cycle if status in {HouseStatus.RENOVATION, HouseStatus.IN_USE} else leased_cycle
            program = cycle[used_count % len(cycle)]
            used_count += 1

        renovation = None
        reno_budget = rng.randint(25, 90) * 1_000_000
        contractor = rng.choice(CONTRACTORS)
        if program is not None:
            started_on = step_dates[3]
            ended_on = (
                None if status == HouseStatus.RENOVATION else step_dates[4] - datetime.timedelta(days=7)
            )
            if program.kind == ProgramKind.COMMUNITY_SPACE and scope_draw == ConsentScope.RENTAL:
                consent = (consent[0], ConsentScope.PUBLIC_USE, *consent[2:])
            renovation = (program, started_on, ended_on, reno_budget, contractor)
            if ended_on is not None:
                grades.append((GradeScheme.GUIDELINE_2023, 1, ended_on, GradeReason.RENOVATION))
        grades.sort(key=lambda grade: grade[2])
        # Two gradings of one scheme on the same day would be one grading: keep the later one.
        grades = list({(g[0], g[2]): g for g in grades}.values())
        current_scheme, current_grade = grades[-1][0], grades[-1][1]

        rooms, tenancies = [], []
        room_count = rng.randint(3, 4)
        if program is not None and status != HouseStatus.RENOVATION and program.kind in LEASED_KINDS:
            move_in = step_dates[4]
            finished = status in FINISHED_USE
            lease_end = _add_years(move_in, use_years) - datetime.timedelta(days=1)
            if program.kind == ProgramKind.YOUTH_SHARE_HOUSE:
                for number in range(1, room_count + 1):
                    room_name = f"{100 + number}호"
                    rooms.append((room_name, Decimal(rng.randint(1100, 1800)) / 100))
                    occupied = rng.random() < 0.85
                    tenant = (fake.name(), _phone(rng), _birth_date_for_age(rng, move_in, 20, 38))
                    rent = rng.randint(15, 25) * 10_000
                    if occupied or finished:
                        tenancies.append(
                            {
                                "room": room_name,
                                "tenant": tenant,
                                "household_type": HouseholdType.SINGLE,
                                "household_size": 1,
                                "deposit": 1_000_000,
                                "monthly_rent": rent,
                                "market_rent": rent * 2,
                                "starts_on": move_in,
                                "ends_on": lease_end,
                                "moved_out_on": lease_end if finished else None,
                            }
                        )
            else:
                tenant = (fake.name(), _phone(rng), _birth_date_for_age(rng, move_in, 28, 82))
                market = rng.randint(40, 70) * 10_000
                household_type = (
                    HouseholdType.DISABLED
                    if program.kind == ProgramKind.DISABLED_SOCIAL_HOUSING
                    else rng.choice(
                        [
                            HouseholdType.SINGLE,
                            HouseholdType.COUPLE,
                            HouseholdType.SINGLE_PARENT,
                            HouseholdType.ELDERLY,
                            HouseholdType.MULTI_CHILD,
                        ]
                    )
                )
                household_size = {
                    HouseholdType.SINGLE: 1,
                    HouseholdType.DISABLED: 1,
                    HouseholdType.ELDERLY: 1,
                }.get(household_type, rng.randint(2, 4))
                if program.kind == ProgramKind.HALF_RENT_WELFARE:
                    monthly = market // 2 - rng.randint(0, 5) * 10_000
                else:
                    monthly = market * rng.randint(60, 80) // 100 // 10_000 * 10_000
                tenancies.append(
                    {
                        "room": None,
                        "tenant": tenant,
                        "household_type": household_type,
                        "household_size": household_size,
                        "deposit": rng.randint(1, 5) * 1_000_000,
                        "monthly_rent": monthly,
                        "market_rent": market,
                        "starts_on": move_in,
                        "ends_on": lease_end,
                        "moved_out_on": lease_end if finished else None,
                    }
                )
            for tenancy in tenancies:
                tenancy["program"] = program
                # Tenancies that ended long ago have been anonymised by the retention job.
                tenancy["anonymise"] = finished and tenancy["ends_on"].year <= 2022

        is_public = status in {HouseStatus.CONSENT_OBTAINED, HouseStatus.RENOVATION, HouseStatus.IN_USE}
        public_title = ""
        if is_public:
            kind_label = program.get_kind_display() if program else "빈집 활용 예정"
            public_title = f"{dong_name} {BuildingType(building_type).label} · {kind_label}"
        house = VacantHouse(
            management_number=f"JJ-VH-{index:05d}",
            address=address,
            latitude=latitude,
            longitude=longitude,
            building_type=building_type,
            structure=structure,
            built_year=built_year,
            land_area_m2=land_area,
            floor_area_m2=floor_area,
            vacant_since=vacant_since,
            vacancy_cause=cause,
            surveyed_on=surveyed_on,
            survey_round=survey_round,
            current_grade_scheme=current_scheme,
            current_grade=current_grade,
            status=status,
            current_program=program if status in {HouseStatus.RENOVATION, HouseStatus.IN_USE} else None,
            owner_name=owner_name,
            owner_phone=owner_phone,
            owner_address=owner_address,
            is_public=is_public,
            public_title=public_title,
            public_description=_public_description(status, built_year, building_type, program)
            if is_public
            else "",
        )
        specs.append(
            {
                "house": house,
                "dong": dong_name,
                "grades": grades,
                "changes": changes,
                "consent": consent,
                "renovation": renovation,
                "rooms": rooms,
                "tenancies": tenancies,
            }
        )
    return specs


def _public_description(status, built_year, building_type, program):
    text = f"{built_year}년에 지어진 {BuildingType(building_type).label}입니다. "
    if status == HouseStatus.IN_USE:
        return text + f"리모델링을 마치고 {program.get_kind_display()} 사업으로 쓰이고 있습니다."
    return text + "활용을 준비하고 있습니다."


def _seed_houses(ctx, programs):
    specs = _house_specs(ctx, programs)
    dongs = {dong.name: dong for dong in Dong.objects.all()}
    staff = get_user_model().objects.filter(username=STAFF_USERNAME).first()

    existing = set(VacantHouse.objects.values_list("management_number", flat=True))
    new_houses = []
    for spec in specs:
        spec["house"].dong = dongs[spec["dong"]]
        if spec["house"].management_number not in existing:
            new_houses.append(spec["house"])
    VacantHouse.objects.bulk_create(new_houses, batch_size=500)
    houses = dict(
        VacantHouse.objects.filter(
            management_number__in=[s["house"].management_number for s in specs]
        ).values_list("management_number", "pk")
    )

    existing_grades = set(VacantHouseGrade.objects.values_list("house_id", "scheme", "graded_on"))
    existing_changes = set(HouseStatusChange.objects.values_list("house_id", "to_status"))
    existing_consents = set(OwnerConsent.objects.values_list("house_id", "scope"))
    existing_renovations = set(Renovation.objects.values_list("house_id", "started_on"))
    existing_rooms = set(Room.objects.values_list("house_id", "name"))
    grades, changes, consents, renovations, rooms = [], [], [], [], []
    for spec in specs:
        house_id = houses[spec["house"].management_number]
        for scheme, grade, graded_on, reason in spec["grades"]:
            if (house_id, scheme, graded_on) not in existing_grades:
                grades.append(
                    VacantHouseGrade(
                        house_id=house_id, scheme=scheme, grade=grade, graded_on=graded_on, reason=reason
                    )
                )
        for from_status, to_status, on in spec["changes"]:
            if (house_id, to_status) not in existing_changes:
                changes.append(
                    HouseStatusChange(
                        house_id=house_id,
                        from_status=from_status,
                        to_status=to_status,
                        changed_at=timezone.make_aware(datetime.datetime.combine(on, datetime.time(10, 0))),
                        changed_by=staff,
                    )
                )
        if spec["consent"] and (house_id, spec["consent"][1]) not in existing_consents:
            consented_on, scope, expires_on, withdrawn_on = spec["consent"]
            consents.append(
                OwnerConsent(
                    house_id=house_id,
                    consented_on=consented_on,
                    scope=scope,
                    expires_on=expires_on,
                    withdrawn_on=withdrawn_on,
                )
            )
        if spec["renovation"] and (house_id, spec["renovation"][1]) not in existing_renovations:
            program, started_on, ended_on, budget, contractor = spec["renovation"]
            renovations.append(
                Renovation(
                    house_id=house_id,
                    program=program,
                    started_on=started_on,
                    ended_on=ended_on,
                    budget=budget,
                    contractor=contractor,
                    description="지붕·창호 교체, 단열 보강, 주방·욕실 개선",
                )
            )
        for name, area in spec["rooms"]:
            if (house_id, name) not in existing_rooms:
                rooms.append(Room(house_id=house_id, name=name, area_m2=area, capacity=1))
    VacantHouseGrade.objects.bulk_create(grades, batch_size=500)
    HouseStatusChange.objects.bulk_create(changes, batch_size=500)
    OwnerConsent.objects.bulk_create(consents)
    Renovation.objects.bulk_create(renovations)
    Room.objects.bulk_create(rooms)

    room_ids = {
        (house_id, name): pk for pk, house_id, name in Room.objects.values_list("pk", "house_id", "name")
    }
    existing_tenancies = set(Tenancy.objects.values_list("house_id", "room_id", "starts_on"))
    tenancies = []
    anonymised_at = timezone.make_aware(datetime.datetime(2025, 1, 2, 3, 0))
    for spec in specs:
        house_id = houses[spec["house"].management_number]
        for data in spec["tenancies"]:
            room_id = room_ids[(house_id, data["room"])] if data["room"] else None
            if (house_id, room_id, data["starts_on"]) in existing_tenancies:
                continue
            name, phone, birth_date = data["tenant"]
            if data["anonymise"]:
                name, phone, birth_date = "", "", None
            tenancies.append(
                Tenancy(
                    house_id=house_id,
                    room_id=room_id,
                    program=data["program"],
                    tenant_name=name,
                    tenant_phone=phone,
                    tenant_birth_date=birth_date,
                    household_type=data["household_type"],
                    household_size=data["household_size"],
                    deposit=data["deposit"],
                    monthly_rent=data["monthly_rent"],
                    market_rent=data["market_rent"],
                    half_rent=data["program"].kind == ProgramKind.HALF_RENT_WELFARE,
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    moved_out_on=data["moved_out_on"],
                    anonymised_at=anonymised_at if data["anonymise"] else None,
                )
            )
    Tenancy.objects.bulk_create(tenancies, batch_size=500)
    return {
        VacantHouse: len(new_houses),
        VacantHouseGrade: len(grades),
        HouseStatusChange: len(changes),
        OwnerConsent: len(consents),
        Renovation: len(renovations),
        Room: len(rooms),
        Tenancy: len(tenancies),
    }
