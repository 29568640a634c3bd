"""Read routing against a real streaming replica (tests/replica/conftest.py), lag made by pausing its replay."""

import datetime

import pytest
from django.conf import settings
from django.test import Client

from courses.models import Course, Enrollment, EnrollmentStatus
from jeonju_center.common.db_routing import PRIMARY_UNTIL_COOKIE
from tests.courses.factories import UserFactory, future_course
from tests.spaces.factories import room

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, databases=["default", "replica"])]


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def test_public_pages_and_api_lists_read_the_replica_and_see_nothing_it_has_not_replayed(
    client, replica_alias
):
    room(name="먼저 생긴 회의실", slug="early-room")
    future_course(title="먼저 열린 강좌")
    replica_alias.wait_until_caught_up()
    replica_alias.pause()

    room(name="나중에 생긴 회의실", slug="late-room")
    future_course(title="나중에 열린 강좌")

    spaces = page(client, "/spaces/")
    assert "먼저 생긴 회의실" in spaces and "나중에 생긴 회의실" not in spaces
    courses = page(client, "/api/v1/courses/")
    assert "먼저 열린 강좌" in courses and "나중에 열린 강좌" not in courses
    # The primary has both: the replica answered the pages above.
    assert Course.objects.filter(title="나중에 열린 강좌").exists()


def test_the_replica_catches_up_once_replay_resumes(client, replica_alias):
    replica_alias.pause()
    room(name="재개 후 보이는 회의실", slug="resumed-room")
    assert "재개 후 보이는 회의실" not in page(client, "/spaces/")

    replica_alias.resume()
    replica_alias.wait_until_caught_up()

    assert "재개 후 보이는 회의실" in page(client, "/spaces/")


def test_a_visitor_who_just_wrote_reads_the_primary_and_others_still_read_the_replica(client, replica_alias):
    citizen = UserFactory()
    course = future_course(title="방금 신청한 강좌")
    replica_alias.wait_until_caught_up()
    replica_alias.pause()
    room(name="지연 중 생긴 회의실", slug="lagging-room")
    client.force_login(citizen)

    response = client.post(f"/courses/{course.slug}/enroll/", {"agree_privacy": "on"})

    assert response.status_code == 302
    assert PRIMARY_UNTIL_COOKIE in response.cookies
    assert "지연 중 생긴 회의실" in page(client, "/spaces/")
    assert "지연 중 생긴 회의실" not in page(Client(), "/spaces/")


def test_a_read_only_visit_sets_no_primary_cookie(client, replica_alias):
    room()
    response = client.get("/spaces/")
    assert response.status_code == 200 and PRIMARY_UNTIL_COOKIE not in response.cookies


def test_enrolment_and_booking_use_the_primary_while_the_replica_lags(client, replica_alias):
    replica_alias.pause()
    # Everything below exists only on the primary.
    citizen = UserFactory()
    course = future_course(capacity=1)
    space = room(name="지연 중 예약할 회의실", slug="lagging-booking-room")
    client.force_login(citizen)

    booking_form = client.get(f"/spaces/{space.slug}/book/")
    enrolment = client.post(f"/courses/{course.slug}/enroll/", {"agree_privacy": "on"})

    assert booking_form.status_code == 200 and "지연 중 예약할 회의실" in booking_form.content.decode()
    assert enrolment.status_code == 302
    assert Enrollment.objects.get(user=citizen, course=course).status == EnrollmentStatus.CONFIRMED
    # The same course page read from the lagging replica does not know the course yet.
    assert Client().get(f"/courses/{course.slug}/").status_code == 404


def test_the_call_application_form_reads_the_primary_while_the_replica_lags(
    client, replica_alias, time_machine
):
    from tests.calls.factories import OPENS, applicant, housing_call

    time_machine.move_to(OPENS + datetime.timedelta(days=3), tick=False)
    replica_alias.pause()
    call = housing_call(title="지연 중 열린 공모")
    client.force_login(applicant(name="김청년"))

    form = client.get(f"/calls/{call.slug}/apply/")

    assert form.status_code == 200 and "지연 중 열린 공모" in form.content.decode()
    assert Client().get(f"/calls/{call.slug}/").status_code == 404  # the public notice, from the replica


def test_the_back_office_reads_the_primary_while_the_replica_lags(client, django_user_model, replica_alias):
    replica_alias.pause()
    room(name="지연 중 등록한 회의실", slug="lagging-admin-room")
    client.force_login(django_user_model.objects.create_superuser("office", "office@example.com", "x" * 12))

    changelist = client.get(f"/{settings.ADMIN_URL}spaces/space/")

    assert changelist.status_code == 200 and "지연 중 등록한 회의실" in changelist.content.decode()
