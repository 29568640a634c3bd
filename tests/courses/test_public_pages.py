"""The public course pages (issue 3, items 1–3): catalogue, detail, enrol/cancel, /me/, query counts."""

import datetime
import html as html_lib
import re

import pytest
from allauth.account.models import EmailAddress
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses import services
from courses.models import CourseAudience, CourseStatus, Enrollment, EnrollmentStatus
from jeonju_center.accounts.models import ConsentRecord
from jeonju_center.common.models import OutboxEmail
from tests.actors import TEST_JOB

from .factories import (
    CourseSessionFactory,
    DongFactory,
    EnrollmentFactory,
    TrackFactory,
    UserFactory,
    future_course,
)

pytestmark = pytest.mark.django_db

PASSWORD = "전주-시민-비밀번호-2026"


def html(response):
    return response.content.decode()


def text(response):
    """The page's visible text with tags removed and whitespace collapsed."""
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html(response))))


@pytest.fixture
def citizen(client):
    user = UserFactory(username="minji", name="김민지")
    client.force_login(user)
    return user


def enroll(course, user=None):
    return services.enrollment_create(
        course=course, user=user or UserFactory(), consent_version="2026-11-01", actor=TEST_JOB
    )


# --- catalogue ---------------------------------------------------------------------------------------


def test_catalogue_cards_show_dates_place_seats_left_and_waiting_list(client):
    course = future_course(title="마을기록가 학교", capacity=2, waitlist_limit=5, place="중앙동 마을사랑방")
    enroll(course)
    enroll(course)
    enroll(course)
    future_course(title="비공개 강좌", is_published=False)
    response = client.get("/courses/")
    assert response.status_code == 200
    page = text(response)
    assert "마을기록가 학교" in page and "비공개 강좌" not in page
    first = timezone.localdate() + datetime.timedelta(days=21)
    assert f"{first.year}. {first.month}. {first.day}." in page
    assert "중앙동 마을사랑방" in page
    assert "0석 / 정원 2명" in page
    assert "대기 1명" in page
    assert "강좌 1개" in page


def test_catalogue_filters_by_track_month_open_and_text(client):
    humanities = TrackFactory(slug="evening-humanities", name="주경야독 인문학")
    community = TrackFactory(slug="community", name="공동체")
    now = timezone.now()
    philosophy = future_course(title="철학 산책", track=humanities)
    future_course(title="마을 만들기", track=community, instructor_name="박선생")
    closed = future_course(
        title="지난 모집",
        track=community,
        enrollment_opens_at=now - datetime.timedelta(days=30),
        enrollment_closes_at=now - datetime.timedelta(days=1),
    )

    def titles(**params):
        response = client.get("/courses/", params)
        assert response.status_code == 200
        return {course.title for course in response.context["page"].object_list}

    assert titles(track="evening-humanities") == {"철학 산책"}
    assert titles(open="true") == {"철학 산책", "마을 만들기"}
    assert titles(open="false") == {"지난 모집"}
    assert titles(q="박선생") == {"마을 만들기"}
    month = philosophy.sessions.order_by("date").first().date.strftime("%Y-%m")
    assert "철학 산책" in titles(month=month)
    closed.sessions.all().delete()
    assert "지난 모집" not in titles(month=month)


@pytest.mark.parametrize(
    ("params", "message"),
    [({"open": "maybe"}, "true 또는 false"), ({"month": "2026-13"}, "YYYY-MM 형식"), ({"track": "nope"}, "")],
)
def test_bad_filters_get_a_korean_message_not_a_500(client, params, message):
    future_course()
    response = client.get("/courses/", params)
    assert response.status_code == 400
    assert message in html(response)
    assert list(response.context["page"].object_list) == []
    assert "검색 조건을 확인해 주세요" in html(response)


def card_of(response, course):
    """The visible text of ``course``'s card in the catalogue."""
    page = html(response)
    start = page.index(f'aria-labelledby="course-{course.pk}-title"')
    card = page[start : page.index("</article>", start)]
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", card)))


