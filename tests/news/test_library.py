"""The publications library (자료실): filters and search, only published items, files handed out by the portal
with a counter that counts a visitor once a day, past newsletter issues as pages, and bad input changing
nothing."""

import datetime
import io
import zipfile

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from jeonju_center.news import retention, services
from jeonju_center.news.models import (
    NewsletterIssue,
    Program,
    Publication,
    PublicationAttachment,
    PublicationDownload,
)
from tests.actors import TEST_JOB
from tests.courses.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"
KST = datetime.timezone(datetime.timedelta(hours=9))


def publication(slug, *, category=Publication.Category.RESEARCH, **kwargs):
    defaults = {
        "title": slug,
        "year": 2016,
        "program": Program.REGENERATION,
        "published_on": datetime.date(2016, 12, 20),
    }
    return Publication.objects.create(slug=slug, category=category, **{**defaults, **kwargs})


def attach(item, name="report.pdf", content=PDF):
    return PublicationAttachment.objects.create(
        publication=item, title="보고서 전문", file=ContentFile(content, name=name)
    )


def test_list_filters_by_category_program_year_and_searches_inside_words(client):
    publication("research", title="전주시 도시재생 정책 발굴과 연구", authors="정책연구팀")
    publication(
        "brief",
        title="제품 전수조사 요약",
        category=Publication.Category.POLICY_BRIEF,
        year=2025,
        program=Program.SOCIAL_ECONOMY,
    )
    publication("form", title="빈집 활용 신청서", category=Publication.Category.FORM, year=2026)
    publication("hidden", title="비공개 도시재생 초안", is_published=False)

    everything = client.get("/library/").content.decode()
    assert "전주시 도시재생 정책 발굴과 연구" in everything and "빈집 활용 신청서" in everything
    assert "비공개 도시재생 초안" not in everything

    assert_only = [
        ("?category=form", "빈집 활용 신청서"),
        ("?program=social_economy", "제품 전수조사 요약"),
        ("?year=2025", "제품 전수조사 요약"),
        ("?q=재생", "전주시 도시재생 정책 발굴과 연구"),  # a word inside a compound noun
        ("?q=연구팀", "전주시 도시재생 정책 발굴과 연구"),  # the authors are searched too
    ]
    titles = ["전주시 도시재생 정책 발굴과 연구", "제품 전수조사 요약", "빈집 활용 신청서"]
    for query, expected in assert_only:
        page = client.get(f"/library/{query}").content.decode()
        assert [title for title in titles if title in page] == [expected], query
    assert client.get("/library/hidden/").status_code == 404


@pytest.mark.parametrize("query", ["?year=1700", "?category=<script>", "?program=nothing", "?page=abc"])
def test_bad_filters_get_a_message_not_an_error(client, query):
    publication("research", title="정책 연구")
    response = client.get(f"/library/{query}")
    assert response.status_code == 200
    if "page" not in query:
        assert "올바르게 선택해 주세요" in response.content.decode() or "유효한" in response.content.decode()
        assert "정책 연구" in response.content.decode()  # an invalid filter filters nothing


def test_downloads_are_counted_once_per_visitor_and_day(client, django_user_model):
    item = publication("research")
    attachment = attach(item)
    url = f"/library/research/files/{attachment.pk}/"
    with time_machine.travel(datetime.datetime(2027, 3, 2, 10, 0, tzinfo=KST), tick=False):
        response = client.get(url, HTTP_USER_AGENT="browser-a")
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
        client.get(url, HTTP_USER_AGENT="browser-a")  # the same visitor again: not counted
        client.get(url, HTTP_USER_AGENT="browser-b")  # another browser from the same address: counted
        citizen = django_user_model.objects.create_user(username="reader", password="x-Long-pass-1")
        client.force_login(citizen)
        client.get(url, HTTP_USER_AGENT="browser-a")
        client.get(url, HTTP_USER_AGENT="browser-c")  # signed in: the account is the visitor
    attachment.refresh_from_db()
    assert attachment.download_count == 3
    with time_machine.travel(datetime.datetime(2027, 3, 3, 9, 0, tzinfo=KST), tick=False):
        client.get(url, HTTP_USER_AGENT="browser-a")  # a new day counts again
    attachment.refresh_from_db()
    assert attachment.download_count == 4
    assert "내려받기 4회" in client.get("/library/").content.decode()
    # The marks keep no address or browser: only a keyed hash per day.
    keys = set(PublicationDownload.objects.values_list("visitor_key", flat=True))
    assert len(keys) == 4 and all(len(key) == 64 and "browser" not in key for key in keys)


