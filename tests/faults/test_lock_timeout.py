"""A course row locked by another connection (a long staff transaction, a stuck session): enrolling and
cancelling answer "try again" (503 + Retry-After, in Korean) after ``DB_LOCK_TIMEOUT_MS`` instead of
hanging a gunicorn thread, change nothing, and succeed once the lock is gone (pretix's lock timeout)."""

import time

import pytest
from django.urls import reverse

from courses import services
from courses.models import Course, Enrollment, EnrollmentStatus
from jeonju_center.accounts.models import ConsentRecord
from jeonju_center.common.models import OutboxEmail
from tests.actors import TEST_JOB
from tests.courses.factories import UserFactory, future_course

from .conftest import OpenTransaction, page_messages

pytestmark = [pytest.mark.postgres]

# gunicorn's own worker timeout (deploy/gunicorn.conf.py) and a usual proxy read timeout: a request still
# waiting then is killed or answered 502/504. The lock timeout must answer well before.
CLIENT_TIMEOUT = 30


def lock_course(course):
    return lambda: list(Course.objects.select_for_update().filter(pk=course.pk))


def test_enrolling_while_the_course_is_locked_answers_try_again_at_the_default_lock_timeout(start_portal):
    portal = start_portal()  # DB_LOCK_TIMEOUT_MS unset: the production default, 5000 ms
    course = future_course(capacity=10)
    user = UserFactory()
    citizen = portal.browser(user)
    enroll = reverse("courses:enroll", args=[course.slug])
    citizen.open_form(reverse("courses:detail", args=[course.slug]))

    with OpenTransaction(lock_course(course)):
        started = time.monotonic()
        response = citizen.post(enroll, {"agree_privacy": "on"}, timeout=CLIENT_TIMEOUT)
        waited = time.monotonic() - started

    assert response.status_code == 503
    assert response.headers["Retry-After"].isdigit()
    assert "신청이 몰려 처리하지 못했습니다. 잠시 후 다시 시도해 주세요." in page_messages(response.text)
    # The page is the course page again, with the button to try once more.
    assert f'action="{enroll}"' in response.text
    # It waited for the lock timeout (so the default really is in force), and not much longer.
    assert 4.5 <= waited < 10, waited
    assert not Enrollment.objects.filter(user=user).exists()
    assert not ConsentRecord.objects.filter(user=user).exists()
    assert not OutboxEmail.objects.exists()

    response = citizen.post(enroll, {"agree_privacy": "on"}, timeout=CLIENT_TIMEOUT)
    assert response.status_code == 302
    page = citizen.get(response.headers["Location"])
    assert "수강신청이 확정되었습니다. 안내 메일을 보내 드렸습니다." in page_messages(page.text)
    assert Enrollment.objects.get(user=user).status == EnrollmentStatus.CONFIRMED


def test_cancelling_while_the_course_is_locked_answers_try_again_and_keeps_the_seat(start_portal):
    portal = start_portal(DB_LOCK_TIMEOUT_MS=1000)
    course = future_course(capacity=1)
    user, next_in_line = UserFactory(), UserFactory()
    seat = services.enrollment_create(course=course, user=user, consent_version="2026-11-01", actor=TEST_JOB)
    waiting = services.enrollment_create(
        course=course, user=next_in_line, consent_version="2026-11-01", actor=TEST_JOB
    )
    citizen = portal.browser(user)
    cancel = reverse("courses:cancel", args=[course.slug])
    citizen.open_form(reverse("courses:detail", args=[course.slug]))

    with OpenTransaction(lock_course(course)):
        started = time.monotonic()
        response = citizen.post(cancel, {"confirm": "yes"}, timeout=CLIENT_TIMEOUT)
        waited = time.monotonic() - started

    assert response.status_code == 503
    assert "요청이 몰려 처리하지 못했습니다. 잠시 후 다시 시도해 주세요." in page_messages(response.text)
    assert 0.9 <= waited < 5, waited
    seat.refresh_from_db()
    waiting.refresh_from_db()
    assert (seat.status, waiting.status) == (EnrollmentStatus.CONFIRMED, EnrollmentStatus.WAITING)

    response = citizen.post(cancel, {"confirm": "yes"}, timeout=CLIENT_TIMEOUT)
    assert response.status_code == 302
    seat.refresh_from_db()
    waiting.refresh_from_db()
    assert (seat.status, waiting.status) == (EnrollmentStatus.CANCELLED, EnrollmentStatus.CONFIRMED)
