"""The demo citizen's own enrolments (one in each state a citizen meets on /me/) and the satisfaction
answers of the finished courses, written after the courses exist."""

import datetime

from django.contrib.auth import get_user_model

from jeonju_center.demo.base import DEMO_CITIZEN_USERNAME

from ..completion import demo_certificate_code
from ..feedback import feedback_submit
from ..models import (
    FEEDBACK_ITEMS,
    Attendance,
    CancelReason,
    Course,
    CourseAudience,
    CourseFeedback,
    CourseStatus,
    Enrollment,
    EnrollmentStatus,
)
from .planning import CONSENT_VERSION, DATA, aware


def seed_citizen_enrollments(ctx, staff_id):
    """The demo citizen's own enrolments, one in each state a citizen meets on /me/: a seat in a course still to
    come, a place on a waiting list, a cancelled application and a finished course with its certificate."""
    User = get_user_model()
    citizen = User.objects.filter(username=DEMO_CITIZEN_USERNAME).first()
    if citizen is None or Enrollment.objects.filter(user=citizen).exists():
        return "demo citizen's enrolments: kept"
    now = aware(ctx.today, datetime.time(9, 0))  # as the rest of the plan: the same data for the same day
    open_courses = list(
        Course.objects.filter(
            status=CourseStatus.RECRUITING,
            is_published=True,
            audience=CourseAudience.EVERYONE,
            enrollment_opens_at__lte=now,
            enrollment_closes_at__gt=now,
        ).order_by("slug")
    )
    confirmed_counts = {
        course.pk: course.enrollments.filter(status=EnrollmentStatus.CONFIRMED).count()
        for course in open_courses
    }
    waiting_counts = {
        course.pk: course.enrollments.filter(status=EnrollmentStatus.WAITING).count()
        for course in open_courses
    }
    with_seats = [course for course in open_courses if confirmed_counts[course.pk] < course.capacity]
    full = [
        course
        for course in open_courses
        if confirmed_counts[course.pk] >= course.capacity
        and waiting_counts[course.pk] < course.waitlist_limit
    ]
    finished = (
        Course.objects.filter(status=CourseStatus.FINISHED, audience=CourseAudience.EVERYONE, fee=0)
        .order_by("-slug")
        .first()
    )
    consent = {"consent_version": CONSENT_VERSION, "applicant_dong_id": citizen.dong_id}
    created = []
    if with_seats:
        requested = now - datetime.timedelta(days=2)
        created.append(
            Enrollment(
                course=with_seats[0], user=citizen, status=EnrollmentStatus.CONFIRMED, requested_at=requested,
                confirmed_at=requested, consented_at=requested, **consent,
            )
        )  # fmt: skip
    if full:
        requested = now - datetime.timedelta(hours=5)
        created.append(
            Enrollment(
                course=full[0], user=citizen, status=EnrollmentStatus.WAITING, requested_at=requested,
                consented_at=requested, **consent,
            )
        )  # fmt: skip
    if len(with_seats) > 1:
        requested = now - datetime.timedelta(days=3)
        created.append(
            Enrollment(
                course=with_seats[1], user=citizen, status=EnrollmentStatus.CANCELLED, requested_at=requested,
                confirmed_at=requested, consented_at=requested, cancelled_at=requested + datetime.timedelta(hours=20),
                cancel_reason=CancelReason.BY_USER, **consent,
            )
        )  # fmt: skip
    if finished is not None:
        sessions = list(finished.sessions.order_by("date", "start_time"))
        last = sessions[-1]
        requested = finished.enrollment_opens_at + datetime.timedelta(hours=1)
        number = f"JUIC-{last.date.year}-{finished.slug.rsplit('-', 1)[-1]}-900"
        completed = Enrollment(
            course=finished, user=citizen, status=EnrollmentStatus.CONFIRMED, requested_at=requested,
            confirmed_at=requested, consented_at=requested, is_completed=True,
            completed_at=aware(last.date, last.end_time) + datetime.timedelta(days=1),
            certificate_number=number, certificate_code=demo_certificate_code(number), **consent,
        )  # fmt: skip
        created.append(completed)
    Enrollment.objects.bulk_create(created)
    if finished is not None:
        Attendance.objects.bulk_create(
            Attendance(
                session=session, enrollment=completed, is_present=True, checked_by_id=staff_id,
                checked_at=aware(session.date, session.end_time),
            )
            for session in sessions
        )  # fmt: skip
    return f"demo citizen's enrolments: {len(created)} created"


def seed_feedback(ctx):
    """Satisfaction answers of the finished courses: the attendees were asked (before this demo database
    existed, so no e-mail goes out now) and about two in three answered, through the survey's service."""
    if CourseFeedback.objects.exists():
        return f"course feedback: {CourseFeedback.objects.count()} kept"
    now = aware(ctx.today, datetime.time(9, 0))
    finished = (
        Enrollment.objects.filter(user__isnull=False, attendances__is_present=True)
        .filter(course__sessions__date__lt=ctx.today)
        .exclude(course__sessions__date__gte=ctx.today)
        .select_related("course")
        .distinct()
        .order_by("course__slug", "pk")
    )
    asked = list(finished)
    Enrollment.objects.filter(pk__in=[e.pk for e in asked]).update(feedback_requested_at=now)
    rng = ctx.rng("courses:feedback")
    answered = 0
    for enrollment in asked:
        if rng.random() > 0.66:
            continue
        mood = rng.choice([5, 5, 4, 4, 4, 3])
        answers = {name: max(1, min(5, mood + rng.choice([-1, 0, 0, 1]))) for name, _label in FEEDBACK_ITEMS}
        feedback_submit(
            enrollment=enrollment,
            answers=answers,
            comment=rng.choice(DATA["feedback"]["comments"]),
            actor=enrollment.user,
            now=now,
        )
        answered += 1
    return f"course feedback: {len(asked)} attendees asked, {answered} answered"
