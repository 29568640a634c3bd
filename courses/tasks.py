"""Background jobs of citizen courses. Each takes ids, calls a service and is safe to run twice: the
service checks the state under a row lock and does nothing when the work is already done."""

from celery import shared_task
from django.utils import timezone

from . import selectors, services


@shared_task
def send_enrollment_reminder(enrollment_id):
    """Queue the reminder e-mail of one enrolment (at most once, ever)."""
    return services.enrollment_reminder_send(enrollment_id=enrollment_id)


@shared_task
def send_course_reminders():
    """Beat job: remind everyone confirmed whose course starts within ``COURSE_REMINDER_HOURS``."""
    now = timezone.now()
    sent = 0
    for enrollment_id in selectors.reminder_candidates(now=now, hours=services.reminder_hours()):
        sent += bool(services.enrollment_reminder_send(enrollment_id=enrollment_id, now=now))
    return sent


@shared_task
def expire_course_waitlists():
    """Beat job: close the waiting lists of courses that have started and tell those still waiting."""
    now = timezone.now()
    return sum(
        services.course_waitlist_expire(course_id=course_id, now=now)
        for course_id in selectors.courses_with_expirable_waitlist(now=now)
    )


@shared_task
def send_course_feedback_requests():
    """Beat job: ask the attendees of courses that have ended to answer the satisfaction survey (once each)."""
    from . import feedback

    return feedback.feedback_requests_send()
