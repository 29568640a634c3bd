"""The partner API's ``courses`` resource: the public course catalogue with sessions and seats left."""

import csv
import datetime
import io

import pytest
from django.core.cache import cache
from django.utils import timezone

from courses.filters import CourseFilterSet
from courses.models import Course, CourseAudience, CourseSession, Enrollment, EnrollmentStatus
from jeonju_center.partners.models import ChangeEvent
from tests.api.support import assert_constant_queries, partner_client
from tests.partners.factories import make_key

from .factories import (
    CourseFactory,
    CourseSessionFactory,
    DongFactory,
    EnrollmentFactory,
    TrackFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/courses/"


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    # Anonymous reads are rate-limited per IP in the (process-wide) cache; tests must not share counts.
    cache.clear()
    yield
    cache.clear()


def _enroll(course, status, **kwargs):
    extra = {}
    if status == EnrollmentStatus.CANCELLED:
        extra = {"cancelled_at": timezone.now(), "cancel_reason": "by_user"}
    return EnrollmentFactory(course=course, status=status, **extra, **kwargs)


def _ids(response):
    assert response.status_code == 200, response.content[:500]
    return [row["id"] for row in response.json()["results"]]


@pytest.fixture
def humanities():
    """A published course with two sessions, two target dongs, 2 confirmed, 1 waiting, 1 cancelled."""
    track = TrackFactory(name="주경야독 인문학", slug="humanities")
    pungnam, nosong = DongFactory(name="풍남동"), DongFactory(name="노송동")
    course = CourseFactory(
        title="주경야독 인문학: 전주의 골목",
        slug="alleys-of-jeonju",
        track=track,
        summary="골목으로 읽는 전주의 역사",
        description="한옥마을과 남부시장 주변 골목을 함께 걷습니다.",
        instructor_name="이도시",
        instructor_bio="도시사학자",
        place="전주도시혁신센터 3층 세미나실",
        audience=CourseAudience.DONG_RESIDENTS,
        audience_dongs=[pungnam, nosong],
        capacity=3,
        waitlist_limit=4,
        enrollment_opens_at=datetime.datetime(2026, 2, 1, 9, 0, tzinfo=datetime.UTC),
        enrollment_closes_at=datetime.datetime(2026, 2, 20, 18, 0, tzinfo=datetime.UTC),
        cancellation_deadline=datetime.datetime(2026, 2, 25, 18, 0, tzinfo=datetime.UTC),
        fee=10000,
        completion_percent=75,
        status=Course.Status.RECRUITING,
    )
    CourseSessionFactory(
        course=course,
        date=datetime.date(2026, 3, 10),
        start_time=datetime.time(19, 0),
        end_time=datetime.time(21, 0),
        room="301호",
        topic="골목의 탄생",
    )
    CourseSessionFactory(
        course=course,
        date=datetime.date(2026, 3, 3),
        start_time=datetime.time(19, 0),
        end_time=datetime.time(21, 0),
        room="302호",
        topic="성곽과 길",
    )
    course.enrollees = [
        _enroll(course, EnrollmentStatus.CONFIRMED, user=UserFactory(name="김수강", phone="010-5555-1234")),
        _enroll(course, EnrollmentStatus.CONFIRMED),
        _enroll(course, EnrollmentStatus.WAITING, user=UserFactory(name="박대기", phone="010-7777-4321")),
        _enroll(course, EnrollmentStatus.CANCELLED),
    ]
    return course


# --- list and detail ---------------------------------------------------------------------------------


def test_list_shows_published_courses_with_sessions_and_seats_left(client, humanities):
    CourseFactory(title="비공개 초안", is_published=False, status=Course.Status.PREPARING)
    published_draft = CourseFactory(title="공개된 준비 중 강좌", status=Course.Status.PREPARING)

    response = client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 2
    by_title = {row["title"]: row for row in body["results"]}
    assert set(by_title) == {"주경야독 인문학: 전주의 골목", "공개된 준비 중 강좌"}
    assert by_title["공개된 준비 중 강좌"]["status"] == "preparing"
    assert by_title["공개된 준비 중 강좌"]["status_label"] == "준비 중"
    assert by_title["공개된 준비 중 강좌"]["id"] == published_draft.pk

    row = by_title["주경야독 인문학: 전주의 골목"]
    pungnam_id = humanities.audience_dongs.get(name="풍남동").pk
    nosong_id = humanities.audience_dongs.get(name="노송동").pk
    assert row == {
        "id": humanities.pk,
        "slug": "alleys-of-jeonju",
        "title": "주경야독 인문학: 전주의 골목",
        "track": humanities.track_id,
        "track_name": "주경야독 인문학",
        "track_slug": "humanities",
        "summary": "골목으로 읽는 전주의 역사",
        "description": "한옥마을과 남부시장 주변 골목을 함께 걷습니다.",
        "instructor_name": "이도시",
        "instructor_bio": "도시사학자",
        "place": "전주도시혁신센터 3층 세미나실",
        "audience": "dong_residents",
        "audience_label": "지정 행정동 주민",
        "audience_dongs": row["audience_dongs"],
        "audience_dong_names": row["audience_dong_names"],
        "capacity": 3,
        "seats_left": 1,
        "waitlist_length": 1,
        "waitlist_limit": 4,
        "enrollment_opens_at": "2026-02-01T18:00:00+09:00",
        "enrollment_closes_at": "2026-02-21T03:00:00+09:00",
        "is_enrollment_open": row["is_enrollment_open"],
        "cancellation_deadline": "2026-02-26T03:00:00+09:00",
        "fee": 10000,
        "completion_percent": 75,
        "status": "recruiting",
        "status_label": "모집 중",
        "image": None,
        "image_alt": "",
        "first_session_date": "2026-03-03",
        "last_session_date": "2026-03-10",
        "session_count": 2,
        "sessions": [
            {
                "id": row["sessions"][0]["id"],
                "date": "2026-03-03",
                "start_time": "19:00:00",
                "end_time": "21:00:00",
                "room": "302호",
                "topic": "성곽과 길",
            },
            {
                "id": row["sessions"][1]["id"],
                "date": "2026-03-10",
                "start_time": "19:00:00",
                "end_time": "21:00:00",
                "room": "301호",
                "topic": "골목의 탄생",
            },
        ],
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }
    assert sorted(zip(row["audience_dongs"], row["audience_dong_names"], strict=True)) == sorted(
        [(pungnam_id, "풍남동"), (nosong_id, "노송동")]
    )
    assert [s["id"] for s in row["sessions"]] == list(
        humanities.sessions.order_by("date").values_list("id", flat=True)
    )
    # The window (February 2026) is compared with the real clock, like the filter.
    now = timezone.now()
    assert row["is_enrollment_open"] is (
        humanities.enrollment_opens_at <= now < humanities.enrollment_closes_at
    )


def test_no_enrollment_or_enrollee_data_in_any_response(client, humanities):
    EnrollmentFactory(
        course=humanities,
        is_completed=True,
        completed_at=timezone.now(),
        certificate_number="JUIC-2026-0042-007",
        user=UserFactory(username="secret_citizen", name="최비밀", phone="010-9999-0000"),
    )
    texts = [
        client.get(URL).content.decode(),
        client.get(f"{URL}{humanities.pk}/").content.decode(),
        client.get(f"{URL}?format=csv").content.decode("utf-8-sig"),
    ]
    for text in texts:
        for secret in [
            "김수강", "010-5555-1234", "박대기", "010-7777-4321", "최비밀", "010-9999-0000",
            "secret_citizen", "JUIC-2026-0042-007", "enrollments", "requested_at", "consent",
        ]:  # fmt: skip
            assert secret not in text


def test_seats_left_never_goes_below_zero(client):
    course = CourseFactory(capacity=1)
    _enroll(course, EnrollmentStatus.CONFIRMED)
    _enroll(course, EnrollmentStatus.CONFIRMED)  # staff may over-book by hand
    row = client.get(f"{URL}{course.pk}/").json()
    assert row["seats_left"] == 0
    assert row["waitlist_length"] == 0


def test_seats_are_counted_per_course_even_when_filtering_by_sessions(client, humanities):
    # A month filter looks at sessions; the counts must not be multiplied by them.
    CourseSessionFactory(course=humanities, date=datetime.date(2026, 3, 17))
    row = client.get(URL, {"month": "2026-03"}).json()["results"][0]
    assert (row["seats_left"], row["waitlist_length"], row["session_count"]) == (1, 1, 3)


def test_course_without_sessions_has_null_session_dates(client):
    course = CourseFactory()
    row = client.get(f"{URL}{course.pk}/").json()
    assert (row["first_session_date"], row["last_session_date"], row["sessions"]) == (None, None, [])
    assert row["seats_left"] == course.capacity == 20


def test_detail_and_404_for_unpublished(client, humanities):
    hidden = CourseFactory(is_published=False)
    response = client.get(f"{URL}{humanities.pk}/")
    assert response.status_code == 200
    assert response.json()["slug"] == "alleys-of-jeonju"
    assert response.json()["seats_left"] == 1
    assert "Last-Modified" in response
    missing = client.get(f"{URL}{hidden.pk}/")
    assert missing.status_code == 404
    assert set(missing.json()) == {"code", "detail", "errors"}


# --- filters ----------------------------------------------------------------------------------------


def test_filter_by_track_slug(client, humanities):
    other = CourseFactory(track=TrackFactory(slug="social-economy"))
    assert _ids(client.get(URL, {"track": "humanities"})) == [humanities.pk]
    assert _ids(client.get(URL, {"track": "social-economy"})) == [other.pk]


def test_filter_by_status(client, humanities):
    finished = CourseFactory(status=Course.Status.FINISHED)
    assert _ids(client.get(URL, {"status": "finished"})) == [finished.pk]
    assert _ids(client.get(URL, {"status": "recruiting"})) == [humanities.pk]


def test_filter_by_month_of_a_session(client, humanities):
    april_first = CourseFactory()
    CourseSessionFactory(course=april_first, date=datetime.date(2026, 4, 1))
    march_last = CourseFactory()
    CourseSessionFactory(course=march_last, date=datetime.date(2026, 3, 31))
    CourseSessionFactory(course=march_last, date=datetime.date(2026, 4, 7))
    december = CourseFactory()
    CourseSessionFactory(course=december, date=datetime.date(2025, 12, 31))

    assert sorted(_ids(client.get(URL, {"month": "2026-03"}))) == sorted([humanities.pk, march_last.pk])
    assert sorted(_ids(client.get(URL, {"month": "2026-04"}))) == sorted([april_first.pk, march_last.pk])
    assert _ids(client.get(URL, {"month": "2025-12"})) == [december.pk]
    assert _ids(client.get(URL, {"month": "2026-05"})) == []


def test_filter_open_means_inside_the_window_and_not_cancelled(client):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    open_now = CourseFactory(enrollment_opens_at=now - day, enrollment_closes_at=now + day)
    not_yet = CourseFactory(enrollment_opens_at=now + day, enrollment_closes_at=now + 3 * day)
    closed = CourseFactory(enrollment_opens_at=now - 3 * day, enrollment_closes_at=now - day)
    cancelled = CourseFactory(
        enrollment_opens_at=now - day, enrollment_closes_at=now + day, status=Course.Status.CANCELLED
    )

    assert _ids(client.get(URL, {"open": "true"})) == [open_now.pk]
    assert sorted(_ids(client.get(URL, {"open": "false"}))) == sorted([not_yet.pk, closed.pk, cancelled.pk])
    assert _ids(client.get(URL, {"open": "1"})) == [open_now.pk]
    flags = {row["id"]: row["is_enrollment_open"] for row in client.get(URL).json()["results"]}
    assert flags == {open_now.pk: True, not_yet.pk: False, closed.pk: False, cancelled.pk: False}


@pytest.mark.parametrize(
    ("q", "field"),
    [("골목으로", "summary"), ("전주의 골목", "title"), ("이도시", "instructor_name")],
)
def test_filter_q_searches_title_summary_and_instructor(client, humanities, q, field):
    CourseFactory(title="사회적경제 입문", summary="협동조합 만들기", instructor_name="정강사")
    assert _ids(client.get(URL, {"q": q})) == [humanities.pk]


def test_filter_q_does_not_search_the_description(client, humanities):
    assert _ids(client.get(URL, {"q": "남부시장"})) == []


def test_filter_by_audience(client, humanities):
    everyone = CourseFactory(audience=CourseAudience.EVERYONE)
    assert _ids(client.get(URL, {"audience": "everyone"})) == [everyone.pk]
    assert _ids(client.get(URL, {"audience": "dong_residents"})) == [humanities.pk]


def test_filters_combine(client, humanities):
    CourseFactory(track=humanities.track, status=Course.Status.FINISHED)
    response = client.get(URL, {"track": "humanities", "status": "recruiting", "month": "2026-03"})
    assert _ids(response) == [humanities.pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("track=no-such-track", "track"),
        ("status=open", "status"),
        ("month=2026-13", "month"),
        ("month=march", "month"),
        ("month=2026-3", "month"),
        ("open=maybe", "open"),
        ("audience=tourists", "audience"),
        ("ordering=capacity", "ordering"),
        ("ordering=seats_left", "ordering"),
        ("updated_since=yesterday", "updated_since"),
    ],
)
def test_invalid_filter_values_are_400_with_the_field(client, query, field):
    CourseFactory()
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["errors"]
    assert body["errors"][field][0]