def test_download_marks_are_deleted_after_two_days():
    attachment = attach(publication("research"))
    for day in (datetime.date(2027, 3, 1), datetime.date(2027, 3, 4)):
        PublicationDownload.objects.create(attachment=attachment, visitor_key="k" * 64, day=day)
    removed = retention.purge_library_download_marks(cutoff=datetime.date(2027, 3, 2), now=timezone.now())
    assert removed == 1
    assert list(PublicationDownload.objects.values_list("day", flat=True)) == [datetime.date(2027, 3, 4)]


def test_the_same_mark_cannot_be_written_twice():
    attachment = attach(publication("research"))
    day = datetime.date(2027, 3, 1)
    assert services.publication_download_record(
        attachment_id=attachment.pk, visitor_key="a" * 64, day=day, actor=TEST_JOB
    )
    assert not services.publication_download_record(
        attachment_id=attachment.pk, visitor_key="a" * 64, day=day, actor=TEST_JOB
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicationDownload.objects.create(attachment=attachment, visitor_key="a" * 64, day=day)


def test_files_of_unpublished_items_and_of_other_items_are_not_handed_out(client):
    hidden = attach(publication("hidden", is_published=False))
    other = attach(publication("other"))
    publication("visible")
    assert client.get(f"/library/hidden/files/{hidden.pk}/").status_code == 404
    assert client.get(f"/library/visible/files/{other.pk}/").status_code == 404
    assert client.get(f"/library/other/files/{other.pk}/").status_code == 200


def test_only_pdf_hwp_and_hwpx_files_whose_content_matches_are_accepted():
    item = publication("research")
    hwpx = io.BytesIO()
    with zipfile.ZipFile(hwpx, "w") as archive:
        archive.writestr("mimetype", "application/hwp+zip")
    accepted = [
        ("report.pdf", PDF),
        ("form.hwp", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(64)),
        ("form.hwpx", hwpx.getvalue()),
    ]
    for name, content in accepted:
        PublicationAttachment(
            publication=item, title="파일", file=SimpleUploadedFile(name, content)
        ).full_clean()
    refused = [("table.xlsx", hwpx.getvalue(), "허용"), ("fake.pdf", b"MZ\x90\x00", "확장자")]
    for name, content, message in refused:
        attachment = PublicationAttachment(
            publication=item, title="파일", file=SimpleUploadedFile(name, content)
        )
        with pytest.raises(ValidationError, match=message):
            attachment.full_clean()


def test_a_newsletter_points_only_at_an_issue_and_year_is_checked():
    issue = NewsletterIssue.objects.create(subject="10월호")
    with pytest.raises(IntegrityError), transaction.atomic():
        publication("wrong", newsletter_issue=issue)  # a research report is not a newsletter issue
    with pytest.raises(IntegrityError), transaction.atomic():
        publication("old", year=1200)


def test_past_newsletter_issues_read_as_pages_and_drafts_do_not(client):
    sent = NewsletterIssue.objects.create(
        subject="뉴스레터 10월호",
        intro="<p>가을 소식을 전합니다.</p>",
        status=NewsletterIssue.Status.SENT,
        send_started_at=timezone.now(),
    )
    draft = NewsletterIssue.objects.create(subject="뉴스레터 11월호 작성 중")
    publication("newsletter-october", category=Publication.Category.NEWSLETTER, newsletter_issue=sent)
    library = client.get("/library/").content.decode()
    assert f"/library/newsletters/{sent.pk}/" in library and "11월호 작성 중" not in library
    page = client.get(f"/library/newsletters/{sent.pk}/").content.decode()
    assert "가을 소식을 전합니다." in page and "구독 해지" not in page
    assert f"/library/newsletters/{sent.pk}/" in client.get("/library/newsletter-october/").content.decode()
    assert client.get(f"/library/newsletters/{draft.pk}/").status_code == 404


def test_list_query_count_does_not_grow_with_items(client, django_assert_max_num_queries):
    for number in range(3):
        attach(publication(f"item-{number}"))
    with django_assert_max_num_queries(8) as few:
        client.get("/library/")
    for number in range(3, 10):
        attach(publication(f"item-{number}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/library/")


def test_staff_editing_a_file_keep_the_downloads_counted_meanwhile_and_only_staff_may():
    attachment = attach(publication("research"))
    opened = PublicationAttachment.objects.get(pk=attachment.pk)  # the back-office form, opened at 0
    services.publication_download_record(
        attachment_id=attachment.pk, visitor_key="v" * 64, day=datetime.date(2027, 3, 2), actor=TEST_JOB
    )
    opened.title = "보고서 요약"
    services.publication_attachment_save(attachment=opened, actor=StaffFactory())
    attachment.refresh_from_db()
    assert (attachment.title, attachment.download_count) == ("보고서 요약", 1)

    opened.title = "시민이 바꾼 제목"
    with pytest.raises(ValidationError, match="센터 직원만"):
        services.publication_attachment_save(attachment=opened, actor=UserFactory())
    attachment.refresh_from_db()
    assert attachment.title == "보고서 요약"
