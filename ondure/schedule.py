"""This app's periodic jobs, merged into the project's one Celery beat schedule (see settings)."""

from celery.schedules import crontab  # noqa: F401 - used by the entries

BEAT_SCHEDULE = {}
