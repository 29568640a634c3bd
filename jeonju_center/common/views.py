from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import health


@require_safe
def home(request):
    return render(request, "home.html")


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