def test_month_error_message_is_korean(client):
    response = client.get(URL, {"month": "2026/03"})
    assert response.json()["errors"]["month"] == ["YYYY-MM 형식의 연월이어야 합니다. 예: 2026-03"]


def test_filterset_works_as_an_html_form():
    TrackFactory(name="도시재생", slug="regeneration")
    filterset = CourseFilterSet(data={"track": "regeneration", "open": "on", "month": "2026-03"})
    assert filterset.is_valid(), filterset.errors
    form = filterset.form
    assert str(form["track"].label) == "분야"
    assert 'type="month"' in str(form["month"])
    assert "도시재생" in str(form["track"])
    assert filterset.form.cleaned_data["open"] is True


# --- ordering, updated_since, pagination -------------------------------------------------------------------


def test_ordering_by_first_session_date_title_and_updated_at(client):
    def course_on(day, title):
        course = CourseFactory(title=title)
        CourseSessionFactory(course=course, date=datetime.date(2026, 5, day))
        CourseSessionFactory(course=course, date=datetime.date(2026, 6, 30 - day))
        return course

    late, early, middle = course_on(20, "가"), course_on(3, "다"), course_on(10, "나")
    assert _ids(client.get(URL, {"ordering": "first_session_date"})) == [early.pk, middle.pk, late.pk]
    assert _ids(client.get(URL, {"ordering": "-first_session_date"})) == [late.pk, middle.pk, early.pk]
    assert _ids(client.get(URL, {"ordering": "title"})) == [late.pk, middle.pk, early.pk]
    middle.save()
    assert _ids(client.get(URL, {"ordering": "-updated_at"}))[0] == middle.pk


