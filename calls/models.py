"""Calls (모집공고) and the applications to them: one model for every program — the youth share-house rooms, the
half-rent and social housing, the yearly Ondure community call — from the notice to the published result.

Applicants' names, birth dates, phone numbers and documents are personal data: masked in the back office,
shown only to the call's team, every document view logged, and destroyed for those not selected once the
call's retention period has passed.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.changes import TrackedQuerySet
from jeonju_center.common.history import PortalHistoricalRecords
from jeonju_center.common.indexes import TrigramIndex
from jeonju_center.common.masking import mask_name
from jeonju_center.common.models import AnonymisableModel, TimeStampedModel
from jeonju_center.common.validators import validate_document_upload, validate_phone

DOCUMENT_EXTENSIONS = ("pdf", "hwp", "hwpx", "jpg", "jpeg", "png")


class CallProgram(models.TextChoices):
    YOUTH_SHARE_HOUSE = "youth_share_house", _("청년쉐어하우스 입주자 모집")
    HALF_RENT_HOUSING = "half_rent_housing", _("반값 임대 주거복지")
    SOCIAL_HOUSING = "social_housing", _("탈시설 장애인 사회주택")
    ONDURE = "ondure", _("온두레 공동체 공모")
    OTHER = "other", _("기타 모집")


HOUSING_PROGRAMS = (CallProgram.YOUTH_SHARE_HOUSE, CallProgram.HALF_RENT_HOUSING, CallProgram.SOCIAL_HOUSING)


class SelectionMethod(models.TextChoices):
    REVIEW = "review", _("서류심사·점수순")
    LOTTERY = "lottery", _("자격자 중 공개추첨")
    SCORE_THEN_LOTTERY = "score_then_lottery", _("점수순, 동점자는 공개추첨")


class Residence(models.TextChoices):
    ANYONE = "anyone", _("제한 없음")
    JEONJU = "jeonju", _("전주시 거주자")
    DONGS = "dongs", _("지정한 행정동 거주자")


class IncomeBracket(models.IntegerChoices):
    """Household income as a share of the 도시근로자 가구당 월평균소득 (the usual public-housing yardstick)."""

    UP_TO_50 = 50, _("50% 이하")
    UP_TO_70 = 70, _("70% 이하")
    UP_TO_100 = 100, _("100% 이하")
    UP_TO_120 = 120, _("120% 이하")
    ABOVE_120 = 999, _("120% 초과")


class Call(TimeStampedModel):
    """A recruitment or open call with its period, eligibility rules, documents and selection method."""

    title = models.CharField(_("공고명"), max_length=200)
    slug = models.SlugField(_("주소 이름"), max_length=80, unique=True, allow_unicode=False)
    code = models.CharField(
        _("접수번호 머리"),
        max_length=12,
        unique=True,
        help_text=_("접수번호 앞부분 (예: YSH2027 → YSH2027-0001). 영문 대문자와 숫자."),
    )
    program = models.CharField(_("사업"), max_length=30, choices=CallProgram.choices)
    housing_program = models.ForeignKey(
        "regeneration.HousingProgram",
        verbose_name=_("빈집 활용 사업"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        help_text=_("주택 모집이면 입주 계약을 맺을 사업"),
    )
    rooms = models.ManyToManyField(
        "regeneration.Room", verbose_name=_("모집 호실"), blank=True, related_name="calls"
    )
    summary = models.CharField(_("요약"), max_length=300)
    notice = models.TextField(_("공고문"))
    opens_at = models.DateTimeField(_("접수 시작"))
    closes_at = models.DateTimeField(_("접수 마감"), help_text=_("이 시각(초 단위)부터 접수하지 않습니다."))
    announce_on = models.DateField(_("발표일"))
    places = models.PositiveSmallIntegerField(_("선정 인원(팀)"))
    reserve_places = models.PositiveSmallIntegerField(_("예비 순번 수"), default=0)
    selection_method = models.CharField(_("선정 방법"), max_length=30, choices=SelectionMethod.choices)
    draw_seed_method = models.TextField(
        _("추첨 시드 결정 방법"),
        blank=True,
        help_text=_(
            "추첨 전에 공개합니다. 예: 공개추첨 행사에서 참관인 3명이 뽑은 두 자리 숫자를 순서대로 입력"
        ),
    )
    # Eligibility, declared per call and checked by the portal (never typed in by staff).
    min_age = models.PositiveSmallIntegerField(_("최소 나이(만)"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("최대 나이(만)"), null=True, blank=True)
    residence = models.CharField(
        _("거주 요건"), max_length=10, choices=Residence.choices, default=Residence.ANYONE
    )
    dongs = models.ManyToManyField("common.Dong", verbose_name=_("대상 행정동"), blank=True, related_name="+")
    requires_no_home = models.BooleanField(_("무주택 요건"), default=False)
    max_income_bracket = models.PositiveSmallIntegerField(
        _("소득 기준"), choices=IncomeBracket.choices, null=True, blank=True
    )
    group_min_members = models.PositiveSmallIntegerField(
        _("최소 구성원 수"), null=True, blank=True, help_text=_("공동체 공모: 비워 두면 공동체 유형의 기준")
    )
    privacy_terms = models.TextField(
        _("개인정보 수집·이용 안내"), help_text=_("신청서에 표시하고 동의를 받습니다.")
    )
    privacy_terms_version = models.CharField(_("안내문 버전"), max_length=20, default="1")
    retention_days = models.PositiveSmallIntegerField(
        _("미선정자 정보 보유 기간(일)"), default=365, help_text=_("발표일부터 센 날수")
    )
    is_published = models.BooleanField(_("게시"), default=False)
    # The last receipt number handed out (taken under the call's row lock, so numbers never repeat).
    receipt_sequence = models.PositiveIntegerField(_("마지막 접수 순번"), default=0, editable=False)
    team_group = models.ForeignKey(
        "auth.Group",
        verbose_name=_("담당 팀"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("신청서와 서류는 이 팀만 볼 수 있습니다."),
    )

    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("모집공고")
        verbose_name_plural = _("모집공고")
        indexes = [TrigramIndex("title", name="calls_call_title_trgm")]
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="calls_call_closes_after_opening",
                violation_error_message=_("접수 마감은 접수 시작 이후여야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(places__gte=1),
                name="calls_call_places_positive",
                violation_error_message=_("선정 인원은 1 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(min_age__lte=models.F("max_age")),
                name="calls_call_age_band_ordered",
                violation_error_message=_("최소 나이는 최대 나이보다 클 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z0-9]+$"),
                name="calls_call_code_format",
                violation_error_message=_("접수번호 머리는 영문 대문자와 숫자로만 씁니다."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_group_call(self):
        return self.program == CallProgram.ONDURE

    @property
    def is_housing(self):
        return self.program in HOUSING_PROGRAMS

    def is_open(self, now=None):
        now = now or timezone.now()
        return self.is_published and self.opens_at <= now < self.closes_at

    def phase(self, now=None):
        now = now or timezone.now()
        if now < self.opens_at:
            return "upcoming"
        if now < self.closes_at:
            return "open"
        return "closed"

    def age_reference_date(self):
        """Ages are counted on the closing day (만 나이), as Korean notices state them."""
        return timezone.localtime(self.closes_at).date()

    def retention_ends_on(self):
        return self.announce_on + datetime.timedelta(days=self.retention_days)


class CallAttachment(TimeStampedModel):
    call = models.ForeignKey(
        Call, verbose_name=_("모집공고"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("파일 설명"), max_length=100)
    file = models.FileField(_("파일"), upload_to="calls/notices/%Y/", validators=[validate_document_upload])

    class Meta:
        verbose_name = _("공고 첨부파일")
        verbose_name_plural = _("공고 첨부파일")
        ordering = ["pk"]

    def __str__(self):
        return self.title


class DocumentRequirement(models.Model):
    call = models.ForeignKey(
        Call, verbose_name=_("모집공고"), on_delete=models.CASCADE, related_name="documents"
    )
    name = models.CharField(_("서류명"), max_length=100)
    description = models.CharField(_("설명"), max_length=300, blank=True)
    is_required = models.BooleanField(_("필수"), default=True)
    max_mb = models.PositiveSmallIntegerField(_("최대 크기(MB)"), default=10)
    display_order = models.PositiveSmallIntegerField(_("순서"), default=0)

    objects = TrackedQuerySet.as_manager()

    class Meta:
        verbose_name = _("제출 서류")
        verbose_name_plural = _("제출 서류")
        ordering = ["display_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_mb__gte=1, max_mb__lte=50),
                name="calls_document_size_limit_range",
                violation_error_message=_("최대 크기는 1~50MB 사이로 정합니다."),
            )
        ]

    def __str__(self):
        return self.name


class CallQuestion(models.Model):
    """A question of the call's own (e.g. "입주 후 공동체 활동에 참여할 계획") the applicant answers in the form."""

    call = models.ForeignKey(
        Call, verbose_name=_("모집공고"), on_delete=models.CASCADE, related_name="questions"
    )
    text = models.CharField(_("질문"), max_length=300)
    help_text = models.CharField(_("도움말"), max_length=300, blank=True)
    is_required = models.BooleanField(_("필수"), default=True)
    display_order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        verbose_name = _("신청서 질문")
        verbose_name_plural = _("신청서 질문")
        ordering = ["display_order", "pk"]

    def __str__(self):
        return self.text


