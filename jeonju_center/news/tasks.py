from celery import shared_task
from django.db import OperationalError
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.actors import Actor

from . import selectors, services

NEWSLETTER_JOB = Actor.system(_("뉴스레터 발송"))


@shared_task(autoretry_for=(OperationalError,), retry_backoff=10, max_retries=5)
def send_newsletter_batch(issue_id, batch_size=None):
    """Hand the next batch of an issue's deliveries to the outbox; running it again sends nothing twice."""
    return services.newsletter_send_batch(issue_id=issue_id, actor=NEWSLETTER_JOB, batch_size=batch_size)


@shared_task
def resume_newsletter_sends():
    """Restart the batch chain of issues still sending (a batch task lost with its worker or broker)."""
    issue_ids = selectors.stalled_newsletter_issue_ids()
    for issue_id in issue_ids:
        services.dispatch_batch(issue_id)
    return len(issue_ids)
