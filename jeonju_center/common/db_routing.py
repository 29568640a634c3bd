"""Reads on the read replica, writes and everything that must see them on the primary.

With ``DATABASE_REPLICA_URL`` set the settings add a second alias, ``replica``: a streaming standby of the
primary (``default``). Which alias a read goes to is decided per request, never per model:

* Only a request marked by ``ReplicaReadsMiddleware`` reads from the replica: a safe method (GET, HEAD,
  OPTIONS) on a public page or the API, by a visitor who is not staff and who has not written in the last
  ``DATABASE_REPLICA_READ_YOUR_WRITES_SECONDS`` (read-your-writes: a signed cookie holds the moment until which
  the visitor reads from the primary; any unsafe request, or any write during a request, sets it).
* Celery tasks, management commands and the back office never read from the replica (nothing marks them).
* Inside a transaction (an ``atomic`` block) every read goes to the primary: a transaction reads what it is
  about to write, and ``select_for_update`` is a write for Django's router (it locks rows) anyway.
* ``use_primary`` (a context manager and a decorator) pins a block to the primary: the enrolment, call
  application and space booking views, which take row locks and show seats or rooms that must be current.

The replica lags: what it shows is committed data of a moment ago, a few milliseconds usually, longer under
load or while a standby replays a large transaction. Pages that may show it are the ones whose reader cannot
tell (a catalogue, a product list, an API page that a partner polls).
Without the ``replica`` alias, or when it names the primary itself (the test suite's MIRROR of ``default``), the
router answers nothing and every query goes to ``default``.
"""

import contextvars
import time
from contextlib import ContextDecorator

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
PRIMARY_UNTIL_COOKIE = "db_primary_until"
_COOKIE_SALT = "jeonju_center.common.db_routing"

# "replica" while a marked request runs; primary otherwise (the default: tasks, commands, tests, the shell).
_reads_from = contextvars.ContextVar("jeonju_reads_from", default=DEFAULT_DB_ALIAS)
# How many use_primary blocks are open around the current code.
_pinned_to_primary = contextvars.ContextVar("jeonju_pinned_to_primary", default=0)
# Set by the router when anything is written during a request, so the response starts read-your-writes.
_wrote = contextvars.ContextVar("jeonju_wrote", default=None)


def _database(alias):
    settings_dict = connections[alias].settings_dict
    return settings_dict["HOST"], str(settings_dict["PORT"]), settings_dict["NAME"]


def replica_configured():
    """Whether a replica alias exists that is another database than the primary: one that names the primary
    itself (a test MIRROR, or the same URL twice) would only cost a second connection."""
    return REPLICA in connections.settings and _database(REPLICA) != _database(DEFAULT_DB_ALIAS)


class use_primary(ContextDecorator):
    """Every read inside goes to the primary, whatever the request would otherwise read from."""

    # A counter, not a token kept on the instance: one decorated view's instance serves every thread at once
    # (each thread has its own context, so its own counter).
    def __enter__(self):
        _pinned_to_primary.set(_pinned_to_primary.get() + 1)
        return self

    def __exit__(self, *exc):
        _pinned_to_primary.set(_pinned_to_primary.get() - 1)
        return False


def reads_from_replica():
    """Whether a read issued here and now goes to the replica."""
    return (
        _reads_from.get() == REPLICA
        and not _pinned_to_primary.get()
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        and replica_configured()
    )


class PrimaryReplicaRouter:
    """``DATABASE_ROUTERS`` entry: see the module's docstring. Answers nothing without the replica alias."""

    def db_for_read(self, model, **hints):
        if not replica_configured():
            return None
        # Always an answer: left to itself Django reads a row's relations from the database the row came from,
        # which for a row read on the replica would be the replica again inside a transaction or use_primary.
        return REPLICA if reads_from_replica() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        wrote = _wrote.get()
        if wrote is not None:
            wrote[0] = True
        if replica_configured():
            # An instance read from the replica is saved on the primary.
            return DEFAULT_DB_ALIAS
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases are the same database: a row read from one may point at a row read from the other.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A standby is read-only: it receives the primary's migrations by replication.
        if db == REPLICA:
            return False
        return None


def _read_your_writes_seconds():
    return getattr(settings, "DATABASE_REPLICA_READ_YOUR_WRITES_SECONDS", 10)


def _primary_until(request):
    try:
        return float(request.get_signed_cookie(PRIMARY_UNTIL_COOKIE, default="0", salt=_COOKIE_SALT))
    except ValueError:
        return 0.0


def _replica_allowed(request):
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        return False
    if request.path.startswith(f"/{settings.ADMIN_URL}"):
        return False
    if _primary_until(request) > time.time():
        return False
    # Staff work on what they just changed; their pages are the back office's. Reading request.user here
    # loads the session and the account from the primary, before the replica is chosen: both change on
    # sign-in and sign-out.
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated and user.is_staff)


class ReplicaReadsMiddleware:
    """Marks the requests that may read from the replica and starts read-your-writes after a write.

    Placed after ``AuthenticationMiddleware``; does nothing when no replica is configured."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        wrote = [False]
        wrote_token = _wrote.set(wrote)
        reads_token = _reads_from.set(REPLICA if _replica_allowed(request) else DEFAULT_DB_ALIAS)
        try:
            response = self.get_response(request)
        finally:
            _reads_from.reset(reads_token)
            _wrote.reset(wrote_token)
        if wrote[0] or request.method not in ("GET", "HEAD", "OPTIONS", "TRACE"):
            seconds = _read_your_writes_seconds()
            response.set_signed_cookie(
                PRIMARY_UNTIL_COOKIE,
                f"{time.time() + seconds:.3f}",
                salt=_COOKIE_SALT,
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
