"""PostgreSQL drops the portal's connection (a restart, a failover, ``pg_terminate_backend``): the request
it was serving gets a clean 503 — a Korean page, or the API's JSON error shape — never a traceback, and
the next request works on a new connection. The portal runs as in production: gunicorn, persistent
connections (``DB_CONN_MAX_AGE=60``) checked before reuse (``CONN_HEALTH_CHECKS``)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from courses.models import Course, Enrollment, EnrollmentStatus
from tests.courses.factories import UserFactory, future_course

from .conftest import OpenTransaction, terminate_backend, wait_for

pytestmark = pytest.mark.postgres

KOREAN_503 = "데이터베이스에 잠시 연결할 수 없어 요청을 처리하지 못했습니다. 잠시 후 다시 시도해 주세요."


@pytest.mark.skipif(
    bool(settings.DATABASE_POOLER),
    reason="behind PgBouncer an idle server connection is the pooler's, not the portal's: the pooler replaces "
    "one that was dropped itself (a request's own connection dropped mid-request is the next test)",
)
def test_idle_persistent_connections_dropped_between_requests_are_replaced(start_portal):
    portal = start_portal(threads=2)
    user = UserFactory()
    course = future_course()
    citizen = portal.browser(user)
    assert citizen.get("/me/").status_code == 200
    before = portal.backends()
    assert before, "no persistent connection to drop"

    for pid in before:
        assert terminate_backend(pid)
    assert wait_for(lambda: not set(portal.backends()) & set(before), timeout=10)

    response = citizen.get("/me/")
    assert response.status_code == 200
    assert "나의 강좌" in response.text
    api = citizen.get("/api/v1/courses/")
    assert api.status_code == 200
    assert [item["slug"] for item in api.json()["results"]] == [course.slug]
    assert portal.backends(), "the answers did not come from the database"
    assert not set(portal.backends()) & set(before)


def test_a_connection_dropped_mid_request_answers_503_in_korean_or_as_api_json_and_the_next_request_works(
    start_portal,
):
    # The lock timeout is raised so that a request is still waiting when its connection is killed.
    portal = start_portal(threads=2, DB_LOCK_TIMEOUT_MS=20000)
    user = UserFactory()
    course = future_course()
    citizen, partner = portal.browser(user), portal.browser()
    detail = reverse("courses:detail", args=[course.slug])
    enroll = reverse("courses:enroll", args=[course.slug])
    citizen.open_form(detail)

    def lock_the_course_row():
        list(Course.objects.select_for_update().filter(pk=course.pk))

    def lock_the_course_table():
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {Course._meta.db_table} IN ACCESS EXCLUSIVE MODE")

    def cut_off(lock, send, *args):
        with ThreadPoolExecutor(max_workers=1) as pool, OpenTransaction(lock):
            pending = pool.submit(send, *args)
            waiting = wait_for(lambda: portal.backends(waiting_on_lock=True), timeout=10)
            assert waiting, "the request never reached the database"
            assert terminate_backend(waiting[0])
            return pending.result(timeout=15)

    # A citizen's enrolment: the site's page, in Korean, nothing written.
    response = cut_off(lock_the_course_row, citizen.post, enroll, {"agree_privacy": "on"})
    assert response.status_code == 503
    assert response.headers["Content-Type"].startswith("text/html")
    assert response.headers["Retry-After"].isdigit()
    assert '<html lang="ko">' in response.text
    assert KOREAN_503 in response.text
    for leak in ("Traceback", "OperationalError", "psycopg", "Server Error (500)"):
        assert leak not in response.text
    assert not Enrollment.objects.filter(user=user).exists()

    # An API call (the public course catalogue): the API's one JSON error shape.
    response = cut_off(lock_the_course_table, partner.get, "/api/v1/courses/")
    assert response.status_code == 503
    assert response.headers["Content-Type"] == "application/json"
    assert response.headers["Retry-After"].isdigit()
    assert response.json() == {"code": "service_unavailable", "detail": KOREAN_503, "errors": {}}

    # The next requests are served on new connections.
    response = partner.get("/api/v1/courses/")
    assert response.status_code == 200
    assert [item["slug"] for item in response.json()["results"]] == [course.slug]
    assert citizen.get(detail).status_code == 200
    response = citizen.post(enroll, {"agree_privacy": "on"})
    assert response.status_code == 302
    assert Enrollment.objects.get(user=user).status == EnrollmentStatus.CONFIRMED