def test_default_ordering_is_newest_enrollment_first(client):
    now = timezone.now()
    older = CourseFactory(enrollment_opens_at=now - datetime.timedelta(days=30))
    newer = CourseFactory(enrollment_opens_at=now - datetime.timedelta(days=2))
    assert _ids(client.get(URL)) == [newer.pk, older.pk]


def test_updated_since_includes_courses_whose_sessions_or_seats_changed(client):
    row_changed, session_changed, seat_changed, untouched = (CourseFactory() for _ in range(4))
    session = CourseSessionFactory(course=session_changed)
    enrollment = _enroll(seat_changed, EnrollmentStatus.WAITING)
    CourseSessionFactory(course=untouched)
    moment = timezone.now()

    row_changed.save()
    session.topic = "바뀐 주제"
    session.save()
    enrollment.status = EnrollmentStatus.CONFIRMED
    enrollment.confirmed_at = timezone.now()
    enrollment.save()

    ids = _ids(client.get(URL, {"updated_since": moment.isoformat()}))
    assert sorted(ids) == sorted([row_changed.pk, session_changed.pk, seat_changed.pk])
    later = timezone.now() + datetime.timedelta(seconds=1)
    assert _ids(client.get(URL, {"updated_since": later.isoformat()})) == []


def test_pagination(client):
    for _ in range(3):
        CourseFactory()
    body = client.get(URL, {"page_size": 2}).json()
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert "page=2" in body["next"]
    assert body["previous"] is None