class ScoringCriterion(models.Model):
    call = models.ForeignKey(
        Call, verbose_name=_("모집공고"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(_("심사 항목"), max_length=100)
    max_points = models.PositiveSmallIntegerField(_("배점"))
    display_order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        verbose_name = _("심사 항목")
        verbose_name_plural = _("심사 항목")
        ordering = ["display_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_points__gte=1),
                name="calls_criterion_points_positive",
                violation_error_message=_("배점은 1점 이상이어야 합니다."),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.max_points})"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("작성 중")
    SUBMITTED = "submitted", _("접수")
    REVISION_REQUESTED = "revision", _("보완 요청")
    UNDER_REVIEW = "review", _("심사 중")
    SELECTED = "selected", _("선정")
    RESERVE = "reserve", _("예비")
    NOT_SELECTED = "not_selected", _("미선정")
    DECLINED = "declined", _("선정 포기")
    WITHDRAWN = "withdrawn", _("철회")


# Applications that take part in the review and the draw.
IN_REVIEW = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.REVISION_REQUESTED,
    ApplicationStatus.UNDER_REVIEW,
)


class Application(AnonymisableModel, TimeStampedModel):
    """One person's application to a call (for an Ondure call: a group's, filed by its representative)."""

    PERSONAL_DATA_FIELDS = ("applicant_name", "birth_date", "phone", "email")

    call = models.ForeignKey(
        Call, verbose_name=_("모집공고"), on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("신청 계정"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="call_applications",
    )
    receipt_number = models.CharField(_("접수번호"), max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(
        _("상태"), max_length=15, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    applicant_name = models.CharField(_("신청인 이름"), max_length=50, blank=True)
    birth_date = models.DateField(_("생년월일"), null=True, blank=True)
    phone = models.CharField(_("연락처"), max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField(_("이메일"), blank=True)
    dong = models.ForeignKey(
        "common.Dong",
        verbose_name=_("거주 행정동"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lives_in_jeonju = models.BooleanField(_("전주시 거주(주민등록) 확인"), default=False)
    declares_no_home = models.BooleanField(_("무주택 확인"), default=False)
    income_bracket = models.PositiveSmallIntegerField(
        _("가구 소득"), choices=IncomeBracket.choices, null=True, blank=True
    )
    first_choice = models.ForeignKey(
        "regeneration.Room",
        verbose_name=_("1지망 호실"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    second_choice = models.ForeignKey(
        "regeneration.Room",
        verbose_name=_("2지망 호실"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    motivation = models.TextField(_("신청 동기·활동 계획"), blank=True)
    answers = models.JSONField(_("질문 답변"), default=dict, blank=True, help_text=_("질문 번호별 답변"))
    # An Ondure group.
    group_name = models.CharField(_("공동체명"), max_length=100, blank=True)
    group_kind = models.CharField(_("공동체 유형"), max_length=20, blank=True)
    group_dong = models.ForeignKey(
        "common.Dong",
        verbose_name=_("활동 행정동"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    activity_field = models.CharField(_("활동 분야"), max_length=30, blank=True)
    requested_budget = models.PositiveIntegerField(_("신청 금액(원)"), null=True, blank=True)
    consent_version = models.CharField(_("동의한 안내문 버전"), max_length=20, blank=True)
    consented_at = models.DateTimeField(_("동의 일시"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("접수 일시"), null=True, blank=True)
    revision_message = models.TextField(_("보완 요청 내용"), blank=True)
    revision_due_at = models.DateTimeField(_("보완 기한"), null=True, blank=True)
    draw_position = models.PositiveIntegerField(_("추첨 순번"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("최종 순위"), null=True, blank=True)
    reserve_number = models.PositiveSmallIntegerField(_("예비 번호"), null=True, blank=True)
    decided_at = models.DateTimeField(_("결과 확정 일시"), null=True, blank=True)
    offer_deadline = models.DateField(_("계약 기한"), null=True, blank=True)
    tenancy = models.OneToOneField(
        "regeneration.Tenancy",
        verbose_name=_("입주 계약"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    community = models.OneToOneField(
        "ondure.Community",
        verbose_name=_("공동체"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords(excluded_fields=[*PERSONAL_DATA_FIELDS, "motivation", "answers"])

    class Meta:
        verbose_name = _("신청서")
        verbose_name_plural = _("신청서")
        ordering = ["call", "receipt_number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "applicant"],
                condition=Q(applicant__isnull=False),
                name="calls_one_application_per_person",
                violation_error_message=_("이 공고에 이미 신청서가 있습니다."),
            ),
            models.UniqueConstraint(
                fields=["call", "reserve_number"],
                condition=Q(reserve_number__isnull=False),
                name="calls_reserve_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(status=ApplicationStatus.DRAFT) | Q(receipt_number__isnull=False),
                name="calls_submitted_has_receipt",
                violation_error_message=_("접수된 신청서에는 접수번호가 있어야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(status=ApplicationStatus.RESERVE) | Q(reserve_number__isnull=True),
                name="calls_reserve_number_only_for_reserve",
            ),
        ]
        indexes = [models.Index(fields=["call", "status"], name="calls_application_call_status")]

    def __str__(self):
        if self.receipt_number:
            return self.receipt_number
        return f"{self.call} - {mask_name(self.applicant_name) if self.applicant_name else _('작성 중')}"

    @property
    def masked_name(self):
        return mask_name(self.applicant_name) if self.applicant_name else ""

    @property
    def is_editable_by_applicant(self):
        return self.status in (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED)


class ApplicationDocument(models.Model):
    """A document an applicant uploaded for one requirement; a new upload replaces the previous one."""

    application = models.ForeignKey(
        Application, verbose_name=_("신청서"), on_delete=models.CASCADE, related_name="documents"
    )
    requirement = models.ForeignKey(
        DocumentRequirement, verbose_name=_("제출 서류"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("파일"), upload_to="calls/applications/%Y/")
    original_name = models.CharField(_("원래 파일 이름"), max_length=200)
    uploaded_at = models.DateTimeField(_("올린 일시"), default=timezone.now)

    class Meta:
        verbose_name = _("제출 서류 파일")
        verbose_name_plural = _("제출 서류 파일")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "requirement"], name="calls_one_file_per_requirement"
            )
        ]

    def __str__(self):
        return f"{self.requirement}: {self.original_name}"


class ApplicationMember(models.Model):
    """A member of the group an Ondure application is for."""

    PERSONAL_DATA_FIELDS = ("name",)

    application = models.ForeignKey(
        Application, verbose_name=_("신청서"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("성명"), max_length=50)
    dong = models.ForeignKey(
        "common.Dong", verbose_name=_("거주 행정동"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("공동체 구성원")
        verbose_name_plural = _("공동체 구성원")
        ordering = ["pk"]

    def __str__(self):
        return mask_name(self.name)


class ReviewScore(models.Model):
    """One reviewer's points for one criterion of one application; each reviewer scores separately."""

    application = models.ForeignKey(
        Application, verbose_name=_("신청서"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        ScoringCriterion, verbose_name=_("심사 항목"), on_delete=models.CASCADE, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("심사위원"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.PositiveSmallIntegerField(_("점수"))
    scored_at = models.DateTimeField(_("심사 일시"), default=timezone.now)

    class Meta:
        verbose_name = _("심사 점수")
        verbose_name_plural = _("심사 점수")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion", "reviewer"], name="calls_one_score_per_reviewer_criterion"
            )
        ]

    def __str__(self):
        return f"{self.application} {self.criterion.name}: {self.points}"


class ConflictOfInterest(models.Model):
    """A reviewer declared a conflict of interest (이해충돌) with an application: they do not score it."""

    application = models.ForeignKey(
        Application, verbose_name=_("신청서"), on_delete=models.CASCADE, related_name="conflicts"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("심사위원"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField(_("사유"), max_length=200)
    declared_at = models.DateTimeField(_("신고 일시"), default=timezone.now)

    class Meta:
        verbose_name = _("이해충돌 신고")
        verbose_name_plural = _("이해충돌 신고")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="calls_one_conflict_per_reviewer"
            )
        ]

    def __str__(self):
        return f"{self.application} - {self.reviewer}"


class Draw(models.Model):
    """A published lottery: the seed, the sorted receipt numbers that went in, and the order that came out.

    Written once, in the same transaction that ranks the applications; it is never changed or redone (the
    admin is read-only and the service refuses a second draw), so ``verify_draw`` can always recompute it."""

    call = models.OneToOneField(
        Call, verbose_name=_("모집공고"), on_delete=models.PROTECT, related_name="draw"
    )
    algorithm = models.CharField(_("추첨 방식"), max_length=40)
    seed = models.CharField(_("시드"), max_length=200)
    entries = models.JSONField(_("추첨 대상 접수번호(정렬)"))
    order = models.JSONField(_("추첨 결과 순서"))
    witnessed_by = models.CharField(_("참관인"), max_length=300, blank=True)
    performed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("진행 직원"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("공개 일시"), default=timezone.now)

    objects = TrackedQuerySet.as_manager()

    class Meta:
        verbose_name = _("공개추첨")
        verbose_name_plural = _("공개추첨")

    def __str__(self):
        return f"{self.call} ({self.published_at:%Y-%m-%d})"
