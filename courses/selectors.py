"""Shared reads of the course catalogue (the partner API now, the public pages later).

Only published courses are public: a course in preparation (준비 중) is shown once staff publish it, and
an unpublished course never is. Counts come from correlated subqueries rather than joins, so filters
that look at sessions cannot multiply them and a list costs the same queries at any size.
"""

import datetime
import re

from django.db.models import (
    Avg,
    BooleanField,
    Case,
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
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from jeonju_center.common.queries import count_of

from .models import Course, CourseSession, CourseStatus, Enrollment, EnrollmentStatus

PUBLIC_COURSE = Q(is_published=True)


def course_is_public(course):
    """The same rule as ``PUBLIC_COURSE`` for one instance (the change feed uses it)."""
    return bool(course.is_published)


def _enrollment_count(status):
    return count_of(Enrollment.objects.filter(status=status), "course")


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


def upcoming_open_courses(*, limit=6, now=None):
    """Published courses open for enrolment now whose first session has not passed, soonest first."""
    now = now or timezone.now()
    return (
        public_courses()
        .filter(enrollment_open_q(now), first_session_date__gte=timezone.localdate(now))
        .order_by("first_session_date", "id")[:limit]
    )


def courses_changed_since(queryset, moment):
    """Courses whose API representation may have changed at or after ``moment``: the course row, one
    of its sessions or one of its enrolments (seats left, waiting list)."""
    return queryset.filter(
        Q(updated_at__gte=moment)
        | Exists(CourseSession.objects.filter(course=OuterRef("pk"), updated_at__gte=moment))
        | Exists(Enrollment.objects.filter(course=OuterRef("pk"), updated_at__gte=moment))
    )


# --- The public site and the citizen's own enrolments ----------------------------------------------


def _waiting_position():
    """1-based place on the waiting list (requested time, then id); NULL unless the enrolment is waiting."""
    ahead = (
        Enrollment.objects.filter(course=OuterRef("course"), status=EnrollmentStatus.WAITING)
        .filter(
            Q(requested_at__lt=OuterRef("requested_at"))
            | Q(requested_at=OuterRef("requested_at"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("course")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Case(
        When(
            status=EnrollmentStatus.WAITING,
            then=Coalesce(Subquery(ahead, output_field=IntegerField()), 0) + 1,
        ),
        default=None,
        output_field=IntegerField(),
    )


def catalogue_courses():
    """The public catalogue: open courses first, then the most recently opened."""
    return public_courses().order_by(F("is_enrollment_open").desc(), "-enrollment_opens_at", "id")


def next_enrollment_window_change(now, course=None):
    """The next moment (after ``now``) at which an enrolment window of ``course`` — or of any published
    course — opens or closes, or None. Pages showing "open for enrolment" change then without any write."""
    if course is not None:
        moments = [course.enrollment_opens_at, course.enrollment_closes_at]
    else:
        moments = (
            Course.objects.filter(PUBLIC_COURSE)
            .aggregate(
                opens=Min("enrollment_opens_at", filter=Q(enrollment_opens_at__gt=now)),
                closes=Min("enrollment_closes_at", filter=Q(enrollment_closes_at__gt=now)),
            )
            .values()
        )
    return min((moment for moment in moments if moment is not None and moment > now), default=None)


def public_course(slug):
    """One published course with the annotations of ``public_courses``; raises ``Course.DoesNotExist``."""
    return public_courses().get(slug=slug)


def public_course_reference(slug):
    """One published course's id, slug and title only, for the actions that read and lock the course
    themselves (enrolment); raises ``Course.DoesNotExist``."""
    return Course.objects.filter(PUBLIC_COURSE).only("pk", "slug", "title").get(slug=slug)


def user_enrollments(user):
    """Every enrolment of ``user`` (newest first) with its course, track and sessions, annotated with
    ``waiting_position``, ``attended`` (present at least once) and ``has_feedback`` (answered the survey)."""
    from .models import Attendance, CourseFeedback

    return (
        Enrollment.objects.filter(user=user)
        .select_related("course__track")
        .prefetch_related(
            Prefetch("course__sessions", queryset=CourseSession.objects.order_by("date", "start_time", "id"))
        )
        .annotate(
            waiting_position=_waiting_position(),
            attended=Exists(Attendance.objects.filter(enrollment=OuterRef("pk"), is_present=True)),
            has_feedback=Exists(CourseFeedback.objects.filter(enrollment=OuterRef("pk"))),
        )
        .order_by("-requested_at", "-pk")
    )


def user_active_enrollment(user, course):
    """The user's confirmed or waiting enrolment in ``course`` (with ``waiting_position``), or None."""
    if not user.is_authenticated:
        return None
    return (
        Enrollment.objects.filter(user=user, course=course, status__in=Enrollment.ACTIVE_STATUSES)
        .annotate(waiting_position=_waiting_position())
        .first()
    )


def reminder_candidates(*, now, hours):
    """Ids of confirmed enrolments without a reminder whose course's first session falls within ``hours``
    (a cheap superset by date; the service checks the exact start under a row lock)."""
    first_date = (
        CourseSession.objects.filter(course=OuterRef("course"))
        .order_by()
        .values("course")
        .annotate(d=Min("date"))
        .values("d")
    )
    horizon = now + datetime.timedelta(hours=hours)
    return list(
        Enrollment.objects.filter(status=EnrollmentStatus.CONFIRMED, reminder_sent_at__isnull=True)
        .exclude(course__status=CourseStatus.CANCELLED)
        .annotate(first_date=Subquery(first_date))
        .filter(first_date__gte=timezone.localdate(now), first_date__lte=timezone.localdate(horizon))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def courses_with_expirable_waitlist(*, now):
    """Ids of courses that still have people waiting although their first session has begun (by date)."""
    waiting = Enrollment.objects.filter(course=OuterRef("pk"), status=EnrollmentStatus.WAITING)
    return list(
        Course.objects.filter(Exists(waiting))
        .annotate(first_date=_session_date(Min))
        .filter(first_date__lte=timezone.localdate(now))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


# --- Course feedback (만족도 조사) ------------------------------------------------------------------------

_RUN_SUFFIX = re.compile(r"\s*[\(\[]?\s*(\d{4}년?\s*)?(\d+\s*기|봄|여름|가을|겨울)[\)\]]?\s*$")


def course_series_title(title):
    """The title without a run marker ("주경야독 인문학 3기" → "주경야독 인문학"): runs of one course share it."""
    return _RUN_SUFFIX.sub("", title).strip() or title


def course_feedback_results(course):
    """The satisfaction results of ``course`` without names: attendees, responses, rate, per item the mean
    and the count of each score, the comments, and the earlier runs' means. A fixed number of queries."""
    from .models import FEEDBACK_ITEMS, Attendance, CourseFeedback

    attendees = (
        Enrollment.objects.filter(course=course)
        .filter(Exists(Attendance.objects.filter(enrollment=OuterRef("pk"), is_present=True)))
        .count()
    )
    answers = CourseFeedback.objects.filter(course=course)
    aggregates = {"responses": Count("pk")}
    for name, _label in FEEDBACK_ITEMS:
        aggregates[f"{name}_mean"] = Avg(name)
        for score in range(1, 6):
            aggregates[f"{name}_{score}"] = Count("pk", filter=Q(**{name: score}))
    totals = answers.aggregate(**aggregates)
    responses = totals["responses"]
    items = []
    for name, label in FEEDBACK_ITEMS:
        counts = [(score, totals[f"{name}_{score}"]) for score in range(5, 0, -1)]
        items.append(
            {
                "name": name,
                "label": label,
                "mean": totals[f"{name}_mean"],
                "counts": [
                    (score, count, round(100 * count / responses) if responses else 0)
                    for score, count in counts
                ],
            }
        )
    first_session = course.sessions.aggregate(first=Min("date"))["first"]
    earlier = Course.objects.none()
    if first_session:
        series = course_series_title(course.title)
        earlier = (
            Course.objects.filter(track_id=course.track_id, title__startswith=series)
            .exclude(pk=course.pk)
            .annotate(last_session_date=_session_date(Max))
            .filter(last_session_date__lt=first_session)
            .annotate(
                responses=Count("feedback", distinct=True),
                overall_mean=Avg("feedback__overall"),
                content_mean=Avg("feedback__content"),
                instructor_mean=Avg("feedback__instructor"),
            )
            .order_by("-last_session_date")[:5]
        )
    return {
        "attendees": attendees,
        "responses": responses,
        "rate": round(100 * responses / attendees) if attendees else 0,
        "items": items,
        "comments": list(
            answers.exclude(comment="").order_by("submitted_at", "pk").values_list("comment", flat=True)
        ),
        "earlier_runs": list(earlier),
    }
