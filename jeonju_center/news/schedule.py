"""Periodic jobs of the news app (plain data, merged into the one beat schedule by the settings)."""

from celery.schedules import crontab

BEAT_SCHEDULE = {
    "news-resume-newsletter-sends": {
        "task": "jeonju_center.news.tasks.resume_newsletter_sends",
        "schedule": crontab(minute="*/5"),
    },
}