# --- query count, CSV --------------------------------------------------------------------------------------


def test_list_query_count_is_constant(client):
    track = TrackFactory()
    dongs = [DongFactory(name="풍남동"), DongFactory(name="노송동")]

    def add_rows(n):
        for _ in range(n):
            course = CourseFactory(track=track, audience=CourseAudience.DONG_RESIDENTS, audience_dongs=dongs)
            CourseSessionFactory(course=course, date=datetime.date(2026, 3, 4))
            CourseSessionFactory(course=course, date=datetime.date(2026, 3, 11))
            _enroll(course, EnrollmentStatus.CONFIRMED, user=None, applicant_dong=None)
            _enroll(course, EnrollmentStatus.WAITING, user=None, applicant_dong=None)

    assert_constant_queries(partner_client("courses:read"), f"{URL}?month=2026-03&open=true", add_rows)


def test_anonymous_list_query_count_is_constant(client):
    def add_rows(n):
        for _ in range(n):
            course = CourseFactory()
            CourseSessionFactory(course=course)

    assert_constant_queries(client, URL, add_rows)


def test_csv_flattens_sessions_and_dongs_into_columns(client, humanities):
    response = client.get(URL, {"format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert row["title"] == "주경야독 인문학: 전주의 골목"
    assert row["track_name"] == "주경야독 인문학"
    assert row["seats_left"] == "1"
    assert row["status_label"] == "모집 중"
    assert row["sessions.0.date"] == "2026-03-03"
    assert row["sessions.0.topic"] == "성곽과 길"
    assert row["sessions.1.room"] == "301호"
    assert {row["audience_dong_names.0"], row["audience_dong_names.1"]} == {"풍남동", "노송동"}
    assert list(rows[0])[:3] == ["id", "slug", "title"]


# --- change feed --------------------------------------------------------------------------------------------


def _course_events():
    return [(e.object_id, e.action) for e in ChangeEvent.objects.filter(resource="courses").order_by("id")]


def test_feed_course_created_updated_unpublished_deleted():
    course = CourseFactory()
    course.title = "바뀐 제목"
    course.save()
    course.is_published = False
    course.save()
    course_id = str(course.pk)
    course.delete()
    assert _course_events() == [
        (course_id, "created"),
        (course_id, "updated"),
        (course_id, "deleted"),
        (course_id, "deleted"),
    ]


def test_feed_unpublished_course_is_never_announced():
    course = CourseFactory(is_published=False)
    assert _course_events() == [(str(course.pk), "deleted")]
    course.is_published = True
    course.save()
    assert _course_events()[-1] == (str(course.pk), "updated")


def test_feed_session_changes_are_updates_of_the_course():
    course = CourseFactory()
    ChangeEvent.objects.all().delete()
    session = CourseSessionFactory(course=course)
    session.room = "옮긴 강의실"
    session.save()
    session.delete()
    assert _course_events() == [(str(course.pk), "updated")] * 3
    assert CourseSession.objects.filter(course=course).count() == 0


def test_feed_enrollment_changes_are_updates_of_the_course():
    course = CourseFactory()
    ChangeEvent.objects.all().delete()
    enrollment = _enroll(course, EnrollmentStatus.WAITING)
    enrollment.status = EnrollmentStatus.CANCELLED
    enrollment.cancelled_at = timezone.now()
    enrollment.cancel_reason = "by_user"
    enrollment.save()
    enrollment.delete()
    assert _course_events() == [(str(course.pk), "updated")] * 3
    assert not Enrollment.objects.filter(course=course).exists()


def test_change_feed_endpoint_lists_course_events():
    course = CourseFactory()
    CourseSessionFactory(course=course)
    api = partner_client("ondure:read")  # courses are public: any key sees their events
    response = api.get("/api/v1/changes/", {"resource": "courses"})
    assert response.status_code == 200
    events = [(e["resource"], e["id"], e["action"]) for e in response.json()["results"]]
    assert events == [("courses", str(course.pk), "created"), ("courses", str(course.pk), "updated")]


# --- access -------------------------------------------------------------------------------------------------


def test_catalogue_is_public_and_open_to_every_key(client, humanities):
    assert _ids(client.get(URL)) == [humanities.pk]
    assert _ids(partner_client("courses:read").get(URL)) == [humanities.pk]
    assert _ids(partner_client("social_economy:read").get(URL)) == [humanities.pk]
    assert client.get(f"{URL}{humanities.pk}/").status_code == 200


def test_a_bad_or_revoked_key_is_401_even_on_public_data(client, humanities):
    response = client.get(URL, HTTP_AUTHORIZATION="Api-Key not-a-real-key")
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Api-Key"

    api_key, raw_key = make_key("courses:read")
    api_key.revoked = True
    api_key.save()
    response = client.get(URL, HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
    assert response.status_code == 401


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_nobody_can_write_courses_through_the_api(client, humanities, method):
    before = list(Course.objects.values_list("id", "title", "updated_at"))
    anonymous = getattr(client, method)(
        f"{URL}{humanities.pk}/", {"title": "해킹"}, content_type="application/json"
    )
    # The resource has no write methods at all: 405 for everyone, whatever their key.
    assert anonymous.status_code == 405
    keyed = getattr(partner_client("courses:read"), method)(
        f"{URL}{humanities.pk}/", {"title": "해킹"}, format="json"
    )
    assert keyed.status_code == 405
    created = getattr(client, method)(URL, {"title": "새 강좌"}, content_type="application/json")
    assert created.status_code == 405
    assert list(Course.objects.values_list("id", "title", "updated_at")) == before
