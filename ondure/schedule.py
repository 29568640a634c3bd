"""This app's periodic jobs, merged into the project's one Celery beat schedule (see settings)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "ondure-sync-education-attendance": {
        "task": "ondure.tasks.sync_education_attendance",
        "schedule": crontab(hour=2, minute=40),
    },
}
