"""Who lives in the demo's renovated houses: a share house lets its rooms one by one, the other programs
let the whole house to one household. Tenancies that ended long ago were anonymised by the retention job."""

import datetime
from decimal import Decimal

from django.utils import timezone

from jeonju_center.demo.data import load_demo_data
from jeonju_center.demo.draws import add_years, mobile_number

from ..models import HouseholdType, HouseStatus, ProgramKind, Room, Tenancy

ROOM_NAME = load_demo_data(__package__)["houses"]["room"]
HOUSEHOLD_TYPES = [
    HouseholdType.SINGLE,
    HouseholdType.COUPLE,
    HouseholdType.SINGLE_PARENT,
    HouseholdType.ELDERLY,
    HouseholdType.MULTI_CHILD,
]
ONE_PERSON_HOUSEHOLDS = {HouseholdType.SINGLE, HouseholdType.DISABLED, HouseholdType.ELDERLY}


def plan_tenancies(rng, fake, plan, program, room_count, *, move_in, use_years):
    """A share house lets its rooms one by one (most occupied); the other programs let the whole house to
    one household, at half the market rent or less in the half-rent program."""
    finished = plan.house.status in (HouseStatus.ENDED, HouseStatus.RETURNED_TO_OWNER)
    lease_end = add_years(move_in, use_years) - datetime.timedelta(days=1)
    lease = {"program": program, "starts_on": move_in, "ends_on": lease_end}
    lease["moved_out_on"] = lease_end if finished else None
    lease["half_rent"] = program.kind == ProgramKind.HALF_RENT_WELFARE
    if program.kind == ProgramKind.YOUTH_SHARE_HOUSE:
        for number in range(1, room_count + 1):
            room = Room(
                name=ROOM_NAME.format(number=100 + number),
                area_m2=Decimal(rng.randint(1100, 1800)) / 100,
                capacity=1,
            )
            plan.rooms.append(room)
            occupied = rng.random() < 0.85
            tenant = (fake.name(), mobile_number(rng), _birth_date_for_age(rng, move_in, 20, 38))
            rent = rng.randint(15, 25) * 10_000
            if occupied or finished:
                tenancy = Tenancy(
                    household_type=HouseholdType.SINGLE, household_size=1, deposit=1_000_000,
                    monthly_rent=rent, market_rent=rent * 2, **lease,
                )  # fmt: skip
                plan.tenancies.append((room.name, _with_tenant(tenancy, tenant, finished)))
    else:
        tenant = (fake.name(), mobile_number(rng), _birth_date_for_age(rng, move_in, 28, 82))
        market = rng.randint(40, 70) * 10_000
        if program.kind == ProgramKind.DISABLED_SOCIAL_HOUSING:
            household_type = HouseholdType.DISABLED
        else:
            household_type = rng.choice(HOUSEHOLD_TYPES)
        size_draw = rng.randint(2, 4)  # drawn for every household, so the draws after it do not shift
        household_size = 1 if household_type in ONE_PERSON_HOUSEHOLDS else size_draw
        if program.kind == ProgramKind.HALF_RENT_WELFARE:
            monthly = market // 2 - rng.randint(0, 5) * 10_000
        else:
            monthly = market * rng.randint(60, 80) // 100 // 10_000 * 10_000
        tenancy = Tenancy(
            household_type=household_type, household_size=household_size, deposit=rng.randint(1, 5) * 1_000_000,
            monthly_rent=monthly, market_rent=market, **lease,
        )  # fmt: skip
        plan.tenancies.append((None, _with_tenant(tenancy, tenant, finished)))


def _with_tenant(tenancy, tenant, finished):
    """The tenant's personal data, unless the retention job has anonymised a tenancy that ended long ago."""
    if finished and tenancy.ends_on.year <= 2022:
        tenancy.anonymised_at = timezone.make_aware(datetime.datetime(2025, 1, 2, 3, 0))
    else:
        tenancy.tenant_name, tenancy.tenant_phone, tenancy.tenant_birth_date = tenant
    return tenancy


def _birth_date_for_age(rng, on, low, high):
    """A birth date making the person between ``low`` and ``high`` (inclusive) years old on ``on``."""
    age = rng.randint(low, high)
    return add_years(on, -age) - datetime.timedelta(days=rng.randint(0, 360))
