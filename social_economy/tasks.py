"""Celery tasks of the social-economy app: ids in, a service call, idempotent."""

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.actors import Actor

from . import services, surveys

SURVEY_MAIL_JOB = Actor.system(_("전수조사 메일 발송"))
EXPIRY_REPORT_JOB = Actor.system(_("인증 만료 알림"))


@shared_task(ignore_result=True)
def send_survey_reminders(campaign_id, round_number):
    """Queue the reminder e-mails of one reminder round of a campaign (a second run sends nothing)."""
    return surveys.survey_reminder_round_send(
        campaign_id=campaign_id, round_number=round_number, actor=SURVEY_MAIL_JOB
    )


@shared_task(ignore_result=True)
def send_survey_invitations(campaign_id):
    """Queue the invitation e-mails of a campaign just opened (a second run sends nothing new)."""
    return surveys.survey_invitations_send(campaign_id=campaign_id, actor=SURVEY_MAIL_JOB)


@shared_task(ignore_result=True)
def send_expiring_certifications_report():
    """Monthly: the organizations whose certification/designation expires within 90 days, to the team."""
    email = services.expiring_certifications_report_send(actor=EXPIRY_REPORT_JOB)
    return email.pk if email is not None else None
