import datetime

import pytest
from django.db.models import Count, Q

from courses import demo
from courses.models import Attendance, Course, CourseSession, Enrollment, EnrollmentStatus, Track
from jeonju_center.demo import base
from jeonju_center.demo.context import DemoContext

pytestmark = pytest.mark.django_db

MODELS = [Track, Course, CourseSession, Enrollment, Attendance]
TODAY = datetime.date(2026, 11, 24)


@pytest.fixture
def seeded():
    ctx = DemoContext(scale=1, today=TODAY)
    base.seed(ctx)
    summary = demo.seed(ctx)
    return ctx, summary


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def _fingerprint():
    return {
        "courses": list(
            Course.objects.order_by("slug").values_list(
                "slug", "title", "status", "capacity", "enrollment_opens_at"
            )
        ),
        "sessions": list(
            CourseSession.objects.order_by("course__slug", "date").values_list("course__slug", "date")
        ),
        "enrollments": list(
            Enrollment.objects.order_by("course__slug", "requested_at", "user__username").values_list(
                "course__slug", "user__username", "status", "requested_at", "certificate_number"
            )
        ),
        "present": Attendance.objects.filter(is_present=True).count(),
    }


def test_seed_is_idempotent(seeded):
    _, summary = seeded
    first = _counts()
    assert all(count > 0 for count in first.values()), first
    assert "courses: 40 created, 40 total" in summary
    fingerprint = _fingerprint()
    second_summary = demo.seed(DemoContext(scale=1, today=TODAY))
    assert _counts() == first
    assert "courses: 0 created, 40 total" in second_summary
    assert _fingerprint() == fingerprint
    # Another day changes nothing either: courses are keyed on their slug.
    demo.seed(DemoContext(scale=1, today=TODAY + datetime.timedelta(days=3)))
    assert _counts() == first


def test_seed_is_deterministic(seeded):
    fingerprint = _fingerprint()
    for model in (Attendance, Enrollment, CourseSession, Course):
        model.objects.all().delete()
    demo.seed(DemoContext(scale=1, today=TODAY))
    assert _fingerprint() == fingerprint


def test_seed_covers_every_track_and_status(seeded):
    assert Track.objects.count() == 5
    assert set(Course.objects.values_list("track__slug", flat=True)) == set(
        Track.objects.values_list("slug", flat=True)
    )
    assert set(Course.objects.values_list("status", flat=True)) == set(Course.Status.values)
    assert set(Enrollment.objects.values_list("status", flat=True)) == set(EnrollmentStatus.values)
    for track in Track.objects.all():
        assert set(track.courses.values_list("status", flat=True)) == set(Course.Status.values), track.name
    assert Course.objects.filter(fee__gt=0).exists()
    assert Course.objects.filter(audience=Course.Audience.DONG_RESIDENTS).exists()
    session_counts = Course.objects.annotate(n=Count("sessions")).values_list("n", flat=True)
    assert min(session_counts) >= 2
    assert max(session_counts) <= 10


def test_seed_respects_capacity_waiting_limit_and_audience(seeded):
    courses = Course.objects.annotate(
        confirmed=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.CONFIRMED)),
        waiting=Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.WAITING)),
    )
    for course in courses:
        assert course.confirmed <= course.capacity, course.slug
        assert course.waiting <= course.waitlist_limit, course.slug
    full = [c for c in courses if c.confirmed == c.capacity and c.waiting > 0]
    assert full, "some courses are full with a waiting list"
    assert all(c.status == Course.Status.RECRUITING for c in full)
    for course in Course.objects.filter(audience=Course.Audience.DONG_RESIDENTS).prefetch_related(
        "audience_dongs"
    ):
        allowed = {dong.pk for dong in course.audience_dongs.all()}
        assert allowed
        dongs = set(course.enrollments.exclude(user=None).values_list("user__dong", flat=True))
        assert dongs <= allowed, course.slug


def test_seed_open_courses_are_open_today(seeded):
    for course in Course.objects.filter(status=Course.Status.RECRUITING):
        assert course.enrollment_opens_at.date() <= TODAY < course.enrollment_closes_at.date()
    for course in Course.objects.filter(status=Course.Status.FINISHED):
        assert course.sessions.order_by("-date").first().date < TODAY


def test_seed_finished_courses_have_attendance_and_certificates(seeded):
    finished = Enrollment.objects.filter(course__status=Course.Status.FINISHED)
    completed = finished.filter(is_completed=True)
    assert completed.count() >= 10
    assert not completed.filter(certificate_number="").exists()
    assert (
        not Enrollment.objects.exclude(course__status=Course.Status.FINISHED)
        .filter(is_completed=True)
        .exists()
    )
    assert Attendance.objects.filter(session__course__status=Course.Status.FINISHED).exists()
    assert not Attendance.objects.filter(session__course__status=Course.Status.RECRUITING).exists()
    assert Enrollment.objects.exclude(promoted_at=None).exists()
    assert Enrollment.objects.filter(anonymised_at__isnull=False, user=None).exists()
    # Completion follows the course's rule.
    for enrollment in completed.select_related("course").annotate(
        present=Count("attendances", filter=Q(attendances__is_present=True)),
        sessions=Count("course__sessions", distinct=True),
    )[:30]:
        assert enrollment.present * 100 >= enrollment.course.completion_percent * enrollment.sessions


def test_seeded_rows_pass_full_clean(seeded):
    for model in MODELS:
        for obj in model.objects.all():
            obj.full_clean()
