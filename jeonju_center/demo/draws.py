"""Small draws that several apps' demos share. Each takes the caller's seeded generator and draws from it in
a fixed order, so a demo that uses them stays the same from run to run."""

import datetime


def date_between(rng, start, end):
    """A day from ``start`` to ``end``, both included."""
    return start + datetime.timedelta(days=rng.randint(0, (end - start).days))


def mobile_number(rng):
    return f"010-{rng.randint(2000, 9999)}-{rng.randint(0, 9999):04d}"


def add_years(day, years):
    """The same day ``years`` later (or earlier); 29 February becomes the 28th in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
