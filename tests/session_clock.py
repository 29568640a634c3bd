"""The test session's clock: where "now" stands for the whole suite.

``TEST_CLOCK`` moves every clock of the test session to one moment, which then runs on at normal speed:

* unset or empty: the real clock;
* an ISO 8601 moment (``2027-06-20T23:50+09:00``; without an offset it is read as Korean time);
* ``random``: a moment drawn from the next two years, favouring the moments where date code breaks (late evening
  in Korea when UTC is still on the previous day, Sundays, month and year ends, 29 February).

The moment is printed in pytest's header (and by ``.ci/run``) so any failure is reproduced with one variable.
Python's clocks move with time-machine; subprocesses started by tests (Celery workers, gunicorn, ``manage.py``)
inherit it through ``sitecustomize`` in ``tests/clock_shim``; PostgreSQL's rules that read the date call
``jeonju_now()``, which adds the offset that every connection of the session carries in ``PGOPTIONS``.
A test that needs one particular moment still pins it with ``time_machine.travel``.

``python -m tests.session_clock draw`` prints a random moment (what ``.ci/run`` uses). This module imports
nothing of Django: ``.ci/run`` calls it before anything is configured.
"""

import datetime
import os
import random
import re
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")
HORIZON = datetime.timedelta(days=730)
# Read by tests/clock_shim/sitecustomize.py in every Python subprocess of the session.
OFFSET_VARIABLE = "JEONJU_TEST_CLOCK_OFFSET"
# PostgreSQL's jeonju_now() adds this setting to now(); see jeonju_center/common/migrations.
DATABASE_SETTING = "jeonju.clock_offset"
TRANSACTION_STATUS_INERROR = 3  # psycopg2.extensions.TRANSACTION_STATUS_INERROR
SHIM_DIRECTORY = Path(__file__).resolve().parent / "clock_shim"

_session = {"moment": None, "offset": None}


def parse(value, *, real_now=None):
    """The moment ``TEST_CLOCK`` names (an aware datetime), or None for the real clock."""
    value = (value or "").strip()
    if not value:
        return None
    if value.lower() == "random":
        return draw(random.Random(), real_now=real_now)
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError as error:
        raise ValueError(
            f"TEST_CLOCK={value!r} is neither 'random' nor an ISO 8601 moment such as 2027-06-20T23:50+09:00"
        ) from error
    return moment if moment.tzinfo else moment.replace(tzinfo=KST)


def _kst_moment(day, hour, minute, second=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute, second), tzinfo=KST)


def draw(rng, *, real_now=None):
    """A moment in the next two years (KST, whole seconds), half of the time one where date code breaks."""
    start = (real_now or datetime.datetime.now(datetime.UTC)).astimezone(KST) + datetime.timedelta(hours=1)
    end = start + HORIZON
    days = (end.date() - start.date()).days
    any_day = [start.date() + datetime.timedelta(days=n) for n in range(1, days)]

    def pick(candidates):
        return rng.choice(candidates) if candidates else rng.choice(any_day)

    late = (rng.randrange(21, 24), rng.randrange(60), rng.randrange(60))
    kinds = {
        # 21:00–23:59 KST is still the previous day in UTC.
        "kst_late_evening": lambda: _kst_moment(pick(any_day), *late),
        "sunday_night": lambda: _kst_moment(pick([d for d in any_day if d.weekday() == 6]), *late),
        "month_end": lambda: _kst_moment(
            pick([d for d in any_day if (d + datetime.timedelta(days=1)).day == 1]), 23, rng.randrange(45, 60)
        ),
        "year_end": lambda: _kst_moment(
            pick([d for d in any_day if (d.month, d.day) == (12, 31)]), 23, rng.randrange(45, 60)
        ),
        "leap_day": lambda: _kst_moment(
            pick([d for d in any_day if (d.month, d.day) == (2, 29)]), rng.randrange(24), rng.randrange(60)
        ),
        "just_after_midnight": lambda: _kst_moment(pick(any_day), 0, rng.randrange(10), rng.randrange(60)),
    }
    if rng.random() < 0.5:
        return kinds[rng.choice(sorted(kinds))]()
    seconds = rng.randrange(int(HORIZON.total_seconds()))
    return (start + datetime.timedelta(seconds=seconds)).replace(microsecond=0)


def format_moment(moment):
    return moment.astimezone(KST).isoformat(timespec="seconds")


