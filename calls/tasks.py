from celery import shared_task
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.actors import Actor

from . import services

OFFER_EXPIRY_JOB = Actor.system(_("선정자 계약 기한 만료"))


@shared_task
def expire_call_offers():
    """Selected applicants past their contract deadline count as declined and the reserves move up; a rerun
    finds nothing more to do. Returns how many offers expired."""
    return services.offers_expire(actor=OFFER_EXPIRY_JOB)
