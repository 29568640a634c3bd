"""Reactions of the calls app to events of other apps (connected in ``CallsConfig.ready``)."""

from django.dispatch import receiver

from jeonju_center.accounts.signals import account_deleting

from .models import Application, ApplicationDocument, ApplicationStatus
from .services import documents_delete


@receiver(account_deleting, dispatch_uid="calls_drop_drafts_of_deleted_account")
def drop_drafts_of_deleted_account(sender, user, **kwargs):
    """A draft never handed in goes with the account; handed-in applications stay with the call (its review,
    results and published draw) until the call's retention period ends."""
    drafts = Application.objects.filter(applicant=user, status=ApplicationStatus.DRAFT)
    documents_delete(ApplicationDocument.objects.filter(application__in=drafts), actor=user)
    drafts.delete()
