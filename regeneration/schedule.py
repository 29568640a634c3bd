"""This app's periodic jobs, merged into the project's one Celery beat schedule (see settings)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # On the 1st of each month at 08:00: tenancies ending within 60 days, to the regeneration team.
    "regeneration-tenancies-ending-report": {
        "task": "regeneration.tasks.send_tenancies_ending_report",
        "schedule": crontab(day_of_month=1, hour=8, minute=0),
    },
}
