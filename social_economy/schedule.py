"""This app's periodic jobs, merged into the project's one Celery beat schedule (see settings)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # The first working morning of the month is close enough: the e-mail is deduplicated per month.
    "social-economy-expiring-certifications": {
        "task": "social_economy.tasks.send_expiring_certifications_report",
        "schedule": crontab(minute=0, hour=8, day_of_month=1),
    },
}
