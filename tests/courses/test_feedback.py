"""Course feedback (만족도 조사): attendees of a finished course are asked once, answer once through a signed,
expiring link, bad input and bad links change nothing, and staff see the results without names with the
course's earlier runs, on a page whose queries do not grow with the answers, and in Excel."""

import datetime
import io

import pytest
import time_machine
from django.core import signing
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from courses import feedback
from courses.models import CourseFeedback, Enrollment, EnrollmentStatus
from jeonju_center.common.models import OutboxEmail
from tests.actors import TEST_JOB
from tests.courses.factories import (
    AttendanceFactory,
    CourseFactory,
    CourseSessionFactory,
    EnrollmentFactory,
    StaffFactory,
    TrackFactory,
)

pytestmark = pytest.mark.django_db
KST = datetime.timezone(datetime.timedelta(hours=9))
LAST_SESSION = datetime.date(2027, 4, 20)
DAY_AFTER = datetime.datetime(2027, 4, 21, 10, 0, tzinfo=KST)
ANSWERS = {"overall": "5", "content": "4", "instructor": "5", "venue": "3", "schedule": "4"}


@pytest.fixture(autouse=True)
def pinned_now():
    with time_machine.travel(DAY_AFTER, tick=False) as traveller:
        yield traveller


def finished_course(title="주경야독 인문학 3기", last=LAST_SESSION, **kwargs):
    course = CourseFactory(title=title, **kwargs)
    sessions = [
        CourseSessionFactory(course=course, date=last - datetime.timedelta(days=7)),
        CourseSessionFactory(course=course, date=last),
    ]
    return course, sessions


def attendee(course, sessions, *, present=True, **kwargs):
    enrollment = EnrollmentFactory(course=course, **kwargs)
    AttendanceFactory(enrollment=enrollment, session=sessions[0], is_present=present)
    return enrollment


def answer(client, enrollment, **overrides):
    return client.post(feedback.feedback_url(enrollment), {**ANSWERS, **overrides})


def test_attendees_of_a_finished_course_are_asked_once_and_no_one_else(pinned_now):
    course, sessions = finished_course()
    present = attendee(course, sessions)
    absent = attendee(course, sessions, present=False)
    waiting = attendee(course, sessions, status=EnrollmentStatus.WAITING)
    running, running_sessions = finished_course(title="진행 중 강좌", last=datetime.date(2027, 4, 28))
    attendee(running, running_sessions)
    old, old_sessions = finished_course(title="오래전 강좌", last=datetime.date(2027, 3, 1))
    attendee(old, old_sessions)

    assert feedback.feedback_requests_due() == [present.pk]
    assert feedback.feedback_requests_send(actor=TEST_JOB) == 1
    assert feedback.feedback_requests_send(actor=TEST_JOB) == 0  # the daily job again: nobody twice
    [mail] = [m for m in OutboxEmail.objects.all() if present.user.email in m.to]
    assert "만족도 조사" in mail.subject and "/courses/feedback/" in mail.body
    assert not [
        m for m in OutboxEmail.objects.all() if absent.user.email in m.to or waiting.user.email in m.to
    ]
    present.refresh_from_db()
    assert present.feedback_requested_at is not None


def test_an_attendee_answers_once_through_the_link_and_staff_see_no_name(client):
    course, sessions = finished_course()
    enrollment = attendee(course, sessions, user__name="김비밀")
    form = client.get(feedback.feedback_url(enrollment))
    assert form.status_code == 200 and "주경야독 인문학 3기" in form.content.decode()
    done = answer(client, enrollment, comment="다음 기수도 듣고 싶어요.")
    assert done.status_code == 200 and "고맙습니다" in done.content.decode()
    stored = CourseFeedback.objects.get()
    assert (stored.overall, stored.venue, stored.comment) == (5, 3, "다음 기수도 듣고 싶어요.")
    again = answer(client, enrollment)
    assert again.status_code == 400 and "이미 응답하셨습니다" in again.content.decode()
    assert CourseFeedback.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseFeedback.objects.create(course=course, enrollment=enrollment, submitted_at=DAY_AFTER, **dict.fromkeys(ANSWERS, 3))  # fmt: skip

    client.force_login(StaffFactory())
    page = client.get(reverse("admin:courses_course_feedback", args=[course.pk])).content.decode()
    assert "다음 기수도 듣고 싶어요." in page and "김비밀" not in page
    listing = client.get(reverse("admin:courses_coursefeedback_changelist")).content.decode()
    assert "김비밀" not in listing


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"overall": ""}, "하나를 골라 주세요"),
        ({"content": "9"}, "하나를 골라 주세요"),
        ({"comment": "<script>alert(1)</script>"}, "HTML 태그"),
        ({"comment": "가" * 2001}, "2000"),
    ],
)
def test_bad_answers_get_a_korean_message_and_store_nothing(client, overrides, message):
    course, sessions = finished_course()
    response = answer(client, attendee(course, sessions), **overrides)
    assert response.status_code == 400 and message in response.content.decode()
    assert CourseFeedback.objects.count() == 0


