"""The embedded SQLite database of `make run`: two requests writing at once (a double-clicked 신청 button)
queue for the lock instead of one failing with "database is locked", and a lock that is not granted in
time is the same "busy, try again" as PostgreSQL's lock timeout."""

import threading
import time

import pytest
from django.db import OperationalError, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.test import RequestFactory

from jeonju_center.common import db_errors
from jeonju_center.settings import sqlite_options


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):
    """Opens connections to one SQLite file with the portal's options (not the test database, so
    pytest-django's guard is lifted for them); closes them afterwards."""
    opened = []
    django_db_blocker.unblock()

    def connect(alias, **overrides):
        options = {**sqlite_options(lock_timeout_ms=5000), **overrides}
        wrapper = DatabaseWrapper(
            {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(tmp_path / "portal.sqlite3"),
                "OPTIONS": options,
                "ATOMIC_REQUESTS": False,
                "AUTOCOMMIT": True,
                "CONN_MAX_AGE": 0,
                "CONN_HEALTH_CHECKS": False,
                "TIME_ZONE": None,
                "USER": "",
                "PASSWORD": "",
                "HOST": "",
                "PORT": "",
                "TEST": {},
            },
            alias=alias,
        )
        connections[alias] = wrapper
        opened.append(alias)
        return wrapper

    yield connect
    django_db_blocker.restore()
    for alias in opened:
        if hasattr(connections._connections, alias):  # opened in this thread
            connections[alias].close()
            del connections[alias]


def read_then_write(connect, alias, results, **options):
    """What enrolling does: read the course's counts, then write an enrolment, in one transaction.
    Runs in its own thread with its own connection (Django's connections belong to one thread)."""
    connect(alias, **options)
    try:
        with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM seats")
            taken = cursor.fetchone()[0]
            time.sleep(0.2)  # both requests are inside their transactions at the same time
            cursor.execute("INSERT INTO seats (number) VALUES (%s)", [taken + 1])
        results[alias] = "ok"
    except OperationalError as error:
        results[alias] = str(error)
    finally:
        connections[alias].close()


def race(connect, **options):
    results = {}
    threads = [
        threading.Thread(target=read_then_write, args=(connect, alias, results), kwargs=options)
        for alias in ("first", "second")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_two_writers_at_once_queue_and_both_succeed(sqlite_file):
    setup = sqlite_file("setup")
    with setup.cursor() as cursor:
        cursor.execute("CREATE TABLE seats (number INTEGER UNIQUE)")
    assert race(sqlite_file) == {"first": "ok", "second": "ok"}
    with setup.cursor() as cursor:
        cursor.execute("SELECT number FROM seats ORDER BY number")
        assert [row[0] for row in cursor.fetchall()] == [1, 2]  # the second saw the first's seat


def test_the_same_race_without_immediate_transactions_fails_which_is_why_they_are_on(sqlite_file):
    with sqlite_file("setup").cursor() as cursor:
        cursor.execute("CREATE TABLE seats (number INTEGER UNIQUE)")
    assert "database is locked" in race(sqlite_file, transaction_mode="DEFERRED").values()


def test_a_lock_not_granted_in_time_is_busy_try_again(sqlite_file):
    holder = sqlite_file("holder")
    impatient = sqlite_file("impatient", timeout=0.05)
    with holder.cursor() as cursor:
        cursor.execute("CREATE TABLE seats (number INTEGER)")
    with transaction.atomic(using="holder"):
        with holder.cursor() as cursor:
            cursor.execute("INSERT INTO seats (number) VALUES (1)")
        with (
            pytest.raises(OperationalError) as refused,
            transaction.atomic(using="impatient"),
            impatient.cursor() as cursor,
        ):
            cursor.execute("INSERT INTO seats (number) VALUES (2)")
    assert db_errors.is_contention(refused.value)
    response = db_errors.unavailable_response(RequestFactory().post("/courses/x/enroll/"), refused.value)
    assert response.status_code == 503 and response["Retry-After"]
    assert "지금 요청이 많아 처리하지 못했습니다" in response.content.decode()
