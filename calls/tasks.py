from celery import shared_task

from . import services


@shared_task
def expire_call_offers():
    """Selected applicants past their contract deadline count as declined and the reserves move up; a rerun
    finds nothing more to do. Returns how many offers expired."""
    return services.offers_expire()