def test_catalogue_badges_say_what_a_citizen_can_still_do_and_whom_a_course_is_for(client):
    open_seats = future_course(title="자리 있음", capacity=2, waitlist_limit=2)
    enroll(open_seats)
    waitlist_room = future_course(title="대기만 가능", capacity=1, waitlist_limit=2)
    enroll(waitlist_room)
    enroll(waitlist_room)
    all_full = future_course(title="모두 참", capacity=1, waitlist_limit=1)
    enroll(all_full)
    enroll(all_full)
    for_residents = future_course(title="주민 강좌", audience=CourseAudience.DONG_RESIDENTS)
    for_residents.audience_dongs.set([DongFactory(name="풍남동"), DongFactory(name="노송동")])

    response = client.get("/courses/")
    seats = card_of(response, open_seats)
    assert "신청 가능" in seats and "대기 신청 가능" not in seats and "마감" not in seats
    assert "대기 신청 가능" in card_of(response, waitlist_room)
    full = card_of(response, all_full)
    assert "정원·대기 마감" in full and "신청 가능" not in full
    residents = card_of(response, for_residents)
    assert "노송동·풍남동 주민만" in residents or "풍남동·노송동 주민만" in residents
    assert "주민만" not in card_of(response, open_seats)

    home = text(client.get("/"))
    assert "정원·대기 마감" in home and "주민만" in home


def test_catalogue_pages_keep_the_filters(client):
    track = TrackFactory(slug="social-economy")
    for _ in range(21):
        future_course(track=track, sessions=1)
    response = client.get("/courses/", {"track": "social-economy"})
    assert 'href="?track=social-economy&amp;page=2"' in html(response)
    assert (
        len(client.get("/courses/", {"track": "social-economy", "page": 2}).context["page"].object_list) == 1
    )


def build_catalogue(count):
    track = TrackFactory(slug="community")
    dong = DongFactory(name="풍남동")
    for n in range(count):
        course = future_course(track=track, sessions=2, capacity=1, audience=CourseAudience.DONG_RESIDENTS)
        course.audience_dongs.set([dong])
        EnrollmentFactory(course=course)
        if n % 2:
            EnrollmentFactory(course=course, status=EnrollmentStatus.WAITING)


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_catalogue_runs_the_same_queries_at_10_and_100_courses(client):
    build_catalogue(10)
    small = count_queries(client, "/courses/")
    build_catalogue(90)
    large = count_queries(client, "/courses/")
    assert small == large
    assert large <= 8


# --- detail ------------------------------------------------------------------------------------------


def test_detail_shows_sessions_instructor_audience_fee_and_window(client):
    dong = DongFactory(name="노송동")
    course = future_course(
        title="원도심 상권 살리기",
        sessions=3,
        instructor_name="이강사",
        instructor_bio="도시재생 코디네이터",
        fee=30000,
        audience=CourseAudience.DONG_RESIDENTS,
        audience_dongs=[dong],
    )
    response = client.get(f"/courses/{course.slug}/")
    assert response.status_code == 200
    page = text(response)
    assert "이강사" in page and "도시재생 코디네이터" in page
    assert "노송동 주민" in page
    assert "30,000원" in page
    opens = timezone.localtime(course.enrollment_opens_at)
    assert f"{opens.year}. {opens.month}. {opens.day}. {opens:%H:%M}" in page
    assert len(response.context["sessions"]) == 3
    assert page.count("19:00–21:00") == 3
    assert f"/courses/{course.slug}/calendar.ics" in html(response)


def test_unpublished_or_unknown_courses_are_404(client):
    assert client.get(f"/courses/{future_course(is_published=False).slug}/").status_code == 404
    assert client.get("/courses/no-such-course/").status_code == 404


def state(client, course):
    return client.get(f"/courses/{course.slug}/").context["state"]


