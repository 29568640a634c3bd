"""This app's periodic jobs, merged into the project's one Celery beat schedule (see settings)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # Reminders go out ``COURSE_REMINDER_HOURS`` (default 24) before the first session, checked every 15 minutes.
    "courses-send-reminders": {
        "task": "courses.tasks.send_course_reminders",
        "schedule": crontab(minute="*/15"),
    },
    "courses-expire-waitlists": {
        "task": "courses.tasks.expire_course_waitlists",
        "schedule": crontab(minute=5),
    },
}
