"""The demo's vacant houses in every status and program, with their grade history, status changes, owner
consent, renovation, rooms and tenancies. Each house is planned in memory in a fixed draw order (whatever
exists already), then only the rows missing from the database are saved."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from jeonju_center.common.models import Dong
from jeonju_center.demo.base import DEMO_STAFF_USERNAME
from jeonju_center.demo.data import load_demo_data
from jeonju_center.demo.draws import add_years, mobile_number
from jeonju_center.demo.rows import count_line, create_missing

from ..models import (
    BuildingType,
    ConsentScope,
    GradeReason,
    GradeScheme,
    HouseStatus,
    HouseStatusChange,
    OwnerConsent,
    ProgramKind,
    Renovation,
    Room,
    Structure,
    Tenancy,
    VacancyCause,
    VacantHouse,
    VacantHouseGrade,
)
from .tenancies import plan_tenancies

HOUSES_PER_SCALE = 60
DATA = load_demo_data(__package__)
TEXT, STATUS_WEIGHTS, LIFE_CYCLE = DATA["houses"], DATA["house_status_weights"], DATA["life_cycle"]

S = HouseStatus
PAST_CONTACT = {S.CONSENT_OBTAINED, S.RENOVATION, S.IN_USE, S.ENDED, S.RETURNED_TO_OWNER, S.DEMOLISHED}
FINISHED_USE = {S.ENDED, S.RETURNED_TO_OWNER}
IN_PROGRAM = {S.RENOVATION, S.IN_USE}
HAS_PROGRAM = IN_PROGRAM | FINISHED_USE
PUBLIC = {S.CONSENT_OBTAINED, S.RENOVATION, S.IN_USE}
P = ProgramKind
LEASED_KINDS = {P.HAPPY_VILLAGE, P.YOUTH_SHARE_HOUSE, P.DISABLED_SOCIAL_HOUSING, P.HALF_RENT_WELFARE}


@dataclass
class PlannedHouse:
    house: VacantHouse
    # The rows below belong to the house (saved with its id once it has one).
    grades: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    consent: OwnerConsent | None = None
    renovation: Renovation | None = None
    rooms: list = field(default_factory=list)
    tenancies: list = field(default_factory=list)  # (room name or None, Tenancy)


def seed(ctx, programs):
    plans = _plan(ctx, programs)
    new_houses = create_missing(VacantHouse, [plan.house for plan in plans], key=("management_number",))
    ids = dict(
        VacantHouse.objects.filter(
            management_number__in=[plan.house.management_number for plan in plans]
        ).values_list("management_number", "pk")
    )
    children = {VacantHouseGrade: [], HouseStatusChange: [], OwnerConsent: [], Renovation: [], Room: []}
    for plan in plans:
        house_id = ids[plan.house.management_number]
        extra = [row for row in (plan.consent, plan.renovation) if row is not None]
        for row in [*plan.grades, *plan.changes, *extra, *plan.rooms]:
            row.house_id = house_id
            children[type(row)].append(row)
    keys = {
        VacantHouseGrade: ("house_id", "scheme", "graded_on"),
        HouseStatusChange: ("house_id", "to_status"),
        OwnerConsent: ("house_id", "scope"),
        Renovation: ("house_id", "started_on"),
        Room: ("house_id", "name"),
    }
    created = {model: create_missing(model, rows, key=keys[model]) for model, rows in children.items()}

    room_ids = {
        (house_id, name): pk for pk, house_id, name in Room.objects.values_list("pk", "house_id", "name")
    }
    tenancies = []
    for plan in plans:
        house_id = ids[plan.house.management_number]
        for room_name, tenancy in plan.tenancies:
            tenancy.house_id = house_id
            tenancy.room_id = room_ids[(house_id, room_name)] if room_name else None
            tenancies.append(tenancy)
    new_tenancies = create_missing(Tenancy, tenancies, key=("house_id", "room_id", "starts_on"))
    return [
        count_line("vacant houses", len(new_houses), VacantHouse),
        count_line("vacant-house grades", len(created[VacantHouseGrade]), VacantHouseGrade),
        count_line("house status changes", len(created[HouseStatusChange]), HouseStatusChange),
        count_line("owner consents", len(created[OwnerConsent]), OwnerConsent),
        count_line("renovations", len(created[Renovation]), Renovation),
        count_line("rooms", len(created[Room]), Room),
        count_line("tenancies", len(new_tenancies), Tenancy),
    ]


def _plan(ctx, programs):
    """Every house of the demo with its rows, built in memory in a fixed draw order."""
    rng = ctx.rng("regeneration:houses")
    fake = ctx.faker_for("regeneration:houses")
    dongs = {dong.name: dong for dong in Dong.objects.all()}
    staff = get_user_model().objects.filter(username=DEMO_STAFF_USERNAME).first()
    statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
    program_cycle = [programs[kind] for kind in ProgramKind.values]
    leased_cycle = [programs[kind] for kind in ProgramKind.values if kind in LEASED_KINDS]
    used_count = 0
    plans = []
    for index in range(1, HOUSES_PER_SCALE * ctx.scale + 1):
        status = statuses[index - 1] if index <= len(statuses) else rng.choices(statuses, weights)[0]
        program = None
        if status in HAS_PROGRAM:  # the programs take the houses in turn
            cycle = program_cycle if status in IN_PROGRAM else leased_cycle
            program = cycle[used_count % len(cycle)]
            used_count += 1
        plans.append(_plan_house(rng, fake, index, status, program, dongs=dongs, staff=staff))
    return plans


def _plan_house(rng, fake, index, status, program, *, dongs, staff):
    place = rng.choice(DATA["house_dongs"])
    latitude, longitude = map(float, place["center"])
    lot = rng.choice(place["lots"])
    address = TEXT["address"].format(
        district=place["district"], lot=lot, main_number=rng.randint(1, 420), sub_number=rng.randint(1, 30)
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
    survey_round = 2019 if status in FINISHED_USE | {S.DEMOLISHED} else rng.choice([2019, 2024])
    surveyed_on = datetime.date(survey_round, rng.randint(3, 9), rng.randint(1, 28))
    house = VacantHouse(
        management_number=f"JJ-VH-{index:05d}",
        dong=dongs[place["dong"]],
        address=address,
        building_type=building_type,
        structure=structure,
        built_year=built_year,
        land_area_m2=land_area,
        floor_area_m2=floor_area,
        vacant_since=surveyed_on - datetime.timedelta(days=rng.randint(400, 3000)),
        vacancy_cause=cause,
        surveyed_on=surveyed_on,
        survey_round=survey_round,
        status=status,
        current_program=program if status in IN_PROGRAM else None,
        owner_name=fake.name(),
        owner_phone=mobile_number(rng),
        owner_address=fake.address(),
        latitude=Decimal(f"{latitude + rng.uniform(-0.004, 0.004):.6f}"),
        longitude=Decimal(f"{longitude + rng.uniform(-0.004, 0.004):.6f}"),
        is_public=status in PUBLIC,
    )
    plan = PlannedHouse(house=house)
    grades = _survey_grades(rng, status, survey_round, surveyed_on)

    # Life cycle dates: each step a few weeks after the previous one.
    gaps = [rng.randint(30, 90) for _ in range(3)] + [rng.randint(60, 150), rng.randint(15, 45)]
    use_years = rng.randint(2, 3)
    step_dates = [surveyed_on]
    for gap in gaps:
        step_dates.append(step_dates[-1] + datetime.timedelta(days=gap))
    path = LIFE_CYCLE[status]
    for position, to_status in enumerate(path):
        if to_status in FINISHED_USE:
            on = add_years(step_dates[4], use_years)
        elif to_status == S.DEMOLISHED:
            on = step_dates[3]
        else:
            on = step_dates[position]
        plan.changes.append(
            HouseStatusChange(
                from_status=path[position - 1] if position else "",
                to_status=to_status,
                changed_at=timezone.make_aware(datetime.datetime.combine(on, datetime.time(10, 0))),
                changed_by=staff,
            )
        )

    scope_draw = rng.choice([ConsentScope.RENTAL, ConsentScope.REMODELING])
    if status in PAST_CONTACT:
        consented_on = step_dates[2]
        plan.consent = OwnerConsent(
            consented_on=consented_on,
            scope=ConsentScope.DEMOLITION_THEN_USE if status == S.DEMOLISHED else scope_draw,
            expires_on=add_years(consented_on, 5),
            withdrawn_on=plan.changes[-1].changed_at.date() if status == S.RETURNED_TO_OWNER else None,
        )

    budget, contractor = rng.randint(25, 90) * 1_000_000, rng.choice(TEXT["contractors"])
    if program is not None:
        ended_on = None if status == S.RENOVATION else step_dates[4] - datetime.timedelta(days=7)
        if program.kind == ProgramKind.COMMUNITY_SPACE and scope_draw == ConsentScope.RENTAL:
            plan.consent.scope = ConsentScope.PUBLIC_USE
        plan.renovation = Renovation(
            program=program,
            started_on=step_dates[3],
            ended_on=ended_on,
            budget=budget,
            contractor=contractor,
            description=TEXT["renovation"],
        )
        if ended_on is not None:
            grades.append((GradeScheme.GUIDELINE_2023, 1, ended_on, GradeReason.RENOVATION))
    grades.sort(key=lambda grade: grade[2])
    # Two gradings of one scheme on the same day would be one grading: keep the later one.
    grades = list({(g[0], g[2]): g for g in grades}.values())
    plan.grades = [VacantHouseGrade(scheme=s, grade=g, graded_on=on, reason=r) for s, g, on, r in grades]
    house.current_grade_scheme, house.current_grade = grades[-1][0], grades[-1][1]

    room_count = rng.randint(3, 4)
    if program is not None and status != S.RENOVATION and program.kind in LEASED_KINDS:
        plan_tenancies(rng, fake, plan, program, room_count, move_in=step_dates[4], use_years=use_years)
    if house.is_public:
        building = BuildingType(building_type).label
        house.public_title = TEXT["public_title"].format(
            dong=place["dong"],
            building_type=building,
            use=program.get_kind_display() if program else TEXT["public_use_planned"],
        )
        house.public_description = TEXT["public_description"].format(
            built_year=built_year, building_type=building
        )
        if status == S.IN_USE:
            house.public_description += TEXT["public_description_in_use"].format(
                program=program.get_kind_display()
            )
        else:
            house.public_description += TEXT["public_description_planned"]
    return plan


def _survey_grades(rng, status, survey_round, surveyed_on):
    """(scheme, grade, day, reason) of the survey, and of a 2024 re-survey under the 2023 guideline for half
    the houses of the 2019 survey still in the program."""
    scheme = GradeScheme.URBAN_4 if survey_round == 2019 else GradeScheme.GUIDELINE_2023
    if status == S.DEMOLISHED:
        first_grade = 4 if scheme == GradeScheme.URBAN_4 else 3
    elif scheme == GradeScheme.URBAN_4:
        first_grade = rng.choice([1, 2, 2, 3, 3, 4])
    else:
        first_grade = rng.choice([1, 2, 2, 3])
    grades = [(scheme, first_grade, surveyed_on, GradeReason.SURVEY)]
    resurvey_on = datetime.date(2024, rng.randint(3, 9), rng.randint(1, 28))
    resurvey_grade = rng.choice([1, 2, 3])
    if survey_round == 2019 and status not in FINISHED_USE | {S.DEMOLISHED} and rng.random() < 0.5:
        grades.append((GradeScheme.GUIDELINE_2023, resurvey_grade, resurvey_on, GradeReason.RESURVEY))
    return grades
