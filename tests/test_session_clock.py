"""The session clock (tests/session_clock.py): the suite runs where ``TEST_CLOCK`` puts it, in this process, in
its subprocesses and in PostgreSQL's rules, and ``random`` draws the moments where date code breaks."""

import datetime
import os
import random
import subprocess
import sys

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from tests import session_clock
from tests.conftest import REPO_ROOT

KST = session_clock.KST
REAL_NOW = datetime.datetime(2026, 12, 4, 10, 0, tzinfo=datetime.UTC)


def _real_now():
    # escape_hatch reads the unpatched clock, which only exists while time-machine travels.
    if time_machine.escape_hatch.is_travelling():
        return datetime.datetime.fromtimestamp(time_machine.escape_hatch.time.time(), datetime.UTC)
    return datetime.datetime.now(datetime.UTC)


def _expected_now():
    """Where the session clock should stand now: the real time plus the session's offset."""
    return _real_now() + datetime.timedelta(seconds=session_clock.session_offset() or 0)


def test_the_session_clock_stands_where_test_clock_says():
    named = session_clock.parse(os.environ.get("TEST_CLOCK"))
    if named is None:
        assert session_clock.session_moment() is None
        assert abs(timezone.now() - _real_now()) < datetime.timedelta(seconds=2)
    else:
        assert session_clock.session_moment() == named
        assert abs(timezone.now() - _expected_now()) < datetime.timedelta(seconds=2)
        # The session has run for a while since the moment it started at, never before it.
        assert timezone.now() >= named


def test_a_subprocess_stands_where_the_session_does():
    code = "import datetime; print(datetime.datetime.now(datetime.UTC).isoformat())"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    reported = datetime.datetime.fromisoformat(result.stdout.strip())
    assert abs(reported - _expected_now()) < datetime.timedelta(seconds=10)


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_rules_read_the_session_clock():
    with connection.cursor() as cursor:
        cursor.execute("SELECT jeonju_now()")
        (database_now,) = cursor.fetchone()
    assert abs(database_now - _expected_now()) < datetime.timedelta(seconds=10)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", None),
        ("2027-06-20T23:50+09:00", datetime.datetime(2027, 6, 20, 23, 50, tzinfo=KST)),
        ("2028-02-29T12:00:00", datetime.datetime(2028, 2, 29, 12, 0, tzinfo=KST)),
        ("2027-12-31T14:59:30+00:00", datetime.datetime(2027, 12, 31, 23, 59, 30, tzinfo=KST)),
    ],
)
def test_test_clock_values_are_read_as_written(value, expected):
    assert session_clock.parse(value) == expected


def test_a_malformed_test_clock_is_refused_with_the_accepted_forms():
    with pytest.raises(ValueError, match="neither 'random' nor an ISO 8601 moment"):
        session_clock.parse("next tuesday")


def test_random_moments_lie_in_the_next_two_years_and_reach_the_moments_that_break_date_code():
    moments = [session_clock.draw(random.Random(seed), real_now=REAL_NOW) for seed in range(400)]
    assert all(REAL_NOW < moment <= REAL_NOW + datetime.timedelta(days=731) for moment in moments)
    local = [moment.astimezone(KST) for moment in moments]

    def seen(condition):
        return sum(1 for moment in local if condition(moment))

    assert seen(lambda m: m.weekday() == 6 and m.hour >= 21) >= 5
    assert seen(lambda m: (m + datetime.timedelta(days=1)).day == 1 and m.hour == 23) >= 5
    assert seen(lambda m: (m.month, m.day) == (12, 31)) >= 5
    assert seen(lambda m: (m.month, m.day) == (2, 29)) >= 5
    assert seen(lambda m: m.hour >= 21) >= 40  # late evening in Korea: still the previous day in UTC
    assert len({moment.date() for moment in local}) > 150  # and plenty of ordinary days


def test_a_random_moment_printed_by_ci_is_read_back_as_the_same_moment():
    moment = session_clock.draw(random.Random(7), real_now=REAL_NOW)
    assert session_clock.parse(session_clock.format_moment(moment)) == moment
    assert session_clock.format_moment(moment) in session_clock.describe(moment)


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_database_follows_a_moment_that_a_test_pins_and_returns_after_it():
    def database_now():
        with connection.cursor() as cursor:
            cursor.execute("SELECT jeonju_now()")
            return cursor.fetchone()[0]

    pinned = datetime.datetime(2029, 2, 28, 23, 59, 30, tzinfo=KST)
    with time_machine.travel(pinned, tick=False):
        assert abs(database_now() - pinned) < datetime.timedelta(seconds=2)
    assert abs(database_now() - _expected_now()) < datetime.timedelta(seconds=10)
