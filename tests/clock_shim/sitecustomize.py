"""Loaded by every Python subprocess of a test session whose clock was moved (see tests/session_clock.py):
the subprocess's clocks stand where the session's do, so a Celery worker or gunicorn judges dates as the test
that started it does."""

import datetime
import os

_offset = os.environ.get("JEONJU_TEST_CLOCK_OFFSET")
if _offset:
    import time_machine

    time_machine.travel(
        datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=float(_offset)), tick=True
    ).start()
    # The clock ticks from its first reading (time-machine): read it at once so the offset holds.
    datetime.datetime.now()
