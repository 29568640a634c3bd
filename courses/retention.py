"""Retention of the personal data of citizen courses (applied nightly by the common retention job)."""

import datetime

from django.db.models import Max
from django.db.models.functions import Coalesce, TruncDate
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.retention import RETENTION_JOB, retention_policy

from .models import Course, Enrollment
from .services import enrollments_anonymise


def courses_ended_before(cutoff):
    """Courses whose end (the last session's date; without sessions, the close of the enrolment window,
    e.g. a course cancelled before it was scheduled) lies before ``cutoff``."""
    return Course.objects.annotate(
        ends_on=Coalesce(Max("sessions__date"), TruncDate("enrollment_closes_at"))
    ).filter(ends_on__lt=cutoff)


@retention_policy("enrollments", label=_("수강신청 개인정보 (강좌 종료 후)"), default_days=3 * 365)
def anonymize_expired_enrollments(*, cutoff, now):
    """Enrolments of courses that ended more than the retention period ago lose their personal data."""
    if isinstance(cutoff, datetime.datetime):
        cutoff = cutoff.date()
    expired = Enrollment.objects.filter(
        anonymised_at__isnull=True, course__in=courses_ended_before(cutoff).values("pk")
    ).values_list("pk", flat=True)
    return enrollments_anonymise(enrollment_ids=expired, actor=RETENTION_JOB, now=now)
