"""Enrollment under real concurrency on PostgreSQL: threads with their own connections hit one course."""

import threading

import pytest
from django.db import connection

from courses import services
from courses.models import Enrollment, EnrollmentStatus
from jeonju_center.common.models import OutboxEmail
from tests.actors import TEST_JOB

from .factories import UserFactory, future_course

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(jobs):
    """Run each job in its own thread (and database connection), all released at once by a barrier."""
    barrier = threading.Barrier(len(jobs))
    errors = []

    def run(job):
        try:
            barrier.wait(timeout=30)
            job()
        except Exception as error:  # collected and asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return errors


def enroll_job(course, user):
    return lambda: services.enrollment_create(
        course=course, user=user, consent_version="2026-11-01", actor=TEST_JOB
    )


def test_50_simultaneous_enrollments_for_10_seats_give_10_confirmed_and_40_waiting_in_arrival_order():
    course = future_course(capacity=10, waitlist_limit=40)
    users = [UserFactory() for _ in range(50)]

    errors = run_together([enroll_job(course, user) for user in users])

    assert errors == []
    rows = list(Enrollment.objects.filter(course=course).order_by("requested_at", "pk"))
    assert len(rows) == 50
    assert [row.status for row in rows] == [EnrollmentStatus.CONFIRMED] * 10 + [EnrollmentStatus.WAITING] * 40
    # Arrival order is the order in which the course lock was obtained: ids and times agree.
    assert [row.pk for row in rows] == sorted(row.pk for row in rows)
    assert len({row.requested_at for row in rows}) == 50
    assert [services.waiting_position(row) for row in rows[10:]] == list(range(1, 41))
    assert {row.user_id for row in rows} == {user.pk for user in users}
    assert OutboxEmail.objects.filter(dedup_key__startswith="course-enrollment-confirmed:").count() == 10
    assert OutboxEmail.objects.filter(dedup_key__startswith="course-enrollment-waiting:").count() == 40


def test_cancellations_racing_new_enrollments_never_exceed_capacity_and_promote_each_person_once():
    course = future_course(capacity=10, waitlist_limit=40)
    seated = [
        services.enrollment_create(course=course, user=UserFactory(), consent_version="v1", actor=TEST_JOB)
        for _ in range(10)
    ]
    queue = [
        services.enrollment_create(course=course, user=UserFactory(), consent_version="v1", actor=TEST_JOB)
        for _ in range(15)
    ]
    newcomers = [UserFactory() for _ in range(20)]
    jobs = [lambda e=e: services.enrollment_cancel(enrollment=e, actor=TEST_JOB) for e in seated]
    jobs += [enroll_job(course, user) for user in newcomers]

    errors = run_together(jobs)

    assert errors == []
    confirmed = Enrollment.objects.filter(course=course, status=EnrollmentStatus.CONFIRMED)
    assert confirmed.count() == 10
    # The ten seats went to the first ten who were waiting before the race, never to a newcomer.
    assert set(confirmed.values_list("pk", flat=True)) == {e.pk for e in queue[:10]}
    assert all(e.promoted_at is not None for e in confirmed)
    promotions = list(
        OutboxEmail.objects.filter(dedup_key__startswith="course-enrollment-promoted:").values_list(
            "dedup_key", flat=True
        )
    )
    assert sorted(promotions) == sorted(f"course-enrollment-promoted:{e.pk}" for e in queue[:10])
    waiting = Enrollment.objects.filter(course=course, status=EnrollmentStatus.WAITING)
    assert waiting.count() == 5 + 20
    assert set(waiting.values_list("user_id", flat=True)) >= {user.pk for user in newcomers}
    assert Enrollment.objects.filter(course=course, status=EnrollmentStatus.CANCELLED).count() == 10
