import sys

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import db_errors, health


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers (503 otherwise); the broker's state is reported, not required."""
    db_ok = health.database_ok()
    body = {
        "status": "ok" if db_ok else "error",
        "database": "ok" if db_ok else "unavailable",
        "broker": health.broker_state(),
        "heartbeats": health.heartbeats() if db_ok else {},
    }
    return JsonResponse(body, status=200 if db_ok else 503)


def _is_api(request):
    return request.path.startswith("/api/")


def page_not_found(request, exception):
    """JSON in the API's error shape under /api/, the site's page elsewhere."""
    if _is_api(request):
        return JsonResponse({"code": "not_found", "detail": _("찾을 수 없습니다."), "errors": {}}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    """The 500 handler. A database that cannot answer (a lost connection, a lock not granted in time) is
    not a bug of the page: it answers 503 "try again" instead (see ``db_errors``)."""
    error = sys.exc_info()[1]
    if db_errors.is_database_unavailable(error):
        return db_errors.unavailable_response(request, error)
    if _is_api(request):
        body = {
            "code": "server_error",
            "detail": _("일시적인 오류입니다. 잠시 후 다시 시도해 주세요."),
            "errors": {},
        }
        return JsonResponse(body, status=500)
    return defaults.server_error(request)


@require_safe
def robots_txt(request):
    """Search engines may index the public pages; personal and account pages are not for them. The back office
    is deliberately not named here (its address is configurable so that it is not advertised)."""
    from django.conf import settings
    from django.http import HttpResponse
    from django.urls import reverse

    base = settings.PORTAL_URL or request.build_absolute_uri("/").rstrip("/")
    lines = [
        "User-agent: *",
        "Disallow: /me/",
        "Disallow: /accounts/",
        "Disallow: /api/",
        "Disallow: /i18n/",
        "Disallow: /search/",  # endless result pages; everything they list is in the sitemap
        "Disallow: /inquiries/",
        "Disallow: /social-economy/survey/",  # personal survey links
        f"Sitemap: {base}{reverse('sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
