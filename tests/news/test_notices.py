"""Notices (공지사항): their own list and pages, pinned ones first, attachments handed out by the portal, never mixed
with news, and on the home page and in the menu."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from jeonju_center.news.models import NewsAttachment, NewsPost

from .factories import NewsPostFactory

pytestmark = pytest.mark.django_db


def notice(**kwargs):
    return NewsPostFactory(kind=NewsPost.Kind.NOTICE, **kwargs)


def test_notices_have_their_own_list_with_pinned_ones_first_and_news_stays_apart(client):
    old_pinned = notice(
        title="운영 시간 안내", is_pinned=True, published_at=timezone.now() - datetime.timedelta(days=30)
    )
    recent = notice(title="대관 신청서 양식", published_at=timezone.now() - datetime.timedelta(hours=2))
    news = NewsPostFactory(title="마을 축제 이야기")
    notice(title="예약 공지", published_at=timezone.now() + datetime.timedelta(days=1))
    notice(title="임시 저장 공지", status=NewsPost.Status.DRAFT, published_at=None)

    page = client.get("/notices/").content.decode()
    assert page.index("운영 시간 안내") < page.index("대관 신청서 양식")  # pinned first, although older
    assert "마을 축제 이야기" not in page and "예약 공지" not in page and "임시 저장 공지" not in page
    news_page = client.get("/news/").content.decode()
    assert "마을 축제 이야기" in news_page and "대관 신청서 양식" not in news_page
    assert client.get(f"/notices/{recent.slug}/").status_code == 200
    assert client.get(f"/news/{recent.slug}/").status_code == 404  # a notice is not a news post
    assert client.get(f"/notices/{news.slug}/").status_code == 404
    home = client.get("/").content.decode()
    assert "운영 시간 안내" in home and 'href="/notices/"' in home
    assert old_pinned.is_pinned


def test_only_notices_can_be_pinned():
    with pytest.raises(IntegrityError), transaction.atomic():
        NewsPostFactory(is_pinned=True)
    post = NewsPost(title="x", slug="x", body="<p>x</p>", is_pinned=True)
    with pytest.raises(ValidationError, match="공지사항만"):
        post.full_clean()


def test_attachments_are_served_for_visible_posts_only(client):
    visible = notice(title="서식")
    attachment = NewsAttachment.objects.create(
        post=visible, title="대관 신청서", file=ContentFile(b"%PDF-1.4 form", name="form.pdf")
    )
    page = client.get(f"/notices/{visible.slug}/").content.decode()
    url = f"/notices/{visible.slug}/attachments/{attachment.pk}/"
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 form"
    other = notice(title="다른 공지")
    assert client.get(f"/notices/{other.slug}/attachments/{attachment.pk}/").status_code == 404
    NewsPost.objects.filter(pk=visible.pk).update(status=NewsPost.Status.DRAFT)
    assert client.get(url).status_code == 404


def test_the_notice_list_costs_the_same_queries_for_more_notices(client, django_assert_max_num_queries):
    for number in range(3):
        notice(title=f"공지 {number}")
    with django_assert_max_num_queries(12) as few:
        client.get("/notices/")
    for number in range(3, 15):
        notice(title=f"공지 {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/notices/")


def test_the_faq_groups_published_questions_by_program(client):
    from jeonju_center.news.models import FaqEntry, Program

    FaqEntry.objects.create(
        program=Program.COURSES,
        question="수강 취소는?",
        answer="나의 강좌에서 취소합니다.\nhttps://example.org/guide",
        display_order=2,
    )
    FaqEntry.objects.create(
        program=Program.COURSES, question="수료증은?", answer="PDF로 받습니다.", display_order=1
    )
    FaqEntry.objects.create(program=Program.ONDURE, question="최소 인원은?", answer="유형마다 다릅니다.")
    FaqEntry.objects.create(program=Program.ONDURE, question="숨긴 질문", answer="-", is_published=False)
    page = client.get("/faq/").content.decode()
    # Programs in their usual order (Ondure before courses), questions in their display order within each.
    assert page.index("최소 인원은?") < page.index("수료증은?") < page.index("수강 취소는?")
    assert "숨긴 질문" not in page
    assert '<a href="https://example.org/guide"' in page  # links in answers are clickable
    only_ondure = client.get("/faq/", {"program": "ondure"}).content.decode()
    assert "최소 인원은?" in only_ondure and "수료증은?" not in only_ondure
    assert client.get("/faq/", {"program": "<script>"}).status_code == 200
    assert 'href="/faq/"' in client.get("/").content.decode()  # linked from every page's footer
