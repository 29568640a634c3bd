"""Periodic jobs of the Ondure program: ids in, a service call, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(name="ondure.tasks.sync_education_attendance")
def sync_education_attendance():
    """Nightly: attendance of community members in Ondure education courses → support records."""
    return services.education_attendance_sync_all()


@shared_task(name="ondure.tasks.sync_education_course")
def sync_education_course(education_course_id):
    return services.education_attendance_sync(education_course_id=education_course_id)
