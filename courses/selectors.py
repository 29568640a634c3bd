"""Shared reads of the course catalogue (the partner API now, the public pages later).

Only published courses are public: a course in preparation (준비 중) is shown once staff publish it, and
an unpublished course never is. Counts come from correlated subqueries rather than joins, so filters
that look at sessions cannot multiply them and a list costs the same queries at any size.
"""

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from .models import Course, CourseSession, CourseStatus, Enrollment, EnrollmentStatus

PUBLIC_COURSE = Q(is_published=True)


def course_is_public(course):
    """The same rule as ``PUBLIC_COURSE`` for one instance (the change feed uses it)."""
    return bool(course.is_published)


def _enrollment_count(status):
    counted = (
        Enrollment.objects.filter(course=OuterRef("pk"), status=status)
        .order_by()
        .values("course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _session_date(aggregate):
    dates = (
        CourseSession.objects.filter(course=OuterRef("pk"))
        .order_by()
        .values("course")
        .annotate(d=aggregate("date"))
        .values("d")
    )
    return Subquery(dates)


def enrollment_open_q(now=None):
    """Courses a citizen can apply to at ``now``: inside the enrolment window and not cancelled."""
    now = now or timezone.now()
    return Q(enrollment_opens_at__lte=now, enrollment_closes_at__gt=now) & ~Q(status=CourseStatus.CANCELLED)


def public_courses():
    """Published courses with their track, sessions (in time order) and target dongs, annotated with
    ``confirmed_count``, ``seats_left`` (never below 0), ``waitlist_length``, ``first_session_date``,
    ``last_session_date`` and ``is_enrollment_open``."""
    confirmed = _enrollment_count(EnrollmentStatus.CONFIRMED)
    return (
        Course.objects.filter(PUBLIC_COURSE)
        .select_related("track")
        .prefetch_related(
            Prefetch("sessions", queryset=CourseSession.objects.order_by("date", "start_time", "id")),
            "audience_dongs",
        )
        .annotate(
            confirmed_count=confirmed,
            seats_left=Greatest(Value(0), F("capacity") - confirmed),
            waitlist_length=_enrollment_count(EnrollmentStatus.WAITING),
            first_session_date=_session_date(Min),
            last_session_date=_session_date(Max),
            is_enrollment_open=ExpressionWrapper(enrollment_open_q(), output_field=BooleanField()),
        )
    )


def courses_changed_since(queryset, moment):
    """Courses whose API representation may have changed at or after ``moment``: the course row, one
    of its sessions or one of its enrolments (seats left, waiting list)."""
    return queryset.filter(
        Q(updated_at__gte=moment)
        | Exists(CourseSession.objects.filter(course=OuterRef("pk"), updated_at__gte=moment))
        | Exists(Enrollment.objects.filter(course=OuterRef("pk"), updated_at__gte=moment))
    )
