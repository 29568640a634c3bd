"""Demo spaces and bookings, made through the services with the clock of each step: the center's two rooms and
a community space in a renovated vacant house, a closed day, and bookings in every status (the demo citizen
has an approved one and one waiting). The spaces and bookings are in ``data.toml`` beside this file."""

import datetime

from django.contrib.auth import get_user_model

from jeonju_center.demo.base import DEMO_CITIZEN_USERNAME
from jeonju_center.demo.data import load_demo_data
from jeonju_center.demo.steps import demo_step
from regeneration.models import ProgramKind, VacantHouse

from .. import rules, services
from ..models import Booking, Space, SpaceClosure

DATA = load_demo_data(__name__)


def _open_day(space, first, *, skip=0):
    """The first day on or after ``first`` the space is open (the ``skip``-th one)."""
    day = first
    while True:
        if not rules.closed_reason(space, day):
            if skip == 0:
                return day
            skip -= 1
        day += datetime.timedelta(days=1)


@demo_step("spaces", after=["regeneration"])
def seed(ctx):
    User = get_user_model()
    house = (
        VacantHouse.objects.filter(current_program__kind=ProgramKind.COMMUNITY_SPACE).order_by("pk").first()
    )
    spaces = {}
    for data in DATA["spaces"]:
        values = {key: value for key, value in data.items() if key != "slug"}
        if data["kind"] == Space.Kind.COMMUNITY_SPACE:
            values["vacant_house"] = house
        spaces[data["slug"]], _made = Space.objects.get_or_create(slug=data["slug"], defaults=values)
    closure = DATA["closure"]
    closed = spaces[closure["space"]]
    # Keyed on the reason: on a second run the day found below is the closed one's next open day.
    if not SpaceClosure.objects.filter(space=closed, reason=closure["reason"]).exists():
        SpaceClosure.objects.create(
            space=closed,
            date=_open_day(closed, ctx.today + datetime.timedelta(days=closure["days_from_today"])),
            reason=closure["reason"],
        )
    if Booking.objects.exists():
        yield f"spaces: {len(spaces)} spaces, {Booking.objects.count()} bookings kept"
        return

    staff = User.objects.filter(is_superuser=True).order_by("pk").first()
    citizen = User.objects.get(username=DEMO_CITIZEN_USERNAME)
    others = list(User.objects.filter(username__startswith="citizen").order_by("username")[70:80])
    now = rules.local_dt(ctx.today, datetime.time(9, 30))
    waiting = None
    for row in DATA["bookings"]:
        space = spaces[row["space"]]
        user = citizen if row.get("by_demo_citizen") else others[row["citizen"]]
        day = _open_day(
            space, ctx.today + datetime.timedelta(days=row["days_from_today"]), skip=row["open_day"]
        )
        at = now + datetime.timedelta(days=row.get("requested_days_from_today", 0))
        starts_at = rules.local_dt(day, datetime.time(row["starts_at"]))
        booking = services.booking_request(
            space=space,
            actor=user,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=row["hours"]),
            purpose=row["purpose"],
            headcount=row["headcount"],
            group_name=row.get("group", ""),
            agreed=True,
            now=at,
        )
        outcome = row["outcome"]
        if outcome in ("approved", "no_show"):
            services.booking_approve(booking_id=booking.pk, actor=staff, now=at)
        if outcome == "no_show":
            services.booking_record_no_show(
                booking_id=booking.pk, actor=staff, now=rules.local_dt(day, datetime.time(17, 0))
            )
        elif outcome == "declined":
            services.booking_decline(booking_id=booking.pk, actor=staff, reason=row["decline_reason"], now=at)
        elif outcome == "cancelled":
            services.booking_cancel(booking_id=booking.pk, actor=user, now=at)
        elif outcome == "waiting":
            waiting = booking
    yield f"spaces: {len(spaces)} spaces, {Booking.objects.count()} bookings created ({waiting.get_status_display()} 1+)"
