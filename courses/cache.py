"""Course pages for anonymous visitors, kept whole in the shared cache (Redis in production).

The catalogue and a course's page are the busiest public pages. What an anonymous visitor sees on them depends
only on the address, the language and the data, so each is rendered once and kept; signed-in visitors, and
anyone with a message waiting to be shown, always get a fresh page (the course page shows their own
enrolment). The one per-visitor part of an anonymous page, the CSRF token of the language switch, is rendered
as a placeholder and filled in for each visitor, who gets their own token and cookie as usual.

Never stale:

* Every entry carries the catalogue *version* it was rendered at. The version is bumped at and after the
  commit of any change to a course, a session, an enrolment, a track or a dong: the ``changed`` event of
  ``jeonju_center.common.changes``, sent for saves, deletes and bulk writes alike (an admin edit, an import,
  a cascade delete or a retention job's ``update()`` counts too) — seats left and the waiting list are
  always current.
* The version is read *before* the database, and bumped again *after* the commit, so an entry rendered
  from data older than a change always carries an older version than the one in force after it.
* An entry also records when it stops being valid by itself (the next opening or closing of an enrolment
  window, which changes badges and buttons without any write), and expires after ``MAX_AGE`` at the latest.

An entry is looked up together with the version in one round trip (``get_many``): a hit runs no SQL.
"""

import hashlib
import logging
import time

from django.contrib.messages import get_messages
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
# A cache that cannot be reached makes pages slower, never broken: pages are rendered, writes go through.
CACHE_ERRORS = (RedisError, OSError)

VERSION_KEY = "courses:public:version"
KEY_PREFIX = "courses:public:"
# A safety net for changes nothing reports (e.g. SQL run by hand in the database); seconds.
MAX_AGE = 600
# Rendered where the visitor's CSRF token goes (``{% csrf_token %}`` escapes nothing in it).
CSRF_PLACEHOLDER = "csrf-token-placeholder-4d1f8a"


def _initial_version():
    # After the key was evicted or flushed, a fresh value that no surviving entry can carry.
    return time.time_ns()


def current_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, _initial_version(), timeout=None)
        version = cache.get(VERSION_KEY)
    return version


# INCR when the version exists, else a fresh one: one round trip. An enrolment bumps it while it holds the
# course's lock, which every other applicant waits for (Django's ``incr`` is EXISTS then INCR).
_BUMP_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('INCR', KEYS[1]) end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]
"""


def _bump_now():
    try:
        backend = caches[DEFAULT_CACHE_ALIAS]
        if isinstance(backend, RedisCache):
            full_key = backend.make_and_validate_key(VERSION_KEY)
            backend._cache.get_client(full_key, write=True).eval(
                _BUMP_SCRIPT, 1, full_key, _initial_version()
            )
            return
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # no version yet (or evicted): any new value invalidates every entry
            cache.set(VERSION_KEY, _initial_version(), timeout=None)
    except CACHE_ERRORS:
        # The change is saved all the same; entries kept elsewhere run out after MAX_AGE at the latest.
        logger.warning("Could not invalidate the cached course pages", exc_info=True)


def bump_version():
    """Invalidate every cached course page now and again once the current transaction commits.

    The second bump retires what another request rendered from the old rows (still the committed ones)
    and cached under the first bump's version while this transaction was running; the first one makes the
    change visible at once to code that reads it inside the same transaction (and to tests, whose
    transaction never commits)."""
    _bump_now()
    transaction.on_commit(_bump_now)


def page_key(request):
    """One entry per address (path and query string, as sent) and language."""
    digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}{get_language()}:{digest}"


def get_page(key):
    """``(entry, version)``: the cached entry (a dict) if it is still valid, else None, and the version to
    store a new entry with."""
    try:
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        if version is None:
            return None, current_version()
    except CACHE_ERRORS:
        logger.warning("Course page cache unavailable", exc_info=True)
        return None, None
    entry = found.get(key)
    if entry is not None and entry["version"] == version and time.time() < entry["valid_until"]:
        return entry, version
    return None, version


def set_page(key, version, *, valid_until=None, **content):
    """Keep ``content`` (strings) for ``key``, rendered at ``version``, until ``valid_until`` (a datetime)."""
    if version is None:
        return  # the cache could not be read: do not write to it either
    now = time.time()
    until = now + MAX_AGE
    if valid_until is not None:
        until = min(until, valid_until.timestamp())
    if until <= now:
        return
    try:
        cache.set(
            key, {"version": version, "valid_until": until, **content}, timeout=max(1, int(until - now) + 1)
        )
    except CACHE_ERRORS:
        logger.warning("Course page cache unavailable", exc_info=True)


def is_shared(request):
    """True when this visitor's page is the same as every anonymous visitor's: not signed in, and no message
    waiting for the next page (counting them loads them without marking them shown)."""
    return not request.user.is_authenticated and not len(get_messages(request))


def _for_visitor(request, html):
    return html.replace(CSRF_PLACEHOLDER, get_token(request))


def shared_page(request, render):
    """The page of an anonymous visitor (see ``is_shared``) from the cache, or rendered and kept.

    ``render(csrf_token, now)`` renders it with ``csrf_token`` as the template's CSRF token and returns the
    response and when it stops being valid by itself (or None); ``now`` is taken before the database is read.
    Only 200 responses are kept.
    """
    key = page_key(request)
    entry, version = get_page(key)
    if entry is None:
        response, valid_until = render(CSRF_PLACEHOLDER, timezone.now())
        html = response.content.decode(response.charset)
        if response.status_code != 200:
            response.content = _for_visitor(request, html)
            return response
        entry = {"html": html, "content_type": response["Content-Type"]}
        set_page(key, version, valid_until=valid_until, **entry)
    return HttpResponse(_for_visitor(request, entry["html"]), content_type=entry["content_type"])


# --- Invalidation -------------------------------------------------------------------------------------


def _changed(sender, **kwargs):
    bump_version()


def connect():
    """Follow every model the public course pages show (from ``CoursesConfig.ready``)."""
    from jeonju_center.common.changes import changed, follow
    from jeonju_center.common.models import Dong

    from .models import Course, CourseSession, Enrollment, Track

    for model in (Course, CourseSession, Enrollment, Track, Dong):
        follow(model)
        changed.connect(_changed, sender=model, dispatch_uid=f"courses-page-cache-{model.__name__}")
