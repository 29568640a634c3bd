"""State of the portal's backing services, for /healthz and operators."""

from django.db import connection

from .models import ServiceHeartbeat


def database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure means "not answering"
        return False


def broker_state():
    """'inline' when tasks run in the web process (no broker configured), else 'ok' or 'unavailable'."""
    from jeonju_center.celery import app

    if app.conf.task_always_eager:
        return "inline"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return "ok"
    except Exception:  # the broker being down is a state to report, not an error
        return "unavailable"


def heartbeats():
    try:
        return {hb.component: hb.last_seen.isoformat() for hb in ServiceHeartbeat.objects.all()}
    except Exception:
        return {}
