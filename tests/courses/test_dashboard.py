"""The education team's panel on the back-office home, and the course image upload rules."""

import datetime
import io
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from courses.dashboard import courses_items
from courses.models import Course, EnrollmentStatus
from jeonju_center.accounts.models import User
from jeonju_center.common.teams import CENTER_ADMINS, EDUCATION_TEAM, REGENERATION_TEAM

from .factories import AttendanceFactory, CourseFactory, CourseSessionFactory, EnrollmentFactory, TrackFactory

pytestmark = pytest.mark.django_db


def staff_member(*groups):
    user = User.objects.create_user(username="staff", password="pw-123456789", is_staff=True)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


def course_with_sessions(*dates, **kwargs):
    course = CourseFactory(**kwargs)
    for day in dates:
        CourseSessionFactory(course=course, date=day)
    return course


@pytest.fixture
def today(time_machine):
    # A Tuesday: "this week" then has a session still to come (Wednesday) besides past and future weeks.
    time_machine.move_to(
        datetime.datetime(2027, 3, 9, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=9))),
        tick=False,
    )
    return timezone.localdate()


@pytest.fixture
def situation(teams, today):
    day = datetime.timedelta(days=1)
    now = timezone.now()
    monday = today - datetime.timedelta(days=today.weekday())
    # Courses whose first session is this week (one cancelled, not counted), next week and last week.
    this_week = course_with_sessions(monday + 2 * day, monday + 9 * day)
    course_with_sessions(monday + 3 * day, status=Course.Status.CANCELLED)
    course_with_sessions(monday + 7 * day)
    held = course_with_sessions(monday - 7 * day, monday - 7 * day + 2 * day)
    # Enrolments: two today (one waiting), one yesterday; three waiting in two courses.
    EnrollmentFactory(course=this_week, requested_at=now)
    EnrollmentFactory(course=this_week, status=EnrollmentStatus.WAITING, requested_at=now)
    EnrollmentFactory(course=held, requested_at=now - 2 * day)
    EnrollmentFactory(course=held, status=EnrollmentStatus.WAITING, requested_at=now - 3 * day)
    EnrollmentFactory(course=held, status=EnrollmentStatus.WAITING, requested_at=now - 3 * day)
    # Sessions held before today: ``held`` has two and one of them is recorded; a session of a course
    # without confirmed people needs no attendance; today's session (a course starting this week too) is
    # not due yet.
    recorded = held.sessions.order_by("date").first()
    AttendanceFactory(enrollment=held.enrollments.filter(status="confirmed").get(), session=recorded)
    course_with_sessions(monday - 14 * day)
    course_with_sessions(today)
    return today


def test_counts_match_the_fixture_and_each_link_lists_exactly_the_counted_rows(client, situation):
    with CaptureQueriesContext(connection) as queries:
        items = courses_items(today=situation)
    assert len(queries.captured_queries) == 4
    counts = {item.label: item.count for item in items}
    assert counts == {
        "오늘 들어온 수강신청": 2,
        "대기 중인 신청자": 3,
        "이번 주 시작하는 강좌": 2,
        "출석 입력이 필요한 회차": 1,
    }
    assert next(item for item in items if item.label == "대기 중인 신청자").detail == "강좌 2개"
    client.force_login(staff_member(EDUCATION_TEAM))
    for item in items:
        response = client.get(item.url)
        assert response.status_code == 200, item.url
        assert response.context["cl"].result_count == item.count, item.label


def test_the_panel_shows_to_the_team_and_center_admins_only(client, situation):
    marker = "출석 입력이 필요한 회차"
    for groups, shown in (((EDUCATION_TEAM,), True), ((CENTER_ADMINS,), True), ((REGENERATION_TEAM,), False)):
        User.objects.filter(username="staff").delete()
        client.force_login(staff_member(*groups))
        response = client.get(reverse("admin:index"))
        assert response.status_code == 200
        assert (marker in response.content.decode()) is shown, groups


def test_a_malformed_week_in_the_course_filter_is_not_a_server_error(client, teams):
    client.force_login(staff_member(EDUCATION_TEAM))
    response = client.get(reverse("admin:courses_course_changelist"), {"starts_week": "next-tuesday"})
    assert response.status_code == 302 and "e=1" in response["Location"]


# --- uploads -------------------------------------------------------------------------------------------


def png_bytes():
    output = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(output, format="PNG")
    return output.getvalue()


def course_form(track, image):
    return {
        "title": "마을 기록가 학교",
        "slug": "village-archivist",
        "track": track.pk,
        "status": Course.Status.RECRUITING,
        "instructor_name": "김민준",
        "place": "전주도시혁신센터 2층 강의실",
        "audience": Course.Audience.EVERYONE,
        "capacity": "20",
        "waitlist_limit": "5",
        "enrollment_opens_at_0": "2026-03-01",
        "enrollment_opens_at_1": "09:00:00",
        "enrollment_closes_at_0": "2026-03-20",
        "enrollment_closes_at_1": "18:00:00",
        "fee": "0",
        "completion_percent": "80",
        "image": image,
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }


@pytest.mark.parametrize(
    ("make_file", "settings_mb", "message"),
    [
        (lambda: SimpleUploadedFile("poster.png", png_bytes(), "image/png"), 0.00001, "파일이 너무 큽니다"),
        (lambda: SimpleUploadedFile("poster.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"), 10, None),
        (lambda: SimpleUploadedFile("poster.jpg", b"<html><script>alert(1)</script></html>"), 10, None),
        (
            lambda: SimpleUploadedFile("poster.jpg", png_bytes(), "image/jpeg"),
            10,
            "확장자(.jpg)와 맞지 않습니다",
        ),
    ],
    ids=["oversized", "wrong extension", "html disguised as jpg", "png named jpg"],
)
def test_bad_course_images_are_refused_in_korean_and_nothing_is_saved(
    client, teams, make_file, settings_mb, message
):
    client.force_login(staff_member(EDUCATION_TEAM))
    with override_settings(MAX_UPLOAD_MB=settings_mb):
        response = client.post(reverse("admin:courses_course_add"), course_form(TrackFactory(), make_file()))
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors.get("image", []))
    assert re.search("[가-힣]", errors), errors
    if message:
        assert message in errors
    assert not Course.objects.exists()


def test_a_real_image_is_accepted(client, teams, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(staff_member(EDUCATION_TEAM))
    image = SimpleUploadedFile("poster.png", png_bytes(), "image/png")
    response = client.post(reverse("admin:courses_course_add"), course_form(TrackFactory(), image))
    assert response.status_code == 302
    assert Course.objects.get().image.name.endswith(".png")
