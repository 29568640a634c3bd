"""The staff back office of a course: roster, enrol on behalf, cancel, move, capacity, course
cancellation, bulk attendance, completion and exports — all through the same services."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from courses.models import Attendance, Course, Enrollment, EnrollmentStatus
from jeonju_center.accounts.models import ConsentRecord
from jeonju_center.common.models import OutboxEmail

from .factories import (
    CourseFactory,
    CourseSessionFactory,
    EnrollmentFactory,
    StaffFactory,
    UserFactory,
    future_course,
)

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"admin:courses_course_{name}", args=args)


@pytest.fixture
def staff():
    return StaffFactory()


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def state():
    return sorted(
        Enrollment.objects.values_list(
            "pk", "course_id", "status", "confirmed_at", "cancelled_at", "is_completed"
        )
    ), sorted(Course.objects.values_list("pk", "capacity", "status"))


def messages_of(response):
    return [str(m) for m in response.wsgi_request._messages]


def full_course(*, seats=2, waiting=2, **kwargs):
    course = future_course(capacity=seats, waitlist_limit=5, **kwargs)
    start = timezone.now() - datetime.timedelta(hours=5)
    confirmed = [
        EnrollmentFactory(course=course, requested_at=start + datetime.timedelta(minutes=n))
        for n in range(seats)
    ]
    queue = [
        EnrollmentFactory(
            course=course,
            status=EnrollmentStatus.WAITING,
            requested_at=start + datetime.timedelta(hours=1, minutes=n),
        )
        for n in range(waiting)
    ]
    return course, confirmed, queue


# --- the roster ------------------------------------------------------------------------------------


def test_roster_shows_confirmed_waiting_in_order_and_cancelled_masked(staff_client):
    course, confirmed, queue = full_course()
    queue[0].user.name, queue[1].user.name = "최지우", "한가람"
    queue[0].user.save()
    queue[1].user.save()
    now = timezone.now()
    EnrollmentFactory(
        course=course,
        status=EnrollmentStatus.CANCELLED,
        cancelled_at=now,
        cancel_reason="by_user",
        requested_at=now,
    )
    response = staff_client.get(url("roster", course.pk))
    assert response.status_code == 200
    roster = response.context["roster"]
    assert [e.pk for e in roster.confirmed] == [e.pk for e in confirmed]
    assert [(e.pk, e.waiting_position) for e in roster.waiting] == [(queue[0].pk, 1), (queue[1].pk, 2)]
    assert len(roster.cancelled) == 1
    content = response.content.decode()
    assert "최*우" in content and "한*람" in content
    assert "최지우" not in content
    assert queue[0].user.phone not in content
    assert "no-store" in response["Cache-Control"]


def test_roster_search_keeps_the_real_waiting_position(staff_client):
    course, _confirmed, queue = full_course()
    queue[1].user.name = "한가람"
    queue[1].user.save()
    response = staff_client.get(url("roster", course.pk), {"q": "한가람"})
    roster = response.context["roster"]
    assert roster.confirmed == []
    assert [(e.pk, e.waiting_position) for e in roster.waiting] == [(queue[1].pk, 2)]
    by_phone = staff_client.get(url("roster", course.pk), {"q": queue[1].user.phone.replace("-", "")})
    assert [e.pk for e in by_phone.context["roster"].waiting] == [queue[1].pk]


def test_roster_runs_a_constant_number_of_queries(staff_client):
    course = future_course(capacity=200, waitlist_limit=200, sessions=3)

    def grow(total):
        while Enrollment.objects.filter(course=course).count() < total:
            n = Enrollment.objects.filter(course=course).count()
            status = [EnrollmentStatus.CONFIRMED, EnrollmentStatus.WAITING][n % 2]
            EnrollmentFactory(course=course, status=status)

    grow(10)
    staff_client.get(url("roster", course.pk))
    with CaptureQueriesContext(connection) as small:
        response = staff_client.get(url("roster", course.pk))
    assert len(response.context["roster"].confirmed) + len(response.context["roster"].waiting) == 10
    grow(100)
    with CaptureQueriesContext(connection) as large:
        response = staff_client.get(url("roster", course.pk))
    assert len(response.context["roster"].confirmed) + len(response.context["roster"].waiting) == 100
    assert len(large.captured_queries) == len(small.captured_queries)


def test_course_changelist_links_to_the_roster(staff_client):
    course = CourseFactory()
    content = staff_client.get(reverse("admin:courses_course_changelist")).content.decode()
    assert url("roster", course.pk) in content


# --- permissions ---------------------------------------------------------------------------------


def test_staff_without_permission_are_refused_and_nothing_changes(client):
    course, confirmed, _queue = full_course()
    client.force_login(UserFactory(is_staff=True))
    before = state()
    assert client.get(url("roster", course.pk)).status_code == 403
    assert client.post(url("capacity", course.pk), {"capacity": 10}).status_code == 403
    assert client.post(url("enrollment_cancel", course.pk, confirmed[0].pk), {"note": ""}).status_code == 403
    assert client.get(url("roster_xlsx", course.pk)).status_code == 403
    assert state() == before


def test_citizens_are_sent_to_the_admin_login(client):
    course, _c, _q = full_course()
    client.force_login(UserFactory())
    response = client.get(url("roster", course.pk))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


# --- enrol on behalf ---------------------------------------------------------------------------------


def test_staff_enroll_a_phone_applicant_through_the_service(staff_client):
    course = future_course(capacity=1, waitlist_limit=3)
    citizen = UserFactory(name="정하늘", phone="010-2222-3333")
    response = staff_client.post(url("enroll", course.pk), {"citizen": "01022223333", "consent": "on"})
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(course=course, user=citizen)
    assert enrollment.status == EnrollmentStatus.CONFIRMED
    assert enrollment.consent_version
    assert ConsentRecord.objects.filter(user=citizen, item=ConsentRecord.Item.PRIVACY_ENROLLMENT).exists()
    assert OutboxEmail.objects.filter(to=[citizen.email]).count() == 1
    second = UserFactory(email="second@example.com")
    staff_client.post(url("enroll", course.pk), {"citizen": "SECOND@example.com", "consent": "on"})
    assert Enrollment.objects.get(course=course, user=second).status == EnrollmentStatus.WAITING


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"citizen": "010-9999-8888", "consent": "on"}, "해당하는 회원이 없습니다."),
        ({"citizen": "not a phone", "consent": "on"}, "이메일 주소나 휴대전화 번호"),
        ({"citizen": "010-2222-3333"}, "개인정보 수집·이용 동의를 받은 뒤에 대리 신청할 수 있습니다."),
        (
            {"citizen": "010-2222-3333", "consent": "on", "_dup": True},
            "이미 이 강좌에 신청(확정 또는 대기)되어 있습니다.",
        ),
    ],
)
def test_enroll_on_behalf_refusals_change_nothing(staff_client, data, message):
    course = future_course()
    citizen = UserFactory(phone="010-2222-3333")
    if data.pop("_dup", False):
        EnrollmentFactory(course=course, user=citizen)
    before = state()
    response = staff_client.post(url("enroll", course.pk), data, follow=True)
    assert any(message in text for text in messages_of(response))
    assert state() == before


def test_staff_cannot_enroll_into_a_course_that_started(staff_client):
    course = CourseFactory()
    CourseSessionFactory(course=course, date=timezone.localdate() - datetime.timedelta(days=1))
    UserFactory(phone="010-2222-3333")
    before = state()
    response = staff_client.post(
        url("enroll", course.pk), {"citizen": "010-2222-3333", "consent": "on"}, follow=True
    )
    assert any("이미 시작된 강좌에는 신청할 수 없습니다." in text for text in messages_of(response))
    assert state() == before


# --- cancel, move, capacity, course cancellation ------------------------------------------------------


def test_cancelling_a_seat_promotes_the_first_person_waiting(staff_client):
    course, confirmed, queue = full_course()
    assert staff_client.get(url("enrollment_cancel", course.pk, confirmed[0].pk)).status_code == 200
    response = staff_client.post(
        url("enrollment_cancel", course.pk, confirmed[0].pk), {"note": "전화로 취소 요청"}
    )
    assert response.status_code == 302
    confirmed[0].refresh_from_db()
    assert (confirmed[0].status, confirmed[0].cancel_reason, confirmed[0].cancel_note) == (
        EnrollmentStatus.CANCELLED,
        "by_staff",
        "전화로 취소 요청",
    )
    queue[0].refresh_from_db()
    queue[1].refresh_from_db()
    assert queue[0].status == EnrollmentStatus.CONFIRMED and queue[0].promoted_at is not None
    assert queue[1].status == EnrollmentStatus.WAITING


def test_cancelling_twice_is_refused_with_a_message(staff_client):
    course, confirmed, _queue = full_course(waiting=0)
    staff_client.post(url("enrollment_cancel", course.pk, confirmed[0].pk), {"note": ""})
    before = state()
    response = staff_client.post(
        url("enrollment_cancel", course.pk, confirmed[0].pk), {"note": ""}, follow=True
    )
    assert any("이미 취소된 신청입니다." in text for text in messages_of(response))
    assert state() == before


def test_an_enrollment_of_another_course_is_not_found(staff_client):
    course, _c, _q = full_course()
    other = EnrollmentFactory()
    assert staff_client.post(url("enrollment_cancel", course.pk, other.pk), {"note": ""}).status_code == 404
    assert Enrollment.objects.get(pk=other.pk).status == EnrollmentStatus.CONFIRMED


def test_moving_someone_enrolls_them_there_and_promotes_here(staff_client):
    course, confirmed, queue = full_course()
    target = future_course(capacity=5)
    response = staff_client.post(url("enrollment_move", course.pk, confirmed[0].pk), {"to_course": target.pk})
    assert response.status_code == 302
    assert Enrollment.objects.get(course=target, user=confirmed[0].user).status == EnrollmentStatus.CONFIRMED
    assert Enrollment.objects.get(pk=confirmed[0].pk).status == EnrollmentStatus.CANCELLED
    assert Enrollment.objects.get(pk=queue[0].pk).status == EnrollmentStatus.CONFIRMED


def test_moving_to_a_closed_or_same_course_is_refused(staff_client):
    course, confirmed, _queue = full_course()
    closed = future_course(status=Course.Status.CANCELLED)
    before = state()
    for target in (closed, course):
        response = staff_client.post(
            url("enrollment_move", course.pk, confirmed[0].pk), {"to_course": target.pk}
        )
        assert response.status_code == 200
        assert "옮길 수 있는 강좌를 고르세요." in response.content.decode()
    assert state() == before


def test_raising_the_capacity_promotes_people_waiting_in_order(staff_client):
    course, _confirmed, queue = full_course(waiting=3)
    response = staff_client.post(url("capacity", course.pk), {"capacity": 4}, follow=True)
    assert any("대기에서 확정된 사람: 2명" in text for text in messages_of(response))
    assert Course.objects.get(pk=course.pk).capacity == 4
    statuses = [Enrollment.objects.get(pk=e.pk).status for e in queue]
    assert statuses == [EnrollmentStatus.CONFIRMED, EnrollmentStatus.CONFIRMED, EnrollmentStatus.WAITING]


@pytest.mark.parametrize(
    ("capacity", "message"),
    [("1", "확정된 수강생이 2명이라 정원을 그보다 줄일 수 없습니다."), ("abc", "정수"), ("-3", "0")],
)
def test_capacity_refusals_change_nothing(staff_client, capacity, message):
    course, _c, _q = full_course()
    before = state()
    response = staff_client.post(url("capacity", course.pk), {"capacity": capacity}, follow=True)
    assert any(message in text for text in messages_of(response))
    assert state() == before


def test_capacity_is_read_only_on_the_course_form_and_cancelling_there_is_refused(staff_client):
    course, _c, _q = full_course()
    response = staff_client.get(reverse("admin:courses_course_change", args=[course.pk]))
    assert "capacity" not in response.context["adminform"].form.fields
    assert url("roster", course.pk) in response.content.decode()


def test_cancelling_the_course_cancels_everyone_and_tells_them(staff_client):
    course, confirmed, queue = full_course()
    response = staff_client.post(
        url("cancel", course.pk), {"reason": "강사 사정", "confirm": "on"}, follow=True
    )
    assert any("4건" in text for text in messages_of(response))
    assert Course.objects.get(pk=course.pk).status == Course.Status.CANCELLED
    people = confirmed + queue
    assert set(Enrollment.objects.filter(course=course).values_list("status", flat=True)) == {"cancelled"}
    assert OutboxEmail.objects.filter(dedup_key__contains="cancel").count() >= len(people)


def test_cancelling_the_course_needs_the_confirmation(staff_client):
    course, _c, _q = full_course()
    before = state()
    response = staff_client.post(url("cancel", course.pk), {"reason": "강사 사정"})
    assert response.status_code == 200
    assert "폐강하려면 확인란을 체크하세요." in response.content.decode()
    assert state() == before


# --- attendance and completion ----------------------------------------------------------------------


def past_course(sessions=5):
    course = CourseFactory(status=Course.Status.IN_PROGRESS)
    last = timezone.localdate() - datetime.timedelta(days=1)
    for n in range(sessions):
        CourseSessionFactory(course=course, date=last - datetime.timedelta(days=7 * (sessions - 1 - n)))
    return course


def test_bulk_attendance_then_completion_from_the_roster(staff_client, staff):
    course = past_course(sessions=5)
    regular, rare = EnrollmentFactory.create_batch(2, course=course)
    sessions = list(course.sessions.order_by("date"))
    page = staff_client.get(url("attendance", course.pk, sessions[0].pk))
    assert page.status_code == 200
    assert f'value="{regular.pk}"' in page.content.decode()
    for index, session in enumerate(sessions):
        present = [regular.pk] + ([rare.pk] if index < 2 else [])
        response = staff_client.post(url("attendance", course.pk, session.pk), {"present": present})
        assert response.status_code == 302
    assert Attendance.objects.filter(is_present=True, enrollment=regular).count() == 5
    assert Attendance.objects.filter(is_present=False, enrollment=rare).count() == 3
    assert Attendance.objects.filter(checked_by=staff).count() == 10

    response = staff_client.post(url("completion", course.pk), follow=True)
    assert any("새로 발급 1명" in text for text in messages_of(response))
    assert Enrollment.objects.get(pk=regular.pk).certificate_number
    assert not Enrollment.objects.get(pk=rare.pk).is_completed


def test_attendance_refusal_is_reported_and_nothing_is_recorded(staff_client):
    course = future_course(sessions=1)
    enrollment = EnrollmentFactory(course=course)
    session = course.sessions.get()
    response = staff_client.post(
        url("attendance", course.pk, session.pk), {"present": [enrollment.pk]}, follow=True
    )
    assert any("아직 열리지 않은 회차" in text for text in messages_of(response))
    assert not Attendance.objects.exists()
    response = staff_client.post(url("attendance", course.pk, session.pk), {"present": ["x"]}, follow=True)
    assert any("신청 번호가 올바르지 않습니다" in text for text in messages_of(response))
    assert not Attendance.objects.exists()


def test_completion_before_the_end_is_refused_with_a_message(staff_client):
    course = future_course(sessions=2)
    EnrollmentFactory(course=course)
    before = state()
    response = staff_client.post(url("completion", course.pk), follow=True)
    assert any("마지막 회차" in text for text in messages_of(response))
    assert state() == before


def test_completion_admin_action_reports_each_course(staff_client):
    done, early = past_course(sessions=1), future_course(sessions=1)
    EnrollmentFactory(course=done)
    response = staff_client.post(
        reverse("admin:courses_course_changelist"),
        {"action": "evaluate_completion", "_selected_action": [done.pk, early.pk]},
        follow=True,
    )
    texts = messages_of(response)
    assert any(done.title in text and "수료 기준 1/1회" in text for text in texts)
    assert any(early.title in text and "마지막 회차" in text for text in texts)


# --- exports ---------------------------------------------------------------------------------------


def test_roster_excel_has_korean_headers_and_masked_people(staff_client):
    course, confirmed, queue = full_course()
    confirmed[0].user.name = "윤도현"
    confirmed[0].user.save()
    response = staff_client.get(url("roster_xlsx", course.pk), {"reason": "attendance"})
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("신청 번호", "상태", "대기 순번", "성명(가림)", "휴대전화(가림)")
    assert [row[0] for row in rows[1:]] == [str(e.pk) for e in confirmed + queue]
    assert rows[1][3] == "윤*현"
    assert [row[1] for row in rows[1:]] == ["확정", "확정", "대기", "대기"]
    assert (rows[3][2], rows[4][2]) == (1, 2)
    flat = " ".join(str(cell) for row in rows for cell in row if cell is not None)
    assert "윤도현" not in flat
    assert confirmed[0].user.phone not in flat


def test_attendance_excel_is_a_matrix_with_the_completion_rule(staff_client, staff):
    course = past_course(sessions=5)
    regular, rare = EnrollmentFactory.create_batch(2, course=course)
    for index, session in enumerate(course.sessions.order_by("date")):
        present = [regular.pk] + ([rare.pk] if index < 2 else [])
        staff_client.post(url("attendance", course.pk, session.pk), {"present": present})
    attendance = staff_client.get(url("attendance_xlsx", course.pk), {"reason": "attendance"})
    sheet = load_workbook(io.BytesIO(attendance.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "수료 기준: 전체 5회 중 4회 이상" in rows[1][0]
    header = rows[2]
    assert header[-3:] == ("출석 합계", "출석률(%)", "수료 기준 충족")
    by_id = {row[1]: row for row in rows[3:]}
    assert by_id[regular.pk][4:] == ("O", "O", "O", "O", "O", 5, 100, "예")
    assert by_id[rare.pk][4:] == ("O", "O", "X", "X", "X", 2, 40, "아니요")


def test_sign_in_sheet_lists_confirmed_people_masked_for_printing(staff_client):
    course, confirmed, queue = full_course()
    confirmed[0].user.name = "서지민"
    confirmed[0].user.save()
    session = course.sessions.order_by("date").last()
    response = staff_client.get(url("sign_in_sheet", course.pk, session.pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert "2회차" in content
    assert "서*민" in content and "서지민" not in content
    assert queue[0].enrollee_display not in content or queue[0].enrollee_display in [
        e.enrollee_display for e in confirmed
    ]
    assert len(response.context["enrollees"]) == 2
    assert "@media print" in content


# --- the enrolment model pages go through the services -----------------------------------------------


def test_enrollment_add_page_enrolls_through_the_service(staff_client):
    course = future_course(capacity=1)
    citizen = UserFactory()
    response = staff_client.post(
        reverse("admin:courses_enrollment_add"), {"course": course.pk, "user": citizen.pk, "consent": "on"}
    )
    assert response.status_code == 302
    enrollment = Enrollment.objects.get(course=course, user=citizen)
    assert enrollment.status == EnrollmentStatus.CONFIRMED
    assert OutboxEmail.objects.filter(to=[citizen.email]).exists()


def test_enrollment_change_page_is_read_only_and_masks_the_person(staff_client):
    enrollment = EnrollmentFactory(user=UserFactory(name="오세훈"))
    response = staff_client.get(reverse("admin:courses_enrollment_change", args=[enrollment.pk]))
    assert response.status_code == 200
    assert list(response.context["adminform"].form.fields) == []
    content = response.content.decode()
    assert "오*훈" in content and "오세훈" not in content


def test_enrollment_cancel_action_uses_the_service(staff_client):
    _course, confirmed, queue = full_course(waiting=1)
    response = staff_client.post(
        reverse("admin:courses_enrollment_changelist"),
        {"action": "cancel_by_staff", "_selected_action": [confirmed[0].pk]},
        follow=True,
    )
    assert any("1건을 취소했습니다" in text for text in messages_of(response))
    assert Enrollment.objects.get(pk=confirmed[0].pk).cancel_reason == "by_staff"
    assert Enrollment.objects.get(pk=queue[0].pk).status == EnrollmentStatus.CONFIRMED


# --- telling everyone a course changed -----------------------------------------------------------------


def test_staff_tell_everyone_enrolled_that_the_course_changed(staff_client, staff):
    course, confirmed, queue = full_course()
    cancelled = EnrollmentFactory(
        course=course, status=EnrollmentStatus.CANCELLED, cancelled_at=timezone.now()
    )
    page = staff_client.get(url("change_notify", course.pk))
    assert page.status_code == 200
    assert "확정 2명, 대기 2명" in page.content.decode()

    response = staff_client.post(
        url("change_notify", course.pk), {"message": "3회차 장소가 2층 강의실로 바뀝니다."}
    )

    assert response.status_code == 302 and response["Location"] == url("roster", course.pk)
    assert "변경 안내 메일을 보냈습니다: 4명" in messages_of(response)
    sent = OutboxEmail.objects.filter(subject__contains="강좌 안내가 변경되었습니다")
    assert sorted(sent.values_list("to", flat=True)) == sorted([e.user.email] for e in [*confirmed, *queue])
    assert cancelled.user.email not in str(list(sent.values_list("to", flat=True)))
    assert all("3회차 장소가 2층 강의실로 바뀝니다." in email.body for email in sent)


def test_a_change_notice_without_a_message_is_refused_and_sends_nothing(staff_client):
    course, _confirmed, _queue = full_course()
    before = OutboxEmail.objects.count()
    response = staff_client.post(url("change_notify", course.pk), {"message": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors == {"message": ["무엇이 바뀌었는지 안내 문구를 입력하세요."]}
    assert OutboxEmail.objects.count() == before


def test_only_staff_who_may_change_courses_send_change_notices(client):
    course, _confirmed, _queue = full_course()
    client.force_login(UserFactory(is_staff=True))  # staff, but not of the education team
    before = OutboxEmail.objects.count()
    assert client.post(url("change_notify", course.pk), {"message": "장소 변경"}).status_code == 403
    assert OutboxEmail.objects.count() == before