def test_tampered_expired_and_absentee_links_get_a_clear_page_and_change_nothing(client, pinned_now):
    course, sessions = finished_course()
    enrollment = attendee(course, sessions)
    absentee = attendee(course, sessions, present=False)
    token = feedback.feedback_token(enrollment)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    cases = [
        (reverse("courses:feedback", args=[tampered]), "링크가 올바르지 않습니다"),
        (reverse("courses:feedback", args=["x"]), "링크가 올바르지 않습니다"),
        (feedback.feedback_url(absentee), "수강 기록이 없습니다"),
        # A link signed for another purpose (the same key, another salt) is not a feedback link.
        (
            reverse("courses:feedback", args=[signing.dumps({"enrollment": enrollment.pk})]),
            "올바르지 않습니다",
        ),
    ]
    for url, message in cases:
        response = client.post(url, ANSWERS)
        assert response.status_code == 400 and message in response.content.decode(), url
    pinned_now.move_to(DAY_AFTER + datetime.timedelta(days=feedback.LINK_VALID_DAYS + 1))
    expired = client.post(reverse("courses:feedback", args=[token]), ANSWERS)
    assert expired.status_code == 400 and "기간" in expired.content.decode()
    assert CourseFeedback.objects.count() == 0


def test_my_page_offers_the_survey_until_answered(client):
    course, sessions = finished_course()
    enrollment = attendee(course, sessions)
    client.force_login(enrollment.user)
    assert "만족도 조사 참여하기" in client.get("/me/").content.decode()
    answer(client, enrollment)
    assert "만족도 조사 참여하기" not in client.get("/me/").content.decode()


def test_results_have_the_rate_means_bars_earlier_runs_and_an_excel_file(client):
    track = TrackFactory()
    earlier, earlier_sessions = finished_course(
        title="주경야독 인문학 2기", last=datetime.date(2026, 11, 10), track=track
    )
    other, other_sessions = finished_course(
        title="마을공동체 첫걸음", last=datetime.date(2026, 11, 10), track=track
    )
    course, sessions = finished_course(track=track)
    for run, run_sessions, score in ((earlier, earlier_sessions, "3"), (other, other_sessions, "1")):
        answer(client, attendee(run, run_sessions), overall=score)
    attendees = [attendee(course, sessions) for _ in range(4)]
    answer(client, attendees[0], overall="5")
    answer(client, attendees[1], overall="4")

    client.force_login(StaffFactory())
    page = client.get(reverse("admin:courses_course_feedback", args=[course.pk]))
    context = page.context["results"]
    assert (context["attendees"], context["responses"], context["rate"]) == (4, 2, 50)
    overall = context["items"][0]
    assert overall["mean"] == 4.5 and overall["counts"][:2] == [(5, 1, 50), (4, 1, 50)]
    assert [run.title for run in context["earlier_runs"]] == ["주경야독 인문학 2기"]
    assert context["earlier_runs"][0].overall_mean == 3
    workbook = load_workbook(
        io.BytesIO(client.get(reverse("admin:courses_course_feedback_xlsx", args=[course.pk])).content)
    )
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[3][:3] == ("강좌에 전반적으로 만족하십니까?", 4.5, 1)
    assert list(workbook.worksheets[2].iter_rows(values_only=True))[1][0] == "주경야독 인문학 2기"


def test_the_results_page_costs_the_same_queries_for_more_answers(client):
    course, sessions = finished_course()
    answer(client, attendee(course, sessions))
    staff = StaffFactory()
    client.force_login(staff)
    url = reverse("admin:courses_course_feedback", args=[course.pk])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    client.logout()
    for _ in range(8):
        answer(client, attendee(course, sessions), comment="좋았습니다")
    client.force_login(staff)
    assert queries() == few
    assert Enrollment.objects.filter(course=course).count() == 9