def describe(moment):
    local = moment.astimezone(KST)
    weekday = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"][local.weekday()]
    return f"TEST_CLOCK={format_moment(moment)} ({weekday} in Korea; {moment.astimezone(datetime.UTC):%Y-%m-%d %H:%M} UTC)"


def start(moment):
    """Move this process's clocks to ``moment`` (running on from there) and hand the offset to subprocesses
    and PostgreSQL connections made from now on."""
    import time_machine

    # Already moved when this process was started by a moved one (pytest-xdist's workers): measure from the real clock.
    if time_machine.escape_hatch.is_travelling():
        real_now = datetime.datetime.fromtimestamp(time_machine.escape_hatch.time.time(), datetime.UTC)
    else:
        real_now = datetime.datetime.now(datetime.UTC)
    offset = (moment - real_now).total_seconds()
    time_machine.travel(moment, tick=True).start()
    # time-machine's clock starts ticking at the first reading: read it now, so the offset holds from here on.
    datetime.datetime.now()
    _session.update(moment=moment, offset=offset)
    os.environ[OFFSET_VARIABLE] = repr(offset)
    os.environ["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(SHIM_DIRECTORY), os.environ.get("PYTHONPATH", "")) if part
    )
    os.environ["PGOPTIONS"] = f"{os.environ.get('PGOPTIONS', '')} {database_option()}".strip()
    return offset


def database_option():
    """The libpq option that carries the session's offset to ``jeonju_now()``."""
    return f"-c {DATABASE_SETTING}={_session['offset'] or 0.0:.6f}s"


def _database_clock(execute, sql, params, many, context):
    """Keep PostgreSQL's ``jeonju_now()`` where this process's clock stands while a test pins its own moment.

    Outside a pinned moment the offset of the session (``PGOPTIONS``) holds. Inside one it is set before every
    statement, on the raw cursor (not counted as a query): a rolled-back test transaction takes it back with it, and
    a committed one is put right by the first statement after the pin ends."""
    import time

    import time_machine

    connection = context["connection"]
    if connection.vendor == "postgresql":
        pinned = None
        if time_machine.escape_hatch.is_travelling():
            offset = time.time() - time_machine.escape_hatch.time.time()
            if abs(offset - (_session["offset"] or 0.0)) > 1.0:
                pinned = offset
        raw = connection.connection
        # Not in a failed transaction: there only the ROLLBACK (TO SAVEPOINT) that is coming may run.
        usable = raw is not None and raw.get_transaction_status() != TRANSACTION_STATUS_INERROR
        if usable and (pinned is not None or getattr(connection, "_pinned_clock", False)):
            value = pinned if pinned is not None else (_session["offset"] or 0.0)
            # A cursor of its own: the statement's may be a named (server-side) one that runs once.
            with raw.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, %s, false)", [DATABASE_SETTING, f"{value:.6f} seconds"])
            connection._pinned_clock = pinned is not None
    return execute(sql, params, many, context)


def follow_pinned_clocks(connection, **kwargs):
    """``connection_created`` receiver: the database follows ``time_machine.travel`` inside tests."""
    if _database_clock not in connection.execute_wrappers:
        connection.execute_wrappers.append(_database_clock)


def current_offset():
    """Seconds between this process's clock, as a test may have pinned it, and the real one."""
    import time

    import time_machine

    if not time_machine.escape_hatch.is_travelling():
        return 0.0
    return time.time() - time_machine.escape_hatch.time.time()


def subprocess_environment(environ=None):
    """``environ`` (default: this process's) for a subprocess that must stand where this process's clock stands
    now, a moment a test pinned included."""
    environ = dict(os.environ if environ is None else environ)
    offset = current_offset()
    if not offset:
        return environ
    environ[OFFSET_VARIABLE] = repr(offset)
    environ["PYTHONPATH"] = os.pathsep.join(
        part for part in (str(SHIM_DIRECTORY), environ.get("PYTHONPATH", "")) if part
    )
    options = re.sub(rf"-c {re.escape(DATABASE_SETTING)}=\S+", "", environ.get("PGOPTIONS", ""))
    environ["PGOPTIONS"] = f"{options.strip()} -c {DATABASE_SETTING}={offset:.6f}s".strip()
    return environ


def session_moment():
    """The moment the session's clock was moved to, or None when it runs on the real clock."""
    return _session["moment"]


def session_offset():
    """Seconds between the session's clock and the real one (None on the real clock)."""
    return _session["offset"]


if __name__ == "__main__":
    if sys.argv[1:] != ["draw"]:
        sys.exit("usage: python -m tests.session_clock draw")
    print(format_moment(draw(random.Random())))
