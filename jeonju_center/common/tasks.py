from celery import shared_task
from django.utils import timezone

from .models import ServiceHeartbeat


@shared_task
def record_heartbeat(component):
    """Note that a background component is alive; idempotent (one row per component)."""
    ServiceHeartbeat.objects.update_or_create(component=component, defaults={"last_seen": timezone.now()})
