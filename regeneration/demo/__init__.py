"""Demo data of urban regeneration: four activation areas with their councils and the vacant-house programs
(the rows and texts are in ``data.toml`` beside this file).

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
from jeonju_center.demo.base import DEMO_STAFF_USERNAME
from jeonju_center.demo.data import load_demo_data
from jeonju_center.demo.draws import add_years, date_between, mobile_number
from jeonju_center.demo.steps import demo_step

from ..models import (
    ActivationArea,
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
    Tenancy,
    VacancyCause,
    VacantHouse,
    VacantHouseGrade,
)

HOUSES_PER_SCALE = 60
MEETINGS_PER_COUNCIL = 6

DATA = load_demo_data(__name__)
AREAS, PROGRAMS, HOUSE_DONGS = DATA["areas"], DATA["programs"], DATA["house_dongs"]
COUNCIL_SUPPORTS, STATUS_WEIGHTS, LIFE_CYCLE = (
    DATA["council_supports"],
    DATA["house_status_weights"],
    DATA["life_cycle"],
)
HOUSE_TEXT, COUNCIL_TEXT = DATA["houses"], DATA["councils"]

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


def _minutes(agenda, *, council_name, number):
    """Published minutes in the council's voice: the agenda, then three things said or decided."""
    # A generator of its own: the text does not shift the draws of the rest of the demo.
    rng = random.Random(f"regeneration-minutes:{council_name}:{number}")
    said = rng.sample(COUNCIL_TEXT["minute_sentences"], 3)
    opening = COUNCIL_TEXT["minutes_opening"].format(agenda=with_particle(agenda, "을/를"))
    return " ".join([opening, *said])


def _birth_date_for_age(rng, on, low, high):
    """A birth date making the person between ``low`` and ``high`` (inclusive) years old on ``on``."""
    age = rng.randint(low, high)
    return add_years(on, -age) - datetime.timedelta(days=rng.randint(0, 360))


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


@demo_step("regeneration", after=["base"])
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
                "public_description": COUNCIL_TEXT["description"].format(
                    place=spec["name"].replace(" 도시재생활성화지역", "")
                ),
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
                    phone=mobile_number(rng),
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
                else date_between(rng, spec["founded_on"], spec["founded_on"] + datetime.timedelta(days=900))
            )
            new_member(position, started_on, None)
        for _former in range(rng.randint(1, 3)):
            started_on = date_between(
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
            agenda = rng.choice(COUNCIL_TEXT["agendas"])
            held = months_back >= 0
            published = number <= 4
            minutes = _minutes(agenda, council_name=council.name, number=number) if held else ""
            meeting_specs.append(
                CouncilMeeting(
                    council=council,
                    title=COUNCIL_TEXT["meeting_title"].format(number=number),
                    held_at=held_at,
                    place=rng.choice(COUNCIL_TEXT["meeting_places"]),
                    agenda=COUNCIL_TEXT["meeting_agenda"].format(agenda=agenda),
                    minutes=minutes,
                    decisions=COUNCIL_TEXT["meeting_decisions"].format(agenda=agenda) if held else "",
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


def _handout_pdf(title):
    """A one-page PDF handout (ASCII text: the core PDF fonts have no Hangul)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.cell(0, 10, COUNCIL_TEXT["handout_text"].format(title=title))
    return bytes(pdf.output())


def _seed_council_support_and_attachments():
    councils = list(ResidentCouncil.objects.select_related("area").order_by("name"))
    existing = set(CouncilSupport.objects.values_list("council_id", "title"))
    supports = []
    for council in councils:
        founded = council.founded_on or council.area.designated_on
        for support in COUNCIL_SUPPORTS:
            if (council.pk, support["title"]) in existing:
                continue
            supports.append(
                CouncilSupport(
                    council=council,
                    kind=support["kind"],
                    title=support["title"],
                    provided_on=founded + datetime.timedelta(days=support["days_after_founding"]),
                    amount=support.get("amount"),
                    hours=support.get("hours"),
                    provider=support["provider"],
                )
            )
    CouncilSupport.objects.bulk_create(supports)

    # The first published meeting of each council comes with its handout.
    attachments = 0
    title = COUNCIL_TEXT["handout_title"]
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
        place = rng.choice(HOUSE_DONGS)
        dong_name, lat, lng = place["dong"], *map(float, place["center"])
        lot = rng.choice(place["lots"])
        address = HOUSE_TEXT["address"].format(
            district=place["district"],
            lot=lot,
            main_number=rng.randint(1, 420),
            sub_number=rng.randint(1, 30),
        )
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
        owner_name, owner_phone, owner_address = fake.name(), mobile_number(rng), fake.address()
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
                on = add_years(step_dates[4], use_years)
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
            consent = (consented_on, scope, add_years(consented_on, 5), withdrawn_on)

        program = None
        if status in HAS_PROGRAM:
            cycle = program_cycle if status in {HouseStatus.RENOVATION, HouseStatus.IN_USE} else leased_cycle
            program = cycle[used_count % len(cycle)]
            used_count += 1

        renovation = None
        reno_budget = rng.randint(25, 90) * 1_000_000
        contractor = rng.choice(HOUSE_TEXT["contractors"])
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
            lease_end = add_years(move_in, use_years) - datetime.timedelta(days=1)
            if program.kind == ProgramKind.YOUTH_SHARE_HOUSE:
                for number in range(1, room_count + 1):
                    room_name = HOUSE_TEXT["room"].format(number=100 + number)
                    rooms.append((room_name, Decimal(rng.randint(1100, 1800)) / 100))
                    occupied = rng.random() < 0.85
                    tenant = (fake.name(), mobile_number(rng), _birth_date_for_age(rng, move_in, 20, 38))
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
                tenant = (fake.name(), mobile_number(rng), _birth_date_for_age(rng, move_in, 28, 82))
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
            public_title = HOUSE_TEXT["public_title"].format(
                dong=dong_name,
                building_type=BuildingType(building_type).label,
                use=program.get_kind_display() if program else HOUSE_TEXT["public_use_planned"],
            )
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
    text = HOUSE_TEXT["public_description"].format(
        built_year=built_year, building_type=BuildingType(building_type).label
    )
    if status == HouseStatus.IN_USE:
        return text + HOUSE_TEXT["public_description_in_use"].format(program=program.get_kind_display())
    return text + HOUSE_TEXT["public_description_planned"]


def _seed_houses(ctx, programs):
    specs = _house_specs(ctx, programs)
    dongs = {dong.name: dong for dong in Dong.objects.all()}
    staff = get_user_model().objects.filter(username=DEMO_STAFF_USERNAME).first()

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
                    description=HOUSE_TEXT["renovation"],
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
