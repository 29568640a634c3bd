"""100 citizens press "enrol" at the same moment over HTTP, for a course with 10 seats.

The portal runs as in production (gunicorn with ``deploy/gunicorn.conf.py``, 2 processes × 4 threads, so at
most 8 database connections on a server that allows 100 and is shared), the 100 requests are sent by 100
client threads released together by a barrier, and the database is watched from outside while they run.
``tests/courses/test_concurrency.py`` checks the service alone with threads; this is the whole stack.

Arrival order, precisely: the order in which the server took the course's row lock. ``requested_at`` is
stamped and the row inserted after the lock is taken, and the lock is held until commit, so ordering by
(``requested_at``, id) is the order of the commits; ids must increase in that order too, with no ties.
"""

import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.urls import reverse

from courses import services
from courses.models import Enrollment, EnrollmentStatus
from jeonju_center.accounts.models import ConsentRecord
from jeonju_center.common.models import OutboxEmail
from tests.courses.factories import UserFactory, future_course

from .conftest import page_messages

pytestmark = [pytest.mark.postgres]

CAPACITY = 10
APPLICANTS = 100


class ConfirmedCounter:
    """Samples, from its own connection, how many confirmed enrolments the course has, until stopped."""

    def __init__(self, course):
        self.course = course
        self.samples = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        confirmed = Enrollment.objects.filter(course=self.course, status=EnrollmentStatus.CONFIRMED)
        try:
            while not self._stop.is_set():
                self.samples.append(confirmed.count())
                time.sleep(0.005)
        finally:
            connection.close()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join(timeout=10)


def test_100_simultaneous_enrollments_fill_10_seats_and_queue_90_in_lock_order(start_portal):
    portal = start_portal(workers=2, threads=4)
    course = future_course(capacity=CAPACITY, waitlist_limit=APPLICANTS)
    users = UserFactory.create_batch(APPLICANTS)
    detail = reverse("courses:detail", args=[course.slug])
    enroll = reverse("courses:enroll", args=[course.slug])
    browsers = [portal.browser(user) for user in users]
    with ThreadPoolExecutor(max_workers=16) as pool:
        list(pool.map(lambda browser: browser.open_form(detail), browsers))

    barrier = threading.Barrier(APPLICANTS)
    results = [None] * APPLICANTS

    def apply(index):
        barrier.wait(timeout=30)
        sent = time.monotonic()
        response = browsers[index].post(enroll, {"agree_privacy": "on"}, timeout=30)
        results[index] = (sent, time.monotonic(), response.status_code, response.headers.get("Location"))

    threads = [threading.Thread(target=apply, args=(index,)) for index in range(APPLICANTS)]
    with ConfirmedCounter(course) as counter:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)

    # Every request was answered by the enrolment view itself: no 5xx, no refusal, no "try again".
    assert Counter(status for _sent, _done, status, _location in results) == {302: APPLICANTS}
    assert {location for *_rest, location in results} == {detail}
    # They really were in flight together: when the first answer came back, most had been sent.
    first_answer = min(done for _sent, done, *_rest in results)
    assert sum(sent <= first_answer for sent, *_rest in results) >= APPLICANTS // 2
    # Watched from outside during the run, the course never held more confirmed seats than it has.
    assert len(counter.samples) >= 10
    assert max(counter.samples) <= CAPACITY

    rows = list(Enrollment.objects.filter(course=course).order_by("requested_at", "pk"))
    assert len(rows) == APPLICANTS
    assert {row.user_id for row in rows} == {user.pk for user in users}
    assert [row.status for row in rows] == [EnrollmentStatus.CONFIRMED] * CAPACITY + [
        EnrollmentStatus.WAITING
    ] * (APPLICANTS - CAPACITY)
    assert [row.pk for row in rows] == sorted(row.pk for row in rows)
    assert len({row.requested_at for row in rows}) == APPLICANTS
    positions = {row.user_id: services.waiting_position(row) for row in rows[CAPACITY:]}
    assert [positions[row.user_id] for row in rows[CAPACITY:]] == list(range(1, APPLICANTS - CAPACITY + 1))

    # Each citizen was told the truth: a seat, or the waiting position the database holds for them.
    with ThreadPoolExecutor(max_workers=16) as pool:
        pages = list(pool.map(lambda browser: browser.get(detail), browsers))
    for user, page in zip(users, pages, strict=True):
        assert page.status_code == 200
        shown = " ".join(page_messages(page.text))
        if user.pk in positions:
            match = re.search(r"대기 (\d+)번으로 신청되었습니다", shown)
            assert match, shown
            assert int(match.group(1)) == positions[user.pk]
        else:
            assert "수강신청이 확정되었습니다" in shown, shown

    # One consent record and one e-mail per enrolment, of the right kind.
    assert (
        ConsentRecord.objects.filter(user__in=users, item=ConsentRecord.Item.PRIVACY_ENROLLMENT).count()
        == APPLICANTS
    )
    confirmed_ids = {row.pk for row in rows[:CAPACITY]}
    keys = set(OutboxEmail.objects.values_list("dedup_key", flat=True))
    assert keys == {f"course-enrollment-confirmed:{pk}" for pk in confirmed_ids} | {
        f"course-enrollment-waiting:{row.pk}" for row in rows[CAPACITY:]
    }
