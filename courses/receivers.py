"""Reactions of the courses app to events of other apps (connected in ``CoursesConfig.ready``)."""

from django.dispatch import receiver

from jeonju_center.accounts.signals import account_deleting

from .services import account_enrollments_end


@receiver(account_deleting, dispatch_uid="courses_end_enrollments_of_deleted_account")
def end_enrollments_of_deleted_account(sender, user, **kwargs):
    account_enrollments_end(user=user, actor=user)
