"""When the database cannot answer: tell the visitor to try again instead of showing a server error.

Two kinds of trouble reach a request as ``OperationalError``/``InterfaceError``:

* contention: a row lock was not granted within ``DB_LOCK_TIMEOUT_MS`` (or a deadlock/serialisation
  failure was resolved against this request). The transaction was rolled back, the connection is fine;
  the same request is likely to succeed a moment later. Views that take locks answer this themselves
  (e.g. the enrolment page shows its own message).
* a lost connection: PostgreSQL restarted, a backend was terminated, the network dropped. Django closes
  the broken connection at the end of the request and ``CONN_HEALTH_CHECKS`` replaces a stale persistent
  one at the start of the next, so again the next request is expected to succeed.

Either way the answer is a 503 with ``Retry-After``: a small self-contained Korean page, or the API's
JSON error shape under ``/api/``. Building it must not touch the database (it is the thing that failed),
so the page is not rendered through the site's templates, whose header needs the signed-in user.
"""

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 10

# SQLSTATEs of contention: lock_not_available (lock_timeout), deadlock_detected, serialization_failure.
CONTENTION_SQLSTATES = frozenset({"55P03", "40P01", "40001"})


def _sqlstate(error):
    """The PostgreSQL error code behind a Django database error (psycopg2's ``pgcode``), if any."""
    for candidate in (error, error.__cause__):
        code = getattr(candidate, "pgcode", None)
        if code:
            return code
    return None


# SQLite (the embedded development database) says it in words: SQLITE_BUSY after its timeout, or
# SQLITE_LOCKED for a table another connection of the same process holds.
SQLITE_CONTENTION_MESSAGES = ("database is locked", "database table is locked")


def is_contention(error):
    """True when ``error`` means "busy, try again": the lock timeout, a deadlock, a serialisation failure
    (PostgreSQL), or a locked database (SQLite)."""
    if not isinstance(error, OperationalError):
        return False
    if _sqlstate(error) in CONTENTION_SQLSTATES:
        return True
    return str(error).startswith(SQLITE_CONTENTION_MESSAGES)


def is_database_unavailable(error):
    """True for the database errors a visitor can do nothing about except retrying later."""
    return isinstance(error, OperationalError | InterfaceError)


def _message(error):
    if is_contention(error):
        return _("지금 요청이 많아 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.")
    return _("데이터베이스에 잠시 연결할 수 없어 요청을 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.")


def unavailable_response(request, error):
    """503 for ``error`` (see ``is_database_unavailable``), in the API's JSON shape under /api/."""
    if request.path.startswith("/api/"):
        body = {"code": "service_unavailable", "detail": _message(error), "errors": {}}
        response = JsonResponse(body, status=503)
    else:
        retry = ""
        if request.method in ("GET", "HEAD"):
            # Repeating a GET is safe; a form is better sent again from its own page than re-posted.
            retry = format_html('<a href="{}">{}</a> · ', request.get_full_path(), _("다시 시도"))
        page = format_html(
            '<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            "<title>{title} | {site}</title>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n<p>{message}</p>\n"
            '<p>{retry}<a href="{home}">{home_label}</a></p>\n</main>\n</body>\n</html>\n',
            lang=(get_language() or "ko")[:2],
            title=_("잠시 후 다시 시도해 주세요"),
            site=_("전주도시혁신센터"),
            message=_message(error),
            retry=retry,
            home=reverse("home"),
            home_label=_("첫 화면으로"),
        )
        response = HttpResponse(page, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
