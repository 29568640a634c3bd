"""Demo data of news and the newsletter: posts of every program (one draft, one scheduled), subscribers in
every state, a draft issue composed from recent items and a past issue already sent; the library (자료실) with
the center's 2016 research, a policy brief, the sent issue as a newsletter and the forms people download."""

import datetime
import io
import zipfile

from django.core.files.base import ContentFile
from django.utils import timezone

from . import services
from .models import (
    FaqEntry,
    NewsAttachment,
    NewsletterDelivery,
    NewsletterIssue,
    NewsPost,
    Program,
    Publication,
    PublicationAttachment,
    Subscriber,
)

POSTS = [
    # (slug, program, title, summary, days ago (negative: scheduled), status)
    (
        "2026-autumn-courses",
        Program.COURSES,
        "가을 시민강좌 수강생을 모집합니다",
        "주경야독 인문학과 마을공동체 첫걸음 등 가을 강좌 신청이 시작되었습니다.",
        3,
        "published",
    ),
    (
        "youth-sharehouse-open",
        Program.REGENERATION,
        "노송동 청년쉐어하우스 입주자 모집",
        "빈집을 고친 청년쉐어하우스 2호점이 문을 엽니다.",
        6,
        "published",
    ),
    (
        "pilot-store-new-products",
        Program.SOCIAL_ECONOMY,
        "사회적경제 시범매장에 새 제품이 들어왔습니다",
        "전주푸드 직매장과 함께 운영하는 시범매장 입점 제품을 소개합니다.",
        10,
        "published",
    ),
    (
        "ondure-2026-graduation",
        Program.ONDURE,
        "온두레 공동체, 협동조합으로 졸업",
        "희망 단계를 마친 소규모창업공동체 세 곳이 협동조합이 되었습니다.",
        15,
        "published",
    ),
    (
        "council-minutes-published",
        Program.REGENERATION,
        "풍남동 주민협의체 회의록 공개",
        "10월 정기회의 회의록을 공개합니다.",
        21,
        "published",
    ),
    (
        "survey-2026-results",
        Program.SOCIAL_ECONOMY,
        "2026 사회적경제 제품·서비스 전수조사 결과",
        "전주 사회적경제조직 약 300곳의 제품과 서비스를 조사했습니다.",
        30,
        "published",
    ),
    (
        "center-open-house",
        Program.CENTER,
        "전주도시혁신센터 열린 센터의 날",
        "센터 공간을 시민께 개방합니다.",
        40,
        "published",
    ),
    (
        "winter-courses-preview",
        Program.COURSES,
        "겨울 강좌 미리 보기",
        "겨울 강좌 일정은 곧 공개됩니다.",
        -10,
        "published",
    ),
    ("newsletter-draft-notes", Program.CENTER, "뉴스레터 개편 안내(작성 중)", "", 0, "draft"),
]

BODY = (
    "<p>{summary}</p>"
    "<h2>자세한 내용</h2>"
    "<ul><li>문의: 전주도시혁신센터</li><li>누구나 참여할 수 있습니다.</li></ul>"
    '<p><a href="https://www.jeonju.go.kr">전주시청 누리집</a>에서도 볼 수 있습니다.</p>'
)
SUBSCRIBERS_CONFIRMED = 30
# Notices (공지사항): (slug, program, title, summary, days ago, pinned, attached form or "")
NOTICES = [
    ("center-holiday-hours", Program.CENTER, "연말연시 센터 운영 시간 안내", "12월 31일은 오후 3시까지, 1월 1일은 쉽니다.", 2, True, ""),
    ("space-rental-form", Program.CENTER, "센터 공간 대관 신청서 양식", "대관 신청서와 이용 수칙을 내려받으세요.", 12, False,
     "공간 대관 신청서"),
    ("ondure-2027-call-briefing", Program.ONDURE, "2027 온두레 공동체 공모 설명회 안내", "공모 설명회를 2월 첫 주에 엽니다.", 20,
     False, "공모 설명회 안내문"),
]  # fmt: skip
FAQ = [
    (Program.COURSES, "수강신청을 취소하면 어떻게 되나요?", "나의 강좌에서 첫 수업 전까지 취소할 수 있습니다. 취소한 자리는 대기 순서대로 자동으로 넘어갑니다."),
    (Program.COURSES, "수료증은 어디서 받나요?", "출석 기준을 채우면 나의 강좌에서 수료증 파일을 내려받을 수 있습니다."),
    (Program.REGENERATION, "청년쉐어하우스에는 누가 신청할 수 있나요?", "공고 마감일 기준 만 19~39세 무주택 청년이 모집·공모 메뉴에서 온라인으로 신청합니다."),
    (Program.REGENERATION, "공개추첨 결과는 어떻게 확인하나요?", "공고의 추첨 결과 페이지에 시드와 추첨 순서가 공개되어 누구나 다시 계산해 볼 수 있습니다."),
    (Program.ONDURE, "온두레 공동체는 몇 명부터 신청할 수 있나요?", "마을공동체 15명, 소규모창업공동체 5명, 아파트공동체 10세대 이상입니다."),
    (Program.SOCIAL_ECONOMY, "사회적경제 제품 전수조사는 무엇인가요?", "전주 사회적경제조직의 제품과 서비스를 해마다 조사해 제품 목록과 분석 보고서를 만듭니다."),
]  # fmt: skip
NOTICE_BODY = "<p>{summary}</p><p>자세한 내용은 첨부파일을 참고하거나 센터로 문의해 주세요.</p>"
FORM_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
# An HWP 5 file is an OLE compound document; HWPX is a zip (OWPML).
FORM_HWP = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def _hwpx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/hwp+zip")
    return buffer.getvalue()


