"""Anonymous visitors' course pages come from the shared cache (courses/cache.py, issue 10): never stale,
never someone else's, and no SQL on a hit."""

import datetime
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses import cache as page_cache
from courses import services
from courses.models import EnrollmentStatus
from tests.actors import TEST_JOB

from .factories import DongFactory, EnrollmentFactory, UserFactory, future_course

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def get(client, url):
    """The response and the number of SQL queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def enroll(course, user=None):
    return services.enrollment_create(
        course=course, user=user or UserFactory(), consent_version="2026-11-01", actor=TEST_JOB
    )


@pytest.fixture
def course():
    return future_course(title="마을기록가 학교", capacity=3, waitlist_limit=2)


def build(count):
    for _ in range(count):
        new = future_course(sessions=2, capacity=2)
        EnrollmentFactory(course=new)


@pytest.mark.parametrize("url", ["/courses/", "/courses/?open=true&page=1", "detail"])
def test_a_cached_page_runs_no_sql_at_any_size(client, course, url):
    url = f"/courses/{course.slug}/" if url == "detail" else url
    build(5)
    first, first_queries = get(client, url)
    assert first.status_code == 200 and first_queries > 0
    again, hit_queries = get(client, url)
    assert again.status_code == 200
    assert hit_queries == 0
    build(10)  # new courses and enrolments: the page changes, is rendered again, then cached again
    _, miss_queries = get(client, url)
    _, hit_queries = get(client, url)
    assert miss_queries > 0 and hit_queries == 0


@pytest.mark.parametrize("url", ["/courses/", "detail"])
def test_the_cached_page_is_the_page_rendered_without_the_cache(client, course, monkeypatch, url):
    url = f"/courses/{course.slug}/" if url == "detail" else url
    client.get(url)
    cached = Client().get(url).content.decode()
    monkeypatch.setattr(page_cache, "is_shared", lambda request: False)
    rendered = Client().get(url).content.decode()
    assert CSRF_INPUT.sub("", cached) == CSRF_INPUT.sub("", rendered)
    assert "마을기록가 학교" in cached and "3석" in cached


def test_every_visitor_gets_their_own_working_csrf_token(course):
    Client().get(f"/courses/{course.slug}/")  # cached by a first visitor
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        page = visitor.get(f"/courses/{course.slug}/").content.decode()
        assert page_cache.CSRF_PLACEHOLDER not in page
        token = CSRF_INPUT.search(page).group(1)
        tokens.append(token)
        # The language switch of the cached page works for this visitor (the token matches their cookie).
        response = visitor.post(
            "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
        assert visitor.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert tokens[0] != tokens[1]


def test_an_enrollment_or_cancellation_shows_at_once(client, course):
    assert "남은 자리 3석" in client.get(f"/courses/{course.slug}/").content.decode()
    assert "3석 / 정원 3명" in client.get("/courses/").content.decode()
    enrollment = enroll(course)
    assert "남은 자리 2석" in client.get(f"/courses/{course.slug}/").content.decode()
    assert "2석 / 정원 3명" in client.get("/courses/").content.decode()
    services.enrollment_cancel(enrollment=enrollment, actor=TEST_JOB)
    assert "남은 자리 3석" in client.get(f"/courses/{course.slug}/").content.decode()


def test_the_version_is_bumped_again_after_the_commit(course, django_capture_on_commit_callbacks):
    before = page_cache.current_version()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enroll(course)
        during = page_cache.current_version()
    assert during > before  # at once, for reads inside the transaction
    assert callbacks  # and once more after the commit, for pages rendered from the old rows meanwhile
    assert page_cache.current_version() > during


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(
            lambda course, dong: setattr(course, "title", "고친 강좌명") or course.save(), id="course"
        ),
        pytest.param(
            lambda course, dong: [session.save() for session in course.sessions.all()], id="session"
        ),
        pytest.param(lambda course, dong: course.sessions.first().delete(), id="session deleted"),
        pytest.param(lambda course, dong: course.track.save(), id="track"),
        pytest.param(lambda course, dong: course.audience_dongs.add(dong), id="audience dongs"),
        pytest.param(lambda course, dong: dong.save(), id="dong"),
        pytest.param(
            lambda course, dong: EnrollmentFactory(course=course, status=EnrollmentStatus.WAITING),
            id="waiting",
        ),
    ],
)
def test_every_change_of_what_the_pages_show_invalidates_them(client, course, change):
    dong = DongFactory(name="혁신동")
    client.get(f"/courses/{course.slug}/")
    client.get("/courses/")
    change(course, dong)
    for url in (f"/courses/{course.slug}/", "/courses/"):
        _, queries = get(client, url)
        assert queries > 0, url


def test_a_lost_version_never_serves_an_old_entry(client, course):
    client.get(f"/courses/{course.slug}/")
    page_cache.cache.delete(page_cache.VERSION_KEY)  # evicted, or Redis restarted without its data
    _, queries = get(client, f"/courses/{course.slug}/")
    assert queries > 0


def test_a_signed_in_page_never_enters_the_anonymous_cache(client, course):
    citizen = UserFactory(name="김민지")
    enroll(course, citizen)
    member = Client()
    member.force_login(citizen)
    mine = member.get(f"/courses/{course.slug}/").content.decode()
    assert "수강이 확정되었습니다" in mine and f"/courses/{course.slug}/cancel/" in mine
    assert "no-store" in member.get(f"/courses/{course.slug}/")["Cache-Control"]

    response, queries = get(client, f"/courses/{course.slug}/")
    anonymous = response.content.decode()
    assert queries > 0  # nothing was cached by the signed-in visits
    assert "로그인하고 신청하기" in anonymous
    assert (
        "수강이 확정되었습니다" not in anonymous and "/cancel/" not in anonymous and "김민지" not in anonymous
    )


def test_a_signed_in_visitor_never_gets_the_anonymous_page(client, course):
    citizen = UserFactory(name="김민지")
    enroll(course, citizen)
    client.get(f"/courses/{course.slug}/")  # the anonymous page is cached after the enrolment
    client.get("/courses/")
    member = Client()
    member.force_login(citizen)
    response, queries = get(member, f"/courses/{course.slug}/")
    page = response.content.decode()
    assert queries > 0
    assert "수강이 확정되었습니다" in page and "로그인하고 신청하기" not in page
    assert "로그아웃" in member.get("/courses/").content.decode()  # the signed-in header, not the cached one


def test_a_waiting_message_is_shown_not_cached_and_not_skipped(client, course):
    message = '<p class="message message-info">수강신청은 로그인한 뒤 할 수 있습니다.</p>'
    client.get(f"/courses/{course.slug}/")  # the shared page, without messages
    client.post(f"/courses/{course.slug}/enroll/", {"agree_privacy": "on"})  # not signed in: a message
    assert message in client.get(f"/courses/{course.slug}/").content.decode()
    assert message not in client.get(f"/courses/{course.slug}/").content.decode()  # shown once
    assert message not in Client().get(f"/courses/{course.slug}/").content.decode()  # and only to them


def test_each_language_has_its_own_entry(client, course):
    assert '<html lang="ko">' in client.get("/courses/").content.decode()
    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert '<html lang="en">' in english.get("/courses/").content.decode()
    assert '<html lang="ko">' in client.get("/courses/").content.decode()


def test_bad_filters_are_answered_but_not_cached(client, course):
    for _ in range(2):
        response, queries = get(client, "/courses/?month=2026-13")
        assert response.status_code == 400 and queries > 0
        assert page_cache.CSRF_PLACEHOLDER not in response.content.decode()


def test_an_unknown_course_is_a_404_every_time(client):
    for _ in range(2):
        assert client.get("/courses/no-such-course/").status_code == 404


def test_the_pages_expire_when_an_enrollment_window_opens(client, time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    opens = timezone.now() + datetime.timedelta(hours=1)
    course = future_course(
        title="곧 열리는 강좌",
        enrollment_opens_at=opens,
        enrollment_closes_at=opens + datetime.timedelta(days=7),
    )
    assert (
        "로그인하고 신청하기" not in client.get(f"/courses/{course.slug}/").content.decode()
    )  # not yet open
    assert "곧 열리는 강좌" not in client.get("/courses/?open=true").content.decode()
    time_machine.move_to(opens + datetime.timedelta(seconds=1), tick=False)
    # Open now: no write happened, the entries ran out by themselves.
    assert "로그인하고 신청하기" in client.get(f"/courses/{course.slug}/").content.decode()
    assert "곧 열리는 강좌" in client.get("/courses/?open=true").content.decode()


def test_an_unreachable_cache_makes_pages_slower_never_broken(
    client, course, monkeypatch, django_capture_on_commit_callbacks
):
    from redis.exceptions import ConnectionError as RedisConnectionError

    def down(*args, **kwargs):
        raise RedisConnectionError("Redis is down")

    for name in ("get", "get_many", "set", "add", "incr"):
        monkeypatch.setattr(page_cache.cache, name, down)
    assert "남은 자리 3석" in client.get(f"/courses/{course.slug}/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        enroll(course)  # the invalidation fails; the enrolment does not
    assert course.enrollments.filter(status=EnrollmentStatus.CONFIRMED).count() == 1
    assert "남은 자리 2석" in client.get(f"/courses/{course.slug}/").content.decode()
    assert "2석 / 정원 3명" in client.get("/courses/").content.decode()
