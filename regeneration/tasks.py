from celery import shared_task

from . import services


@shared_task
def send_tenancies_ending_report():
    """Queue this month's report; a second run in the same month queues nothing (dedup key per month)."""
    email = services.tenancy_ending_report_send()
    return email.pk if email is not None else None