def test_detail_button_for_each_visitor_state(client):
    now = timezone.now()
    course = future_course(capacity=1, waitlist_limit=1)
    response = client.get(f"/courses/{course.slug}/")
    assert response.context["state"] == "login"
    assert f'href="/accounts/login/?next=/courses/{course.slug}/"' in html(response)
    assert "Cache-Control" not in response or "no-store" not in response["Cache-Control"]

    user = UserFactory()
    client.force_login(user)
    response = client.get(f"/courses/{course.slug}/")
    assert response.context["state"] == "enroll"
    assert "no-store" in response["Cache-Control"]
    assert "수강신청 개인정보 수집·이용에 동의합니다" in html(response)

    enroll(course)
    assert state(client, course) == "waitlist"
    enroll(course)
    assert state(client, course) == "full"

    not_yet = future_course(
        enrollment_opens_at=now + datetime.timedelta(days=1),
        enrollment_closes_at=now + datetime.timedelta(days=3),
    )
    assert state(client, not_yet) == "not_yet"
    closed = future_course(
        enrollment_opens_at=now - datetime.timedelta(days=3),
        enrollment_closes_at=now - datetime.timedelta(days=1),
    )
    assert state(client, closed) == "closed"
    assert state(client, future_course(status=CourseStatus.CANCELLED)) == "cancelled"
    restricted = future_course(
        audience=CourseAudience.DONG_RESIDENTS, audience_dongs=[DongFactory(name="혁신동")]
    )
    assert state(client, restricted) == "not_eligible"


def test_detail_shows_my_seat_or_my_place_in_the_queue_with_a_cancel_button(client, citizen):
    course = future_course(capacity=1, waitlist_limit=5)
    enroll(course, citizen)
    response = client.get(f"/courses/{course.slug}/")
    assert response.context["state"] == "confirmed"
    assert "수강이 확정되었습니다" in text(response) and f"/courses/{course.slug}/cancel/" in html(response)

    other = future_course(capacity=1, waitlist_limit=5)
    enroll(other)
    enroll(other)
    enroll(other, citizen)
    response = client.get(f"/courses/{other.slug}/")
    assert response.context["state"] == "waiting"
    assert "대기 2번입니다" in text(response)


def test_detail_queries_do_not_grow_with_sessions_and_enrollments(client, citizen):
    def build(sessions, enrollments):
        course = future_course(sessions=sessions, capacity=enrollments, waitlist_limit=enrollments)
        for _ in range(enrollments):
            EnrollmentFactory(course=course)
        EnrollmentFactory(course=course, status=EnrollmentStatus.WAITING)
        EnrollmentFactory(course=course, user=citizen, status=EnrollmentStatus.WAITING)
        return course

    small, large = build(10, 10), build(100, 100)
    assert count_queries(client, f"/courses/{small.slug}/") == count_queries(
        client, f"/courses/{large.slug}/"
    )


# --- enrol and cancel --------------------------------------------------------------------------------


def test_enroll_needs_the_consent_box_and_changes_nothing_without_it(client, citizen):
    course = future_course()
    response = client.post(f"/courses/{course.slug}/enroll/", {})
    assert response.status_code == 400
    assert "수강신청에는 개인정보 수집·이용 동의가 필요합니다" in html(response)
    assert Enrollment.objects.count() == 0 and ConsentRecord.objects.count() == 0


