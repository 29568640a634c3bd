"""News: publishing rules, sanitised rich text, the public pages, the feeds and the home page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses.selectors import upcoming_open_courses
from jeonju_center.news import selectors, services
from jeonju_center.news.models import NewsPost, Program
from jeonju_center.news.richtext import sanitize_html
from tests.actors import TEST_JOB
from tests.courses.factories import future_course

from .factories import NewsPostFactory

pytestmark = pytest.mark.django_db


def _new_post(**fields):
    values = {
        "title": "가을 강좌 안내",
        "slug": "autumn",
        "program": Program.COURSES,
        "body": "<p>안내</p>",
        "status": NewsPost.Status.PUBLISHED,
    }
    values.update(fields)
    return NewsPost(**values)


# --- Publishing -------------------------------------------------------------------------------------


def test_drafts_and_scheduled_posts_are_invisible_everywhere(client):
    visible = NewsPostFactory(title="공개된 소식")
    draft = NewsPostFactory(title="임시 저장 소식", status=NewsPost.Status.DRAFT, published_at=None)
    future = NewsPostFactory(title="예약된 소식", published_at=timezone.now() + datetime.timedelta(hours=2))

    assert list(selectors.public_news()) == [visible]
    listing = client.get(reverse("news:list")).content.decode()
    assert "공개된 소식" in listing
    assert "임시 저장 소식" not in listing and "예약된 소식" not in listing
    assert client.get(reverse("news:detail", args=[visible.slug])).status_code == 200
    assert client.get(reverse("news:detail", args=[draft.slug])).status_code == 404
    assert client.get(reverse("news:detail", args=[future.slug])).status_code == 404
    for feed in ("news:feed_rss", "news:feed_atom"):
        body = client.get(reverse(feed)).content.decode()
        assert "공개된 소식" in body and "예약된 소식" not in body and "임시 저장 소식" not in body
    home = client.get("/").content.decode()
    assert "공개된 소식" in home and "예약된 소식" not in home


def test_a_scheduled_post_appears_once_its_time_has_come():
    post = NewsPostFactory(published_at=timezone.now() + datetime.timedelta(hours=1))
    assert post not in selectors.public_news()
    assert post in selectors.public_news(now=timezone.now() + datetime.timedelta(hours=2))


def test_publishing_without_a_time_publishes_now_and_keeps_the_author(django_user_model):
    staff = django_user_model.objects.create_user(username="editor", email="editor@example.com")
    before = timezone.now()
    post = services.news_post_save(post=_new_post(), actor=staff)
    assert post.published_at >= before and post.author == staff
    assert post in selectors.public_news()


def test_the_database_refuses_a_published_post_without_a_time():
    NewsPostFactory(slug="x")
    with pytest.raises(IntegrityError):
        NewsPost.objects.filter(slug="x").update(published_at=None)


# --- Rich text --------------------------------------------------------------------------------------


def test_script_injection_is_removed_on_save():
    body = (
        '<p onclick="steal()">안녕하세요<script>alert("xss")</script></p>'
        '<a href="javascript:alert(1)">나쁜 링크</a><a href="https://www.jeonju.go.kr">전주시</a>'
        "<iframe src='https://evil.example'></iframe><style>body{display:none}</style>"
        '<img src="/static/x.png" alt="센터 전경" onerror="alert(2)">'
    )
    post = services.news_post_save(post=_new_post(body=body), actor=TEST_JOB)
    post.refresh_from_db()
    assert "script" not in post.body and "alert" not in post.body
    assert "onclick" not in post.body and "onerror" not in post.body
    assert "javascript:" not in post.body and "iframe" not in post.body and "display:none" not in post.body
    assert '<a href="https://www.jeonju.go.kr" rel="noopener noreferrer">전주시</a>' in post.body
    assert '<img src="/static/x.png" alt="센터 전경">' in post.body
    assert "<p>안녕하세요</p>" in post.body


def test_an_image_without_alt_text_is_refused_and_nothing_is_saved():
    with pytest.raises(ValidationError) as error:
        services.news_post_save(
            post=_new_post(body='<p>사진</p><img src="/a.png"><img src="/b.png" alt=" ">'), actor=TEST_JOB
        )
    assert "이미지 2개에 대체 텍스트(alt)가 없습니다" in error.value.message_dict["body"][0]
    assert not NewsPost.objects.exists()


def test_a_body_made_only_of_forbidden_tags_is_refused():
    with pytest.raises(ValidationError) as error:
        services.news_post_save(post=_new_post(body="<script>alert(1)</script>"), actor=TEST_JOB)
    assert "본문을 입력하세요" in error.value.message_dict["body"][0]
    assert not NewsPost.objects.exists()


def test_a_cover_image_needs_alt_text():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.news.images import tiny_png

    post = _new_post(image=SimpleUploadedFile("cover.png", tiny_png(), content_type="image/png"))
    with pytest.raises(ValidationError) as error:
        services.news_post_save(post=post, actor=TEST_JOB)
    assert error.value.message_dict["image_alt"] == ["대표 이미지가 있으면 대체 텍스트를 입력해야 합니다."]
    assert not NewsPost.objects.exists()


def test_sanitize_keeps_tables_and_headings():
    html = '<h2>일정</h2><table><tr><th scope="col">날짜</th></tr><tr><td>11월 3일</td></tr></table>'
    assert sanitize_html(html) == (
        '<h2>일정</h2><table><tbody><tr><th scope="col">날짜</th></tr><tr><td>11월 3일</td></tr></tbody></table>'
    )


def test_the_admin_sanitises_and_shows_alt_errors(admin_client):
    url = reverse("admin:news_newspost_add")
    data = {
        "kind": "news",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "title": "관리자 소식",
        "slug": "admin-post",
        "program": Program.CENTER,
        "summary": "",
        "body": '<p>본문<script>x()</script></p><img src="/a.png">',
        "image_alt": "",
        "status": "published",
        "published_at_0": "",
        "published_at_1": "",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "대체 텍스트(alt)가 없습니다" in response.content.decode()
    assert not NewsPost.objects.exists()

    data["body"] = '<p>본문<script>x()</script></p><img src="/a.png" alt="센터 전경">'
    response = admin_client.post(url, data)
    assert response.status_code == 302
    post = NewsPost.objects.get()
    assert post.body == '<p>본문</p><img src="/a.png" alt="센터 전경">'
    assert post.author.username == "admin" and post.published_at is not None


# --- Pages ------------------------------------------------------------------------------------------


def test_news_list_filters_by_program_and_a_bad_value_is_not_an_error(client):
    NewsPostFactory(title="재생 소식", program=Program.REGENERATION)
    NewsPostFactory(title="강좌 개설 알림", program=Program.COURSES)
    page = client.get(reverse("news:list"), {"program": "regeneration"}).content.decode()
    assert "재생 소식" in page and "강좌 개설 알림" not in page
    response = client.get(reverse("news:list"), {"program": "<script>", "page": "abc"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "재생 소식" in html and "강좌 개설 알림" in html
    assert "올바르게 선택해 주세요" in html and 'aria-invalid="true"' in html


@pytest.mark.parametrize("url_name", ["news:list", "home"])
def test_lists_run_a_constant_number_of_queries(client, url_name):
    def queries_with(total):
        while NewsPost.objects.count() < total:
            NewsPostFactory()
        while len(upcoming_open_courses(limit=100)) < total // 2:
            future_course()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url_name)).status_code == 200
        return len(captured)

    assert queries_with(4) == queries_with(16)


def test_news_detail_renders_the_sanitised_body_and_the_cover_alt(client):
    post = NewsPostFactory(body='<p>내용</p><img src="/x.png" alt="풍남동 골목">')
    html = client.get(reverse("news:detail", args=[post.slug])).content.decode()
    assert '<img src="/x.png" alt="풍남동 골목">' in html
    assert html.count("<h1") == 1


def test_feeds_are_valid_rss_and_atom(client):
    NewsPostFactory(title="피드 소식", program=Program.ONDURE, slug="feed-post")
    rss = client.get(reverse("news:feed_rss"))
    assert rss["Content-Type"].startswith("application/rss+xml")
    body = rss.content.decode()
    assert (
        "<title>피드 소식</title>" in body
        and "/news/feed-post/" in body
        and "<category>온두레 공동체</category>" in body
    )
    atom = client.get(reverse("news:feed_atom"))
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert 'xmlns="http://www.w3.org/2005/Atom"' in atom.content.decode()


def test_home_shows_open_upcoming_courses_news_quick_links_and_contact(client):
    course = future_course(title="주경야독 인문학: 판소리")
    closed = future_course(
        title="마감된 강좌",
        enrollment_opens_at=timezone.now() - datetime.timedelta(days=10),
        enrollment_closes_at=timezone.now() - datetime.timedelta(days=1),
    )
    hidden = future_course(title="비공개 강좌", is_published=False)
    NewsPostFactory(title="최신 소식")
    html = client.get("/").content.decode()
    assert course.title in html and reverse("courses:detail", args=[course.slug]) in html
    assert closed.title not in html and hidden.title not in html
    assert "최신 소식" in html
    for url_name in (
        "courses:catalogue",
        "social_economy:directory",
        "ondure:directory",
        "regeneration:index",
    ):
        assert f'href="{reverse(url_name)}"' in html
    assert "찾아오시는 길·문의" in html
    assert html.count("<h1") == 1
