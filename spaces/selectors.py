"""Reads of space booking: the public spaces, their week and month calendars (free and taken slots, never who
booked), and a citizen's own bookings."""

import calendar
import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from . import rules
from .models import Booking, BookingStatus, Space


def public_spaces():
    return Space.objects.filter(is_active=True).select_related("vacant_house").order_by("kind", "name")


@dataclass
class Slot:
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    state: str  # "free" | "taken" | "past" | "closed" | "not_yet" (before the notice period) | "later"


@dataclass
class Day:
    date: datetime.date
    closed_reason: str = ""
    slots: list = field(default_factory=list)

    @property
    def free_count(self):
        return sum(slot.state == "free" for slot in self.slots)

    @property
    def taken_count(self):
        return sum(slot.state == "taken" for slot in self.slots)


def _approved_ranges(space, first_day, last_day):
    start = rules.local_dt(first_day, datetime.time.min)
    end = rules.local_dt(last_day + datetime.timedelta(days=1), datetime.time.min)
    return list(
        Booking.objects.filter(
            space=space, status=BookingStatus.APPROVED, starts_at__lt=end, ends_at__gt=start
        )
        .order_by("starts_at")
        .values_list("starts_at", "ends_at")
    )


def calendar_days(space, first_day, last_day, *, now=None):
    """Each day from ``first_day`` to ``last_day`` with its slots' states, in three queries whatever the range."""
    now = now or timezone.now()
    taken = _approved_ranges(space, first_day, last_day)
    closures = {
        closure.date: closure.reason
        for closure in space.closures.filter(date__gte=first_day, date__lte=last_day)
    }
    window_first, window_last = rules.bookable_window(space, now=now)
    step = datetime.timedelta(minutes=space.slot_minutes)
    days = []
    day = first_day
    while day <= last_day:
        reason = rules.closed_reason(space, day, closures)
        entry = Day(date=day, closed_reason=reason)
        if not reason:
            for start in rules.slot_starts(space, day):
                end = start + step
                if any(begin < end and start < finish for begin, finish in taken):
                    state = "taken"
                elif start <= now:
                    state = "past"
                elif day < window_first:
                    state = "not_yet"
                elif day > window_last:
                    state = "later"
                else:
                    state = "free"
                entry.slots.append(Slot(start, end, state))
        days.append(entry)
        day += datetime.timedelta(days=1)
    return days


def week_of(day):
    """The Monday of ``day``'s week."""
    return day - datetime.timedelta(days=day.weekday())


def month_bounds(year, month):
    return datetime.date(year, month, 1), datetime.date(year, month, calendar.monthrange(year, month)[1])


def my_bookings(user):
    return Booking.objects.filter(user=user).select_related("space").order_by("-starts_at", "-id")