PUBLICATIONS = [
    # (slug, category, program, title, year, authors, summary, [(file title, extension)])
    (
        "2016-regeneration-policy-research",
        Publication.Category.RESEARCH,
        Program.REGENERATION,
        "전주시 도시재생 정책 발굴과 연구",
        2016,
        "전주도시혁신센터 정책연구팀",
        "구도심 활성화지역의 빈집과 주민 조직 현황을 조사하고, 주민이 주도하는 도시재생 정책 과제를 제안합니다.\n"
        "빈집 활용 모델과 주민협의체 운영 방안을 함께 담았습니다.",
        [("보고서 전문", "pdf"), ("요약본", "hwp")],
    ),
    (
        "2016-new-innovation-policy-survey",
        Publication.Category.RESEARCH,
        Program.CENTER,
        "신규 혁신정책 조사 연구",
        2016,
        "전주도시혁신센터, 전북연구원 공동연구진",
        "국내외 도시혁신 사례를 조사해 전주에 맞는 사회혁신 정책 과제를 정리했습니다.",
        [("보고서 전문", "pdf")],
    ),
    (
        "2025-social-economy-product-brief",
        Publication.Category.POLICY_BRIEF,
        Program.SOCIAL_ECONOMY,
        "사회적경제 제품·서비스 전수조사 결과 요약",
        2025,
        "사회적경제팀",
        "사회적경제조직의 제품과 서비스 현황, 판로 과제를 한눈에 정리한 정책 브리프입니다.",
        [("정책 브리프", "pdf")],
    ),
    (
        "vacant-house-use-application-form",
        Publication.Category.FORM,
        Program.REGENERATION,
        "빈집 활용 신청서와 소유자 동의서 서식",
        2026,
        "",
        "빈집 활용 사업에 참여하려는 소유자가 내는 신청서와 동의서입니다.",
        [("신청서", "hwp"), ("동의서", "hwpx")],
    ),
    (
        "ondure-grant-settlement-form",
        Publication.Category.FORM,
        Program.ONDURE,
        "온두레 공동체 지원금 정산 서식",
        2026,
        "",
        "지원금 사용 내역과 영수증 목록을 적는 정산 서식입니다.",
        [("정산서", "hwpx"), ("작성 안내", "pdf")],
    ),
]
FILE_CONTENT = {"pdf": FORM_PDF, "hwp": FORM_HWP}

# A post about a call links to its page, where people apply online (the call is made by calls.demo).
CALL_LINKS = {"youth-sharehouse-open": ("/calls/youth-sharehouse-2/", "모집공고를 보고 온라인으로 신청하기")}


def _call_link(slug):
    if slug not in CALL_LINKS:
        return ""
    url, text = CALL_LINKS[slug]
    return f'<p><a href="{url}">{text}</a></p>'


