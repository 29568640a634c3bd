"""This app's periodic jobs, merged into the project's one Celery beat schedule (see settings)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    # The morning after a contract deadline the next reserve is offered the place.
    "expire-call-offers": {"task": "calls.tasks.expire_call_offers", "schedule": crontab(hour=6, minute=10)},
}
