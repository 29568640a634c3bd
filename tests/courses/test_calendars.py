"""Calendars (issue 3, item 5): a course's sessions and a citizen's private feed, valid RFC 5545."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from icalendar import Calendar

from courses import services
from courses.calendars import calendar_feed_token
from courses.models import CourseStatus
from tests.actors import TEST_JOB

from .factories import UserFactory, future_course

pytestmark = pytest.mark.django_db


def enroll(course, user=None):
    return services.enrollment_create(
        course=course, user=user or UserFactory(), consent_version="2026-11-01", actor=TEST_JOB
    )


def assert_rfc5545_shape(content):
    assert content.startswith(b"BEGIN:VCALENDAR\r\n") and content.endswith(b"END:VCALENDAR\r\n")
    lines = content.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines), "content lines are folded at 75 octets"
    assert b"\n" not in content.replace(b"\r\n", b"")
    calendar = Calendar.from_ical(content)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    for event in calendar.walk("VEVENT"):
        for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert required in event
    return calendar


def test_course_calendar_has_one_event_per_session_in_seoul_time(client):
    course = future_course(
        title="전주의 역사, 그리고; 사람들 — 아주 긴 강좌 제목으로 줄 접기를 확인합니다", sessions=3
    )
    response = client.get(f"/courses/{course.slug}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = assert_rfc5545_shape(response.content)
    [tz] = calendar.walk("VTIMEZONE")
    assert tz["TZID"] == "Asia/Seoul"
    events = calendar.walk("VEVENT")
    sessions = list(course.sessions.order_by("date"))
    assert len(events) == 3 and len({str(e["UID"]) for e in events}) == 3
    first = events[0].decoded("DTSTART")
    assert (first.date(), first.time(), str(first.tzinfo)) == (
        sessions[0].date,
        sessions[0].start_time,
        "Asia/Seoul",
    )
    assert str(events[0]["SUMMARY"]) == f"{course.title} (1/3회차)"
    assert course.place in str(events[0]["LOCATION"])


def test_cancelled_course_events_are_cancelled_and_unpublished_courses_have_no_calendar(client):
    course = future_course(status=CourseStatus.CANCELLED)
    calendar = Calendar.from_ical(client.get(f"/courses/{course.slug}/calendar.ics").content)
    assert {str(e["STATUS"]) for e in calendar.walk("VEVENT")} == {"CANCELLED"}
    assert client.get(f"/courses/{future_course(is_published=False).slug}/calendar.ics").status_code == 404


def test_private_feed_lists_my_active_courses_only(client):
    me = UserFactory()
    mine = future_course(title="확정 강좌", sessions=2)
    enroll(mine, me)
    queued = future_course(title="대기 강좌", capacity=1, waitlist_limit=3, sessions=1)
    enroll(queued)
    enroll(queued, me)
    gone = future_course(title="취소 강좌", sessions=1)
    services.enrollment_cancel(enrollment=enroll(gone, me), actor=TEST_JOB)
    enroll(future_course(title="남의 강좌", sessions=1))

    url = f"/me/calendar/{me.pk}/{calendar_feed_token(me)}.ics"
    response = client.get(url)  # no login: calendar apps fetch it on their own
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    calendar = assert_rfc5545_shape(response.content)
    summaries = sorted(str(e["SUMMARY"]) for e in calendar.walk("VEVENT"))
    assert summaries == ["[대기] 대기 강좌 (1/1회차)", "확정 강좌 (1/2회차)", "확정 강좌 (2/2회차)"]
    statuses = {str(e["SUMMARY"]): str(e["STATUS"]) for e in calendar.walk("VEVENT")}
    assert statuses["[대기] 대기 강좌 (1/1회차)"] == "TENTATIVE"
    assert statuses["확정 강좌 (1/2회차)"] == "CONFIRMED"
    assert len(calendar.walk("VALARM")) == 3


def test_private_feed_needs_the_right_secret_and_a_new_password_revokes_it(client):
    me, other = UserFactory(), UserFactory()
    token = calendar_feed_token(me)
    assert client.get(f"/me/calendar/{me.pk}/{'0' * 40}.ics").status_code == 404
    assert client.get(f"/me/calendar/{other.pk}/{token}.ics").status_code == 404
    assert client.get(f"/me/calendar/{me.pk}/한글토큰.ics").status_code == 404
    assert client.get(f"/me/calendar/999999/{token}.ics").status_code == 404
    assert client.get(f"/me/calendar/{me.pk}/{token}.ics").status_code == 200
    me.set_password("새-비밀번호-2026-전주")
    me.save()
    assert client.get(f"/me/calendar/{me.pk}/{token}.ics").status_code == 404


def test_event_times_follow_the_session_when_staff_change_it(client):
    course = future_course(sessions=1)
    session = course.sessions.get()
    session.start_time, session.end_time = datetime.time(10, 0), datetime.time(12, 30)
    session.save()
    event = Calendar.from_ical(client.get(f"/courses/{course.slug}/calendar.ics").content).walk("VEVENT")[0]
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (start.hour, end.hour, end.minute) == (10, 12, 30)
    assert end - start == datetime.timedelta(hours=2, minutes=30)
    assert event.decoded("DTSTAMP") <= timezone.now()


def test_every_applicant_of_a_course_gets_the_file_built_once_and_a_changed_session_gets_a_new_one(
    monkeypatch,
):
    from courses import calendars

    course = future_course(capacity=5)
    built = []
    real = calendars.course_calendar
    monkeypatch.setattr(
        calendars, "course_calendar", lambda *args, **kwargs: built.append(1) or real(*args, **kwargs)
    )
    monkeypatch.setattr(calendars, "_attachments", {})
    with time_machine.travel(timezone.now().replace(second=0), tick=False):
        first = calendars.course_ics_attachment(course)
        assert calendars.course_ics_attachment(course) == first
    assert len(built) == 1
    waiting = calendars.course_ics_attachment(course, tentative=True)
    assert "[대기]" in waiting["content"] and len(built) == 2

    session = course.sessions.first()
    session.start_time = datetime.time(10, 30)
    session.save()
    course = type(course).objects.prefetch_related("sessions").get(pk=course.pk)
    moved = calendars.course_ics_attachment(course)
    assert moved["content"] != first["content"] and "T103000" in moved["content"]
    assert len(built) == 3
