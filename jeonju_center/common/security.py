"""Security plumbing shared by every page: login lockout hooks for django-axes, the Content-Security-Policy
per part of the site, ``Cache-Control: no-store`` on personal pages, Permissions-Policy and the staff
session's idle timeout.

What is where, in one place:

* lockout (OWASP ASVS 5.0 V6.3, brute force): axes counts failed logins per *typed login + client IP*;
  ``AXES_FAILURE_LIMIT`` failures lock that pair for ``AXES_COOLOFF_TIME``. The admin's and allauth's
  logins both go through ``django.contrib.auth.authenticate`` with the request, so both are covered.
* CSP: the settings hold the strict public policy (scripts and styles from the portal only); the admin
  and the API's HTML pages get the few relaxations their third-party templates need (see ``PATH_POLICIES``).
* no-store: every answer to a signed-in person, and everything under the admin, ``/accounts/`` and ``/me/``.
"""

import ipaddress
import time
from datetime import timedelta
from functools import lru_cache
from urllib.parse import urlsplit

from axes.backends import AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_credentials, get_failure_limit
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.signals import setting_changed
from django.db.models import Max, Sum
from django.dispatch import receiver
from django.shortcuts import render
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

# --- Client address and login identity (django-axes hooks) -------------------------------------------


def client_ip_address(request):
    """The client's address: ``REMOTE_ADDR``, or, behind ``TRUSTED_PROXY_COUNT`` reverse proxies, the address
    the outermost trusted proxy saw.

    Each proxy appends the address it received the request from to ``X-Forwarded-For``, so only the last
    ``TRUSTED_PROXY_COUNT`` entries were written by our own proxies; anything left of them is whatever the
    client sent and must never be trusted (an attacker would otherwise pick a fresh address per attempt
    and never be locked out).
    """
    remote = request.META.get("REMOTE_ADDR") or None
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            candidate = hops[-count]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return remote


def login_identifier(request, credentials=None):
    """What the person typed as their login (the admin's ``username``, allauth's e-mail ``login``), case-folded.

    The same value must come out for a failure and for the later success, so that a successful login resets
    the failures: the typed value from the form is preferred over the credentials, because axes passes
    ``user.get_username()`` on success, which for citizens is not the e-mail they typed.
    """
    posted = getattr(request, "POST", None) or {}
    value = posted.get("login") or posted.get("username")
    if not value and credentials:
        value = credentials.get("email") or credentials.get("username")
    value = str(value).strip().casefold() if value else ""
    return value[:255] or None


def _account_attempts(identifier):
    from axes.models import AccessAttempt

    since = timezone.now() - (get_cool_off() or timedelta(minutes=30))
    return AccessAttempt.objects.filter(username=identifier, attempt_time__gte=since)


def account_is_locked(request, credentials):
    """Failures for one login from every address together, within the cool-off, reached
    ``AXES_ACCOUNT_FAILURE_LIMIT``: a guess spread over many addresses stops too (the per-pair limit alone
    lets the fifth address in after twenty failures)."""
    identifier = login_identifier(request, credentials)
    if not identifier:
        return False
    failures = _account_attempts(identifier).aggregate(total=Sum("failures_since_start"))["total"] or 0
    return failures >= settings.AXES_ACCOUNT_FAILURE_LIMIT


class PortalLockoutBackend(AxesStandaloneBackend):
    """axes' lockout per login and address, plus a lockout per login from all addresses together."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None:
            credentials = get_credentials(username=username, password=password, **kwargs)
            if account_is_locked(request, credentials):
                request.axes_locked_out = True
                request.axes_account_locked = True
                request.axes_credentials = credentials
                raise AxesBackendPermissionDenied("the account is locked after failures from many addresses")
        return super().authenticate(request, username=username, password=password, **kwargs)


class TestClientLockoutBackend(PortalLockoutBackend):
    """The lockout backend of the *test* settings only.

    Django's test ``Client.login()`` calls ``authenticate()`` without a request, which axes' own backend
    refuses with an exception (rightly: in production every password check must be counted). Here such a
    call is passed on to the password backends; web logins always carry their request, so the lockout
    tests still exercise the real checks.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def _lock_ends_at(request, credentials, cool_off):
    """When the lock lifts: the last counted failure plus the cool-off (failures during a lockout are not
    counted, see ``AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT``)."""
    now = timezone.now()
    handler = AxesProxyHandler.get_implementation()
    last_failure = None
    if hasattr(handler, "get_user_attempts"):
        for attempts in handler.get_user_attempts(request, credentials):
            latest = attempts.aggregate(latest=Max("attempt_time"))["latest"]
            if latest and (last_failure is None or latest > last_failure):
                last_failure = latest
    return max((last_failure or now) + cool_off, now)