def test_enroll_confirms_records_consent_and_says_so(client, citizen, settings):
    course = future_course(capacity=1)
    response = client.post(f"/courses/{course.slug}/enroll/", {"agree_privacy": "on"}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302 and response["Location"] == f"/courses/{course.slug}/"
    enrollment = Enrollment.objects.get(user=citizen)
    assert enrollment.status == EnrollmentStatus.CONFIRMED
    assert enrollment.consent_version == settings.PRIVACY_TERMS_VERSION
    consent = ConsentRecord.objects.get(user=citizen, item=ConsentRecord.Item.PRIVACY_ENROLLMENT)
    assert consent.ip_address == "10.1.2.3"
    page = text(client.get(response["Location"]))
    assert "수강신청이 확정되었습니다" in page


def test_enroll_on_a_full_course_says_the_queue_place(client, citizen):
    course = future_course(capacity=1, waitlist_limit=3)
    enroll(course)
    response = client.post(f"/courses/{course.slug}/enroll/", {"agree_privacy": "on"}, follow=True)
    assert "대기 1번으로 신청되었습니다" in text(response)
    assert Enrollment.objects.get(user=citizen).status == EnrollmentStatus.WAITING


def test_a_refused_enrollment_shows_the_service_message_and_changes_nothing(client, citizen):
    course = future_course()
    enroll(course, citizen)
    response = client.post(f"/courses/{course.slug}/enroll/", {"agree_privacy": "on"}, follow=True)
    assert "이미 이 강좌에 신청(확정 또는 대기)되어 있습니다" in text(response)
    assert Enrollment.objects.filter(user=citizen).count() == 1


def test_anonymous_enroll_goes_to_login_and_back_to_the_course(client):
    course = future_course()
    response = client.post(f"/courses/{course.slug}/enroll/", {"agree_privacy": "on"})
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next=/courses/{course.slug}/"
    assert Enrollment.objects.count() == 0

    user = UserFactory(email="minji@example.com")
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    login = client.post(response["Location"], {"login": "minji@example.com", "password": PASSWORD})
    assert login.status_code == 302 and login["Location"] == f"/courses/{course.slug}/"


def test_enroll_and_cancel_write_only_on_a_csrf_protected_post(citizen):
    course = future_course()
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(citizen)
    assert csrf_client.post(f"/courses/{course.slug}/enroll/", {"agree_privacy": "on"}).status_code == 403
    assert csrf_client.get(f"/courses/{course.slug}/enroll/").status_code == 405
    assert Enrollment.objects.count() == 0
    enroll(course, citizen)
    assert csrf_client.get(f"/courses/{course.slug}/cancel/").status_code == 200  # the confirmation page
    assert csrf_client.post(f"/courses/{course.slug}/cancel/", {"confirm": "yes"}).status_code == 403
    assert Enrollment.objects.get().status == EnrollmentStatus.CONFIRMED


def test_cancel_asks_first_and_a_click_alone_gives_nothing_away(client, citizen):
    course = future_course(capacity=1, waitlist_limit=3)
    enroll(course, citizen)
    waiting = enroll(course, UserFactory())
    detail = html(client.get(f"/courses/{course.slug}/"))
    assert (
        f'href="/courses/{course.slug}/cancel/"' in detail
    )  # a link to the question, not a form that cancels

    question = client.get(f"/courses/{course.slug}/cancel/")
    assert question.status_code == 200 and "no-store" in question["Cache-Control"]
    assert "수강신청을 취소할까요?" in text(question) and "다음 분에게 바로 넘어가며" in text(question)
    assert 'name="confirm" value="yes"' in html(question)
    # A POST without the confirmation (an old page, a double submit) only shows the question again.
    again = client.post(f"/courses/{course.slug}/cancel/")
    assert again.status_code == 200 and "수강신청을 취소할까요?" in text(again)
    assert Enrollment.objects.get(user=citizen).status == EnrollmentStatus.CONFIRMED
    assert Enrollment.objects.get(pk=waiting.pk).status == EnrollmentStatus.WAITING

    # Someone waiting is told they lose their place in the queue.
    waiter_client = Client()
    waiter_client.force_login(waiting.user)
    assert "지금 대기 1번입니다" in text(waiter_client.get(f"/courses/{course.slug}/cancel/?next=/me/"))


def test_cancel_frees_the_seat_for_the_first_waiting_person(client, citizen):
    course = future_course(capacity=1, waitlist_limit=3)
    enroll(course, citizen)
    waiting = enroll(course, UserFactory())
    response = client.post(f"/courses/{course.slug}/cancel/", {"confirm": "yes"}, follow=True)
    assert f"'{course.title}' 수강신청을 취소했습니다" in text(response)
    assert Enrollment.objects.get(user=citizen).status == EnrollmentStatus.CANCELLED
    waiting.refresh_from_db()
    assert waiting.status == EnrollmentStatus.CONFIRMED
    assert OutboxEmail.objects.filter(dedup_key=f"course-enrollment-promoted:{waiting.pk}").exists()


def test_cancel_without_an_enrollment_or_after_the_deadline_is_refused(client, citizen):
    course = future_course()
    response = client.post(f"/courses/{course.slug}/cancel/", follow=True)
    assert "취소할 신청이 없습니다" in text(response)

    now = timezone.now()
    locked = future_course(
        enrollment_opens_at=now - datetime.timedelta(days=5),
        enrollment_closes_at=now + datetime.timedelta(days=5),
        cancellation_deadline=now - datetime.timedelta(hours=1),
    )
    enroll(locked, citizen)
    assert state(client, locked) == "confirmed_locked"
    response = client.post(f"/courses/{locked.slug}/cancel/", {"confirm": "yes"}, follow=True)
    assert "취소 마감(" in text(response)
    assert Enrollment.objects.get(course=locked).status == EnrollmentStatus.CONFIRMED


def test_cancel_returns_to_a_safe_next_url_only(client, citizen):
    course = future_course()
    enroll(course, citizen)
    response = client.post(
        f"/courses/{course.slug}/cancel/", {"confirm": "yes", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"/courses/{course.slug}/"
    other = future_course()
    enroll(other, citizen)
    assert (
        client.post(f"/courses/{other.slug}/cancel/", {"confirm": "yes", "next": "/me/"})["Location"]
        == "/me/"
    )
    # The question page carries a safe next address only.
    third = future_course()
    enroll(third, citizen)
    question = client.get(f"/courses/{third.slug}/cancel/?next=https://evil.example/")
    main = html(question)[html(question).index("<main") :]
    assert question.status_code == 200
    assert f'<input type="hidden" name="next" value="/courses/{third.slug}/">' in main
    assert "evil.example" not in main


# --- /me/ --------------------------------------------------------------------------------------------


def test_me_needs_login(client):
    response = client.get("/me/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/me/")


def test_me_lists_every_enrollment_with_status_position_and_cancel(client, citizen):
    confirmed = future_course(title="확정 강좌")
    enroll(confirmed, citizen)
    queued = future_course(title="대기 강좌", capacity=1, waitlist_limit=5)
    enroll(queued)
    enroll(queued)
    enroll(queued, citizen)
    gone = future_course(title="취소한 강좌")
    services.enrollment_cancel(enrollment=enroll(gone, citizen), actor=TEST_JOB)
    enroll(future_course(title="남의 강좌"))

    response = client.get("/me/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = text(response)
    assert "확정 강좌" in page and "대기 강좌" in page and "취소한 강좌" in page
    assert "남의 강좌" not in page
    assert "대기 2번" in page
    assert "본인 취소" in page
    body = html(response)
    assert f"/courses/{confirmed.slug}/cancel/" in body and f"/courses/{queued.slug}/cancel/" in body
    assert f"/courses/{gone.slug}/cancel/" not in body
    assert re.search(rf"/me/calendar/{citizen.pk}/[0-9a-f]{{40}}\.ics", body)


def test_me_runs_the_same_queries_at_10_and_100_enrollments(client, citizen):
    def build(count):
        for n in range(count):
            course = future_course(sessions=2, capacity=0 if n % 2 else 5, waitlist_limit=5)
            EnrollmentFactory(
                course=course,
                user=citizen,
                status=EnrollmentStatus.WAITING if n % 2 else EnrollmentStatus.CONFIRMED,
            )

    build(10)
    small = count_queries(client, "/me/")
    build(90)
    large = count_queries(client, "/me/")
    assert small == large


def test_sessions_list_and_cards_render_for_a_course_without_sessions(client):
    course = future_course(sessions=0)
    assert "일정 미정" in text(client.get("/courses/"))
    assert "회차 일정은 곧 안내합니다" in text(client.get(f"/courses/{course.slug}/"))
    CourseSessionFactory(course=course, date=timezone.localdate() + datetime.timedelta(days=3))
    assert "일정 미정" not in text(client.get("/courses/"))
