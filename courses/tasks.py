"""Background jobs of citizen courses. Each takes ids, calls a service and is safe to run twice: the
service checks the state under a row lock and does nothing when the work is already done."""

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.actors import Actor

from . import selectors, services

REMINDER_JOB = Actor.system(_("수강 알림 발송"))
WAITLIST_JOB = Actor.system(_("대기자 마감"))
FEEDBACK_JOB = Actor.system(_("만족도 조사 요청"))


@shared_task
def send_enrollment_reminder(enrollment_id):
    """Queue the reminder e-mail of one enrolment (at most once, ever)."""
    return services.enrollment_reminder_send(enrollment_id=enrollment_id, actor=REMINDER_JOB)


@shared_task
def send_course_reminders():
    """Beat job: remind everyone confirmed whose course starts within ``COURSE_REMINDER_HOURS``."""
    now = timezone.now()
    sent = 0
    for enrollment_id in selectors.reminder_candidates(now=now, hours=services.reminder_hours()):
        sent += bool(
            services.enrollment_reminder_send(enrollment_id=enrollment_id, actor=REMINDER_JOB, now=now)
        )
    return sent


@shared_task
def expire_course_waitlists():
    """Beat job: close the waiting lists of courses that have started and tell those still waiting."""
    now = timezone.now()
    return sum(
        services.course_waitlist_expire(course_id=course_id, actor=WAITLIST_JOB, now=now)
        for course_id in selectors.courses_with_expirable_waitlist(now=now)
    )


@shared_task
def send_course_feedback_requests():
    """Beat job: ask the attendees of courses that have ended to answer the satisfaction survey (once each)."""
    from . import feedback

    return feedback.feedback_requests_send(actor=FEEDBACK_JOB)
