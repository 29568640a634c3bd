"""News posts, notices, the FAQ, the publications library (자료실) and the newsletter (subscribers, issues and
one delivery row per subscriber and issue)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.fields import PublicPhotoField
from jeonju_center.common.history import PortalHistoricalRecords
from jeonju_center.common.indexes import TrigramIndex
from jeonju_center.common.masking import mask_email
from jeonju_center.common.models import AnonymisableModel, TimeStampedModel
from jeonju_center.common.validators import (
    validate_document_upload,
    validate_publication_upload,
)

# Change history: every record staff edit keeps who/when/what/why. Personal fields (a model's
# PERSONAL_DATA_FIELDS) are left out of the history tables on purpose: retention must be able to erase
# them, and a copy in the history would survive the erasure.


class Program(models.TextChoices):
    """The program a post belongs to (the tag citizens filter news by)."""

    CENTER = "center", _("센터 소식")
    REGENERATION = "regeneration", _("도시재생")
    SOCIAL_ECONOMY = "social_economy", _("사회적경제")
    ONDURE = "ondure", _("온두레 공동체")
    COURSES = "courses", _("시민강좌")


class NewsPost(TimeStampedModel):
    """A news post written by staff; citizens see it once it is published and its publish time has come.

    ``body`` holds HTML that the service sanitised with nh3 on save (only safe tags; every image has alt text).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("임시 저장")
        PUBLISHED = "published", _("게시")

    class Kind(models.TextChoices):
        NEWS = "news", _("소식")
        NOTICE = "notice", _("공지사항")

    kind = models.CharField(
        _("구분"),
        max_length=10,
        choices=Kind.choices,
        default=Kind.NEWS,
        help_text=_("공지사항은 /notices/에, 소식은 /news/에 실립니다."),
    )
    is_pinned = models.BooleanField(
        _("상단 고정"), default=False, help_text=_("공지사항 목록과 첫 화면에서 맨 위에 보입니다.")
    )
    title = models.CharField(_("제목"), max_length=200)
    slug = models.SlugField(
        _("주소 이름"),
        max_length=80,
        unique=True,
        allow_unicode=True,
        help_text=_("주소에 쓰이는 이름입니다(예: 2026-autumn-courses). 한글도 쓸 수 있습니다."),
    )
    program = models.CharField(_("사업 분류"), max_length=20, choices=Program.choices, default=Program.CENTER)
    summary = models.CharField(_("요약"), max_length=300, blank=True, help_text=_("목록과 피드에 보입니다."))
    body = models.TextField(
        _("본문"),
        help_text=_(
            "HTML로 씁니다. 허용: 문단, 제목(h2~h4), 굵게, 기울임, 목록, 링크, 표, 인용, 이미지. "
            "이미지에는 반드시 대체 텍스트(alt)를 넣어 주세요. 스크립트와 스타일은 저장할 때 지워집니다."
        ),
    )
    image = PublicPhotoField(_("대표 이미지"), upload_to="news/%Y/", blank=True)
    image_alt = models.CharField(
        _("대표 이미지 대체 텍스트"),
        max_length=200,
        blank=True,
        help_text=_("이미지를 볼 수 없는 분을 위한 설명입니다. 이미지가 있으면 필수입니다."),
    )
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("게시 일시"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("이 시각부터 공개됩니다. 미래 시각이면 예약 게시입니다."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("작성자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("소식")
        verbose_name_plural = _("소식")
        ordering = ["-published_at", "-id"]
        indexes = [
            TrigramIndex("title", name="news_post_title_trgm"),
            models.Index(fields=["kind", "status", "published_at"], name="news_post_kind_published"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(is_pinned=True) | Q(kind="notice"),
                name="news_post_only_notices_pinned",
                violation_error_message=_("상단 고정은 공지사항만 할 수 있습니다."),
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="news_post_published_has_time",
                violation_error_message=_("게시하려면 게시 일시가 필요합니다."),
            ),
            models.CheckConstraint(
                condition=Q(image="") | ~Q(image_alt=""),
                name="news_post_image_has_alt",
                violation_error_message=_("대표 이미지가 있으면 대체 텍스트를 입력해야 합니다."),
            ),
        ]

    def __str__(self):
        return self.title


class NewsAttachment(TimeStampedModel):
    """A file attached to a notice or a news post (forms, guides): handed out by the portal's own view."""

    post = models.ForeignKey(
        NewsPost, verbose_name=_("게시물"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("파일 설명"), max_length=100)
    file = models.FileField(_("파일"), upload_to="notices/%Y/", validators=[validate_document_upload])

    class Meta:
        verbose_name = _("첨부파일")
        verbose_name_plural = _("첨부파일")
        ordering = ["pk"]

    def __str__(self):
        return self.title


class FaqEntry(TimeStampedModel):
    """A frequently asked question and its answer, per program (자주 묻는 질문)."""

    program = models.CharField(_("사업 분류"), max_length=20, choices=Program.choices)
    question = models.CharField(_("질문"), max_length=300)
    answer = models.TextField(
        _("답변"), help_text=_("줄을 바꾸면 문단이 나뉩니다. 링크는 주소를 그대로 적습니다.")
    )
    display_order = models.PositiveSmallIntegerField(_("순서"), default=0)
    is_published = models.BooleanField(_("게시"), default=True)

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("자주 묻는 질문")
        verbose_name_plural = _("자주 묻는 질문")
        ordering = ["program", "display_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "question"],
                name="news_faq_unique_question_per_program",
                violation_error_message=_("이 분류에 같은 질문이 이미 있습니다."),
            )
        ]

    def __str__(self):
        return self.question


class Subscriber(AnonymisableModel, TimeStampedModel):
    """A newsletter subscriber (double opt-in: pending until the link in the confirmation e-mail is used).

    ``token`` is the secret in the confirmation and unsubscribe links; it is replaced on every new request.
    Retention deletes subscriptions never confirmed and erases the address (``anonymised_at``) some time after
    unsubscribing; the row stays so that subscription statistics keep their counts.
    """

    # The address, and the IP the consent was given from (an IP address is personal data too).
    PERSONAL_DATA_FIELDS = ("email", "consent_ip")

    class Status(models.TextChoices):
        PENDING = "pending", _("확인 대기")
        CONFIRMED = "confirmed", _("구독 중")
        UNSUBSCRIBED = "unsubscribed", _("구독 해지")

    # NULL once anonymised (the unique constraint allows any number of NULLs, unlike a placeholder text).
    email = models.EmailField(_("이메일"), max_length=254, null=True)
    status = models.CharField(_("상태"), max_length=15, choices=Status.choices, default=Status.PENDING)
    token = models.CharField(_("링크 토큰"), max_length=64, unique=True, editable=False)
    confirmation_sent_at = models.DateTimeField(_("확인 메일 발송"), null=True, blank=True)
    confirmation_count = models.PositiveIntegerField(_("확인 메일 발송 횟수"), default=0, editable=False)
    confirmed_at = models.DateTimeField(_("구독 확인"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("구독 해지 일시"), null=True, blank=True)
    consent_version = models.CharField(_("동의한 약관 버전"), max_length=20, blank=True)
    consent_ip = models.GenericIPAddressField(_("동의 IP"), null=True, blank=True)

    # The link token is a credential, not a change worth keeping.
    history = PortalHistoricalRecords(excluded_fields=[*PERSONAL_DATA_FIELDS, "token"])

    class Meta:
        verbose_name = _("뉴스레터 구독자")
        verbose_name_plural = _("뉴스레터 구독자")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="news_subscriber_email_unique",
                violation_error_message=_("이미 등록된 이메일입니다."),
            ),
            models.CheckConstraint(
                condition=~Q(status="confirmed") | Q(confirmed_at__isnull=False),
                name="news_subscriber_confirmed_has_time",
                violation_error_message=_("구독 확인 일시가 필요합니다."),
            ),
        ]
        indexes = [models.Index(fields=["status"], name="news_subscriber_status_idx")]

    def __str__(self):
        # Masked for everyone: the admin shows it in breadcrumbs, history, FK columns and confirmations.
        if self.email is None:
            return str(_("익명 처리된 구독자 #%(pk)s") % {"pk": self.pk})
        return mask_email(self.email)


class NewsletterIssue(TimeStampedModel):
    """One newsletter issue, composed by staff from recent news and the programs' items (``NewsletterItem``:
    courses, products…).

    When staff send it, the content is rendered once (``rendered_html``/``rendered_text``) so every subscriber
    receives the same issue, and one ``NewsletterDelivery`` row is written per confirmed subscriber.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("작성 중")
        SENDING = "sending", _("발송 중")
        SENT = "sent", _("발송 완료")

    subject = models.CharField(_("제목"), max_length=200)
    intro = models.TextField(
        _("머리말"), blank=True, help_text=_("HTML로 씁니다. 저장할 때 안전한 태그만 남깁니다.")
    )
    news_posts = models.ManyToManyField(NewsPost, verbose_name=_("소식"), blank=True, related_name="+")
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    rendered_html = models.TextField(_("발송 HTML"), blank=True, editable=False)
    rendered_text = models.TextField(_("발송 텍스트"), blank=True, editable=False)
    base_url = models.CharField(_("사이트 주소"), max_length=200, blank=True, editable=False)
    send_started_at = models.DateTimeField(_("발송 시작"), null=True, blank=True, editable=False)
    send_finished_at = models.DateTimeField(_("발송 완료 일시"), null=True, blank=True, editable=False)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("발송자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("뉴스레터")
        verbose_name_plural = _("뉴스레터")
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject


class NewsletterItem(models.Model):
    """A program item (a course, a product…) staff chose for an issue. It names the row by content type and
    id, so the news package keeps no relation into the programs; only models an app offers in its
    ``NEWSLETTER_SECTIONS`` are accepted (by the services). No change history, like the choice of news
    posts: the issue's rendered content is what stays."""

    issue = models.ForeignKey(
        NewsletterIssue, verbose_name=_("뉴스레터"), on_delete=models.CASCADE, related_name="items"
    )
    content_type = models.ForeignKey(ContentType, verbose_name=_("항목 종류"), on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(_("항목 번호"))
    item = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("뉴스레터 항목")
        verbose_name_plural = _("뉴스레터 항목")
        ordering = ["issue", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "content_type", "object_id"], name="news_item_once_per_issue"
            )
        ]

    def __str__(self):
        return f"{self.issue} · {self.content_type.model} #{self.object_id}"


class NewsletterDelivery(models.Model):
    """The newsletter ``issue`` for one ``subscriber``: written when sending starts, handed to the outbox by a
    batch task. The unique pair and the outbox's ``dedup_key`` make each subscriber get each issue once.

    No change history: a delivery is a technical log row (one per subscriber and issue, written with
    ``bulk_create``/``bulk_update`` which write no history anyway) that staff never edit; its own status and
    time already say everything a history would."""

    class Status(models.TextChoices):
        PENDING = "pending", _("대기")
        QUEUED = "queued", _("발송 대기열")
        SKIPPED = "skipped", _("제외(구독 해지)")

    issue = models.ForeignKey(
        NewsletterIssue, verbose_name=_("뉴스레터"), on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.ForeignKey(
        Subscriber, verbose_name=_("구독자"), on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.PENDING)
    email = models.ForeignKey(
        "common.OutboxEmail",
        verbose_name=_("발송 메일"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    processed_at = models.DateTimeField(_("처리 일시"), null=True, blank=True)

    class Meta:
        verbose_name = _("뉴스레터 발송 내역")
        verbose_name_plural = _("뉴스레터 발송 내역")
        ordering = ["issue", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="news_delivery_once_per_subscriber")
        ]
        indexes = [models.Index(fields=["issue", "status"], name="news_delivery_issue_status_idx")]

    def __str__(self):
        return f"{self.issue} → {self.subscriber}"


class Publication(TimeStampedModel):
    """A publication of the library (자료실): the center's research, policy briefs, newsletters and forms.

    Its files are ``PublicationAttachment`` rows; a newsletter may also point at the ``NewsletterIssue`` it was,
    so the issue can be read as a page."""

    class Category(models.TextChoices):
        RESEARCH = "research", _("연구보고서")
        POLICY_BRIEF = "policy_brief", _("정책 브리프")
        NEWSLETTER = "newsletter", _("소식지")
        FORM = "form", _("서식")

    category = models.CharField(_("자료 구분"), max_length=20, choices=Category.choices)
    program = models.CharField(_("사업 분류"), max_length=20, choices=Program.choices, default=Program.CENTER)
    title = models.CharField(_("제목"), max_length=200)
    slug = models.SlugField(
        _("주소 이름"),
        max_length=80,
        unique=True,
        allow_unicode=True,
        help_text=_("주소에 쓰이는 이름입니다(예: 2016-regeneration-policy). 한글도 쓸 수 있습니다."),
    )
    year = models.PositiveSmallIntegerField(_("발간 연도"))
    authors = models.CharField(
        _("지은이"), max_length=200, blank=True, help_text=_("여러 명이면 쉼표로 나눕니다.")
    )
    summary = models.TextField(_("요약"), blank=True, help_text=_("줄을 바꾸면 문단이 나뉩니다."))
    newsletter_issue = models.OneToOneField(
        NewsletterIssue,
        verbose_name=_("뉴스레터 호"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publication",
        help_text=_("발송한 뉴스레터를 골라 두면 그 호를 웹 페이지로도 읽을 수 있습니다."),
    )
    is_published = models.BooleanField(_("공개"), default=True)
    published_on = models.DateField(_("등록일"))

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("자료실 자료")
        verbose_name_plural = _("자료실 자료")
        ordering = ["-published_on", "-id"]
        indexes = [
            TrigramIndex("title", name="news_publication_title_trgm"),
            models.Index(fields=["is_published", "category", "year"], name="news_publication_listing"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1990, year__lte=2100),
                name="news_publication_year_range",
                violation_error_message=_("발간 연도는 1990년에서 2100년 사이여야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(newsletter_issue__isnull=True) | Q(category="newsletter"),
                name="news_publication_issue_only_newsletter",
                violation_error_message=_("뉴스레터 호는 소식지 자료에만 연결할 수 있습니다."),
            ),
        ]

    def __str__(self):
        return self.title


class PublicationAttachment(TimeStampedModel):
    """A file of a publication (PDF, HWP, HWPX), handed out by the portal, which counts the downloads."""

    publication = models.ForeignKey(
        Publication, verbose_name=_("자료"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("파일 설명"), max_length=100)
    file = models.FileField(_("파일"), upload_to="library/%Y/", validators=[validate_publication_upload])
    download_count = models.PositiveIntegerField(_("내려받기 수"), default=0, editable=False)

    class Meta:
        verbose_name = _("자료 파일")
        verbose_name_plural = _("자료 파일")
        ordering = ["pk"]

    def __str__(self):
        return self.title

    @property
    def extension(self):
        return self.file.name.rsplit(".", 1)[-1].upper() if "." in self.file.name else ""


class PublicationDownload(models.Model):
    """That one visitor downloaded one file on one day: the counter counts a visitor once a day.

    ``visitor_key`` is a keyed hash of the day and the visitor (account, or address and browser); it cannot be
    turned back into either, and retention deletes the rows after a couple of days (they only serve the
    once-a-day rule)."""

    attachment = models.ForeignKey(
        PublicationAttachment, verbose_name=_("자료 파일"), on_delete=models.CASCADE, related_name="downloads"
    )
    visitor_key = models.CharField(_("방문자 식별값"), max_length=64)
    day = models.DateField(_("날짜"))

    class Meta:
        verbose_name = _("자료 내려받기 기록")
        verbose_name_plural = _("자료 내려받기 기록")
        constraints = [
            models.UniqueConstraint(
                fields=["attachment", "visitor_key", "day"], name="news_publication_download_once_a_day"
            )
        ]
        indexes = [models.Index(fields=["day"], name="news_publication_download_day")]

    def __str__(self):
        return f"{self.attachment} {self.day}"
