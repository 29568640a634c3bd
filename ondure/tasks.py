"""Periodic jobs of the Ondure program: ids in, a service call, safe to run twice."""

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.actors import Actor

from . import services

ATTENDANCE_SYNC_JOB = Actor.system(_("온두레 교육 출석 반영"))


@shared_task(name="ondure.tasks.sync_education_attendance")
def sync_education_attendance():
    """Nightly: attendance of community members in Ondure education courses → support records."""
    return services.education_attendance_sync_all(actor=ATTENDANCE_SYNC_JOB)


@shared_task(name="ondure.tasks.sync_education_course")
def sync_education_course(education_course_id):
    return services.education_attendance_sync(
        education_course_id=education_course_id, actor=ATTENDANCE_SYNC_JOB
    )
