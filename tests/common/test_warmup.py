"""The web process's warm-up (jeonju_center/common/warmup.py): what the first requests would have built is
built, for every language, and nothing is opened that a fork would share.

No ``django_db`` mark on purpose: a query during the warm-up fails these tests."""

import gc
import socket

import pytest
from django.urls import clear_url_caches, reverse
from django.urls.resolvers import URLResolver
from django.utils import translation

from courses import calendars
from jeonju_center.common import warmup

NAMES = [
    ("admin:index", []),
    ("admin:courses_course_changelist", []),
    ("api:docs", []),
    ("courses:detail", ["a-course"]),
    ("courses:enroll", ["a-course"]),
    ("accounts:profile", []),
]


@pytest.fixture
def cold_process():
    """The state of a worker that has served nothing: no reverse table, no calendar zone, nothing frozen."""
    clear_url_caches()
    calendars._timezone_ical.cache_clear()
    gc.unfreeze()
    yield
    gc.unfreeze()
    clear_url_caches()


@pytest.fixture
def tables_built(monkeypatch):
    """Every reverse table built from now on (the resolvers ``_populate`` is called on)."""
    built = []
    populate = URLResolver._populate

    def recording(resolver):
        built.append(resolver)
        return populate(resolver)

    monkeypatch.setattr(URLResolver, "_populate", recording)
    return built


def _reverse_all():
    for code in ("ko", "ko-kr", "en"):
        with translation.override(code):
            for name, args in NAMES:
                reverse(name, args=args)


def test_a_cold_process_builds_its_reverse_tables_on_its_first_requests(cold_process, tables_built):
    _reverse_all()
    assert len(tables_built) >= 6  # the URLconf's and the admin's, each per language at least


def test_after_the_warm_up_no_reverse_builds_a_table_in_any_language(cold_process, tables_built):
    warmup.warm_up()
    tables_built.clear()
    _reverse_all()
    assert tables_built == []


def test_the_warm_up_runs_the_apps_hooks_and_freezes_what_it_loaded(cold_process):
    assert calendars._timezone_ical.cache_info().currsize == 0
    warmup.warm_up()
    assert calendars._timezone_ical.cache_info().currsize == 1  # courses: the calendar files' time zone
    assert gc.get_freeze_count() > 0


def test_the_warm_up_opens_no_connection(cold_process, monkeypatch):
    """Under gunicorn's preload it runs in the master: a socket opened here would be every worker's."""
    opened = []

    def refuse(sock, address):
        opened.append(address)
        raise AssertionError(f"warm_up connected to {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    warmup.warm_up()
    assert opened == []