def lockout_response(request, original_response=None, credentials=None):
    """The page shown instead of the login form while a client is locked out (``AXES_LOCKOUT_CALLABLE``):
    HTTP 429 with ``Retry-After`` and, in Korean, when the person can try again."""
    cool_off = get_cool_off(request) or timedelta(minutes=30)
    account_locked = getattr(request, "axes_account_locked", False)
    if account_locked:
        last = _account_attempts(login_identifier(request, credentials)).aggregate(latest=Max("attempt_time"))
        retry_at = max((last["latest"] or timezone.now()) + cool_off, timezone.now())
    else:
        retry_at = _lock_ends_at(request, credentials, cool_off)
    seconds = max(int((retry_at - timezone.now()).total_seconds()), 1)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "cool_off_minutes": max(int(cool_off.total_seconds() // 60), 1),
        "retry_at": timezone.localtime(retry_at),
        "retry_minutes": -(-seconds // 60),
        "is_admin_login": in_back_office(request),
        "account_locked": account_locked,
        "account_failure_limit": settings.AXES_ACCOUNT_FAILURE_LIMIT,
    }
    response = render(request, "security/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
    response["Retry-After"] = str(seconds)
    return response


# --- Path prefixes --------------------------------------------------------------------------------------

# Pages that show or take personal data whoever asks: sign-in/sign-up and the citizen's account pages
# (allauth and ``accounts``), and the citizen's own enrolments, calendar feed and certificates.
PERSONAL_PATH_PREFIXES = ("/accounts/", "/me/")


# reverse() of the paths every response is compared with, per URLconf and script prefix: reversing costs more
# than the rest of the comparison. Emptied when a setting changes (tests swap URLconfs and policies).
_REVERSED = {}


def _reversed(name):
    key = (name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    if key not in _REVERSED:
        try:
            _REVERSED[key] = reverse(name)
        except NoReverseMatch:
            _REVERSED[key] = None
    return _REVERSED[key]


def _admin_prefix():
    return _reversed("admin:index")


def _api_docs_path():
    return _reversed("api:docs")


def _is_under(path, prefix):
    return bool(prefix) and path.startswith(prefix)


def in_back_office(request):
    """Whether ``request`` is for a back-office page: its path (with the script prefix the portal is served
    under) starts with the admin's, as ``reverse`` gives it."""
    return _is_under(request.path, _admin_prefix())


# --- Content-Security-Policy ----------------------------------------------------------------------------

SELF = "'self'"
UNSAFE_INLINE = "'unsafe-inline'"
# django-import-export's export page has one inline handler (``onchange="onSelectToggleChange(event)"`` on
# "select all"); CSP level 3 lets exactly that handler run by its hash instead of allowing any inline code.
IMPORT_EXPORT_SELECT_ALL_HANDLER = "'sha256-wid4zL8fR53ZYy1ljOepzR77Dn6vWUUxuNnnWWBP3I8='"

# Additions per part of the site to the strict public policy of the settings (merged into its directives).
ADMIN_POLICY = {
    # Django admin and its add-ons (import-export, history, our own back-office templates, the newsletter
    # preview, which is an e-mail with inline styles) use style attributes and <style> blocks.
    "style-src": [SELF, UNSAFE_INLINE],
    "script-src": [SELF, "'unsafe-hashes'", IMPORT_EXPORT_SELECT_ALL_HANDLER],
}
API_POLICY = {
    # DRF's browsable API (staff sessions) positions parts of the page with style attributes.
    "style-src": [SELF, UNSAFE_INLINE],
}
API_DOCS_POLICY = {
    # Swagger UI is served from our static files (drf-spectacular-sidecar) and starts from a script at its own
    # URL, so scripts stay same-origin only; the UI sets style attributes and shows data: images.
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:"],
}


@lru_cache(maxsize=8)
def tile_source(tile_url):
    """The CSP source of the map tile server in ``REGENERATION_MAP_TILE_URL``, e.g.
    ``https://{s}.tile.example.org/{z}/{x}/{y}.png`` → ``https://*.tile.example.org``; None if relative."""
    parts = urlsplit(tile_url or "")
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return None
    labels = ["*" if "{" in label else label for label in parts.hostname.split(".")]
    host = ".".join(labels)
    if "*" in labels[1:]:
        # CSP only allows a wildcard as the left-most label.
        return None
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


# What a view can set on its response to change its policy (django-csp's decorators), or to have none.
_PER_RESPONSE_POLICY = tuple(
    f"_csp_{what}{suffix}" for what in ("config", "update", "replace", "exempt") for suffix in ("", "_ro")
)
# The policy headers of a response that uses its part of the site's policy unchanged, per part and tile server.
_SECTION_HEADERS = {}


def _section(request):
    """The part of the site a request is in, for its policy: reverse() includes the script prefix, as
    request.path does (request.path_info does not)."""
    if in_back_office(request):
        return "admin"
    if request.path == _api_docs_path():
        return "api-docs"
    if request.path_info.startswith("/api/"):
        return "api"
    return "public"


SECTION_POLICIES = {"admin": ADMIN_POLICY, "api-docs": API_DOCS_POLICY, "api": API_POLICY, "public": {}}


@receiver(setting_changed)
def _forget_reversed_paths_and_policies(**kwargs):
    _REVERSED.clear()
    _SECTION_HEADERS.clear()


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware plus the per-path additions above and the map tile host of the settings
    (read per request, so a changed ``REGENERATION_MAP_TILE_URL`` needs no other edit).

    A response without a nonce and without a view's own policy gets its part of the site's policy as it was
    built the first time: building it (twice, enforced and report-only) was a fifth of the time of a cached
    API answer."""

    def process_response(self, request, response):
        key = self._shared_policy_key(request, response)
        if key is None:
            return super().process_response(request, response)
        headers = _SECTION_HEADERS.get(key)
        if headers is None:
            response = super().process_response(request, response)
            _SECTION_HEADERS[key] = [
                (name, response[name]) for name in (HEADER, HEADER_REPORT_ONLY) if name in response
            ]
            return response
        for name, value in headers:
            response.headers[name] = value
        # As django-csp does: a nonce asked for after the header was written would not be in it.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    @staticmethod
    def _shared_policy_key(request, response):
        """The key under which this response's policy headers are shared, or None if they are its own."""
        if getattr(request, "_csp_nonce", None) is not None:
            return None
        if any(hasattr(response, attribute) for attribute in _PER_RESPONSE_POLICY):
            return None
        if HEADER in response or HEADER_REPORT_ONLY in response:
            return None
        if settings.DEBUG and response.status_code in (404, 500):
            return None  # django-csp leaves Django's debug pages alone
        for setting in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
            if (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES"):
                return None
        return (_section(request), getattr(settings, "REGENERATION_MAP_TILE_URL", ""))

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        additions = SECTION_POLICIES[_section(request)]
        tile = tile_source(getattr(settings, "REGENERATION_MAP_TILE_URL", ""))
        if tile:
            additions = {**additions, "img-src": [*additions.get("img-src", [SELF]), tile]}
        if additions:
            update = {key: _as_list(value) for key, value in (parts.update or {}).items()}
            for directive, sources in additions.items():
                update[directive] = [*update.get(directive, []), *sources]
            parts.update = update
        return parts


def _as_list(value):
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


# --- Other headers, no-store and the staff idle timeout -----------------------------------------------


# The clock minute of a staff session's last renewal (``SecurityHeadersMiddleware``).
STAFF_ACTIVE_MINUTE = "staff_active_minute"


def _signed_in_user(request):
    """The signed-in person, or None — without loading the session for visitors who have none, so that
    anonymous pages are not marked ``Vary: Cookie`` by this check alone."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user = getattr(request, "user", None)
    if isinstance(user, AbstractBaseUser) and user.is_authenticated:
        return user
    return None


def is_personal(request):
    if in_back_office(request) or request.path_info.startswith(PERSONAL_PATH_PREFIXES):
        return True
    return _signed_in_user(request) is not None


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set, ``no-store`` on personal data, and the staff
    session's idle timeout.

    Must come after ``AuthenticationMiddleware`` (it reads ``request.user``) and before
    ``ConditionalGetMiddleware`` in the response order, i.e. later in ``MIDDLEWARE``: a no-store answer
    then gets no ETag either.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = _signed_in_user(request)
        idle = getattr(settings, "STAFF_SESSION_IDLE_TIMEOUT", None)
        if user is not None and user.is_staff and idle:
            # 개인정보의 안전성 확보조치 기준 (접속 시간 제한): a staff session that handles personal data ends
            # after a period without activity: a sliding window, renewed on the first request of each clock minute
            # (renewing writes the session; on every request it was an UPDATE per back-office page). The session
            # ends between ``idle`` minus a minute and ``idle`` after the last request, never later.
            minute = int(time.time() // 60)
            if request.session.get(STAFF_ACTIVE_MINUTE) != minute:
                request.session[STAFF_ACTIVE_MINUTE] = minute
                request.session.set_expiry(int(idle))
        response = self.get_response(request)
        policy = getattr(settings, "PERMISSIONS_POLICY", "")
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        if is_personal(request):
            # Shared caches, proxies and the browser's back/forward cache must not keep personal pages.
            if "Cache-Control" in response.headers:
                del response.headers["Cache-Control"]
            add_never_cache_headers(response)
            response.headers["Pragma"] = "no-cache"
        return response
