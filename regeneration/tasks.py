from celery import shared_task
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.actors import Actor

from . import services

ENDING_REPORT_JOB = Actor.system(_("입주 계약 종료 예정 월간 보고"))


@shared_task
def send_tenancies_ending_report():
    """Queue this month's report; a second run in the same month queues nothing (dedup key per month)."""
    email = services.tenancy_ending_report_send(actor=ENDING_REPORT_JOB)
    return email.pk if email is not None else None
