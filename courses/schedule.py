"""This app's periodic jobs, merged into the project's one Celery beat schedule (see settings)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Reminders go out ``COURSE_REMINDER_HOURS`` (default 24) before the first session, checked every 15 minutes.
    "courses-send-reminders": {
        "task": "courses.tasks.send_course_reminders",
        "schedule": crontab(minute="*/15"),
    },
    # The day after a course's last session, at 10:00 (the e-mail reaches people in the morning).
    "courses-send-feedback-requests": {
        "task": "courses.tasks.send_course_feedback_requests",
        "schedule": crontab(hour=10, minute=0),
    },
    "courses-expire-waitlists": {
        "task": "courses.tasks.expire_course_waitlists",
        "schedule": crontab(minute=5),
    },
}