def seed(ctx):
    now = timezone.make_aware(datetime.datetime.combine(ctx.today, datetime.time(10, 0)))
    created = 0
    for slug, program, title, summary, days_ago, status in POSTS:
        if NewsPost.objects.filter(slug=slug).exists():
            continue
        post = NewsPost(
            slug=slug,
            program=program,
            title=title,
            summary=summary,
            body=BODY.format(summary=summary or title) + _call_link(slug),
            status=status,
            published_at=now - datetime.timedelta(days=days_ago) if status == "published" else None,
        )
        services.news_post_save(post=post)
        created += 1
    yield f"news posts: {created} created"

    created = 0
    for slug, program, title, summary, days_ago, pinned, form_title in NOTICES:
        if NewsPost.objects.filter(slug=slug).exists():
            continue
        notice = NewsPost(
            slug=slug,
            kind=NewsPost.Kind.NOTICE,
            is_pinned=pinned,
            program=program,
            title=title,
            summary=summary,
            body=NOTICE_BODY.format(summary=summary),
            status=NewsPost.Status.PUBLISHED,
            published_at=now - datetime.timedelta(days=days_ago),
        )
        services.news_post_save(post=notice)
        if form_title:
            NewsAttachment.objects.create(
                post=notice, title=form_title, file=ContentFile(FORM_PDF, name=f"{slug}.pdf")
            )
        created += 1
    yield f"notices: {created} created"

    created = 0
    for order, (program, question, answer) in enumerate(FAQ):
        _entry, was_created = FaqEntry.objects.get_or_create(
            program=program, question=question, defaults={"answer": answer, "display_order": order}
        )
        created += was_created
    yield f"FAQ entries: {created} created"

    created = 0
    states = [(f"subscriber{n:03d}@example.com", Subscriber.Status.CONFIRMED) for n in range(1, 31)]
    states += [("pending001@example.com", Subscriber.Status.PENDING)]
    states += [("left001@example.com", Subscriber.Status.UNSUBSCRIBED)]
    for number, (email, status) in enumerate(states, start=1):
        _subscriber, made = Subscriber.objects.get_or_create(
            email=email,
            defaults={
                "status": status,
                "token": f"demo-token-{number:04d}",
                "confirmation_sent_at": now - datetime.timedelta(days=60),
                "confirmation_count": 1,
                "confirmed_at": now - datetime.timedelta(days=59)
                if status != Subscriber.Status.PENDING
                else None,
                "unsubscribed_at": now - datetime.timedelta(days=5)
                if status == Subscriber.Status.UNSUBSCRIBED
                else None,
                "consent_version": services.NEWSLETTER_TERMS_VERSION,
            },
        )
        created += made
    yield f"newsletter subscribers: {created} created"

    draft, made = NewsletterIssue.objects.get_or_create(
        subject="전주도시혁신센터 뉴스레터 11월호",
        defaults={"intro": "<p>가을 시민강좌와 새 사회적경제 제품 소식을 전합니다.</p>"},
    )
    if made:
        services.newsletter_issue_autofill(issue_id=draft.pk)

    sent, made = NewsletterIssue.objects.get_or_create(
        subject="전주도시혁신센터 뉴스레터 10월호",
        defaults={
            "intro": "<p>10월 소식입니다.</p>",
            "status": NewsletterIssue.Status.SENT,
            "rendered_html": "<p>10월 소식입니다.</p>",
            "rendered_text": "10월 소식입니다.",
            "send_started_at": now - datetime.timedelta(days=30),
            "send_finished_at": now - datetime.timedelta(days=30),
        },
    )
    if made:
        # A past issue: its deliveries are history (the e-mails went out before this demo database existed).
        subscribers = Subscriber.objects.filter(email__startswith="subscriber").order_by("pk")
        NewsletterDelivery.objects.bulk_create(
            [
                NewsletterDelivery(
                    issue=sent,
                    subscriber=subscriber,
                    status=NewsletterDelivery.Status.QUEUED,
                    processed_at=now - datetime.timedelta(days=30),
                )
                for subscriber in subscribers
            ]
        )
    yield f"newsletter issues: {NewsletterIssue.objects.count()} in total"

    created = 0
    for slug, category, program, title, year, authors, summary, files in PUBLICATIONS:
        publication, made = Publication.objects.get_or_create(
            slug=slug,
            defaults={
                "category": category,
                "program": program,
                "title": title,
                "year": year,
                "authors": authors,
                "summary": summary,
                "published_on": datetime.date(year, 12, 20) if year < ctx.today.year else ctx.today,
            },
        )
        if made:
            for number, (file_title, extension) in enumerate(files, start=1):
                content = FILE_CONTENT.get(extension) or _hwpx()
                PublicationAttachment.objects.create(
                    publication=publication,
                    title=file_title,
                    file=ContentFile(content, name=f"{slug}-{number}.{extension}"),
                    download_count=12 * number + year % 7,
                )
        created += made
    _newsletter, made = Publication.objects.get_or_create(
        newsletter_issue=sent,
        defaults={
            "slug": "newsletter-october",
            "category": Publication.Category.NEWSLETTER,
            "title": sent.subject,
            "year": (now - datetime.timedelta(days=30)).year,
            "summary": "10월에 구독자에게 보낸 뉴스레터입니다.",
            "published_on": (now - datetime.timedelta(days=30)).date(),
        },
    )
    created += made
    yield f"library: {created} publications created"
