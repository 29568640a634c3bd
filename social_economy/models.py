"""Social-economy organizations (사회적경제조직), products, the full survey, stores, consulting, networks."""

from contextlib import suppress

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from jeonju_center.common.changes import TrackedQuerySet
from jeonju_center.common.constraints import ends_after, not_negative
from jeonju_center.common.indexes import TrigramIndex
from jeonju_center.common.masking import mask_email
from jeonju_center.common.models import TimeStampedModel
from jeonju_center.common.validators import (
    normalize_business_registration_number,
    normalize_phone,
    validate_business_registration_number,
    validate_image_upload,
    validate_phone,
)

# Every model keeps its change history (who, when, what, why). Personal fields are excluded on purpose:
# history tables must not keep copies of the personal data that the retention job has to erase.


def history_staff_user(request=None, **kwargs):
    """The account recorded as the author of a change. Partner centers write consulting through the API
    with an API key (a ``PartnerPrincipal``, not an account), so their changes are recorded without one
    rather than failing the request."""
    from django.contrib.auth import get_user_model

    user = getattr(request, "user", None)
    return user if isinstance(user, get_user_model()) else None


def _history(**options):
    return HistoricalRecords(get_user=history_staff_user, **options)


# --- Lookup tables ----------------------------------------------------------------------------------
# Sales channels, support needs and product certifications are rows (not choices) so the survey summary
# can count responses per channel with one GROUP BY on SQLite and PostgreSQL alike, and staff can add
# new values without a release. The installation's values come from ``social_economy/reference.py``.


class LookupModel(TimeStampedModel):
    code = models.SlugField(_("코드"), max_length=40, unique=True)
    name = models.CharField(_("이름"), max_length=50, unique=True)
    display_order = models.PositiveSmallIntegerField(_("표시 순서"), default=0)
    is_active = models.BooleanField(_("사용"), default=True)

    class Meta:
        abstract = True
        ordering = ["display_order", "name"]

    def __str__(self):
        return self.name


class SalesChannel(LookupModel):
    history = _history()

    class Meta(LookupModel.Meta):
        verbose_name = _("판매 경로")
        verbose_name_plural = _("판매 경로")


class SupportNeed(LookupModel):
    history = _history()

    class Meta(LookupModel.Meta):
        verbose_name = _("지원 필요 분야")
        verbose_name_plural = _("지원 필요 분야")


class ProductCertification(LookupModel):
    history = _history()

    class Meta(LookupModel.Meta):
        verbose_name = _("생산품 인증")
        verbose_name_plural = _("생산품 인증")


# --- Organizations ----------------------------------------------------------------------------------


class OrganizationType(models.TextChoices):
    CERTIFIED_SOCIAL_ENTERPRISE = "certified_se", _("인증 사회적기업")
    PRELIMINARY_SOCIAL_ENTERPRISE = "preliminary_se", _("예비사회적기업")
    COOPERATIVE = "cooperative", _("일반협동조합")
    SOCIAL_COOPERATIVE = "social_cooperative", _("사회적협동조합")
    VILLAGE_ENTERPRISE = "village", _("마을기업")
    SELF_SUFFICIENCY_ENTERPRISE = "self_sufficiency", _("자활기업")
    RURAL_COMMUNITY_COMPANY = "rural_community", _("농어촌공동체회사")
    SOCIAL_VENTURE = "social_venture", _("소셜벤처")
    OTHER = "other", _("기타")


SOCIAL_ENTERPRISE_TYPES = [
    OrganizationType.CERTIFIED_SOCIAL_ENTERPRISE,
    OrganizationType.PRELIMINARY_SOCIAL_ENTERPRISE,
]
COOPERATIVE_TYPES = [OrganizationType.COOPERATIVE, OrganizationType.SOCIAL_COOPERATIVE]
COOPERATIVE_MIN_MEMBERS = 5


class Sector(models.TextChoices):
    MANUFACTURING = "manufacturing", _("제조")
    FOOD_SERVICE = "food", _("식품·외식")
    CARE = "care", _("돌봄·사회서비스")
    CULTURE_TOURISM = "culture", _("문화·예술·관광")
    EDUCATION = "education", _("교육")
    ENVIRONMENT = "environment", _("환경·재활용")
    AGRICULTURE = "agriculture", _("농업·먹거리")
    RETAIL = "retail", _("도소매·유통")
    CLEANING = "cleaning", _("청소·시설관리")
    IT_DESIGN = "it_design", _("IT·디자인")
    OTHER = "other", _("기타")


class OrganizationStatus(models.TextChoices):
    OPERATING = "operating", _("운영 중")
    SUSPENDED = "suspended", _("휴업")
    CLOSED = "closed", _("폐업")


class SocialPurposeType(models.TextChoices):
    SOCIAL_SERVICE = "social_service", _("사회서비스제공형")
    JOB_CREATION = "job_creation", _("일자리제공형")
    COMMUNITY_CONTRIBUTION = "community", _("지역사회공헌형")
    MIXED = "mixed", _("혼합형")
    CREATIVE_INNOVATIVE = "creative", _("기타(창의·혁신)형")


class PreliminaryKind(models.TextChoices):
    REGIONAL = "regional", _("지역형")
    MINISTRY = "ministry", _("부처형")


class Organization(TimeStampedModel):
    """A social-economy organization in Jeonju; contact data here is what the organization publishes."""

    # The representative is a person: published on the profile page, never sent to partners.
    PERSONAL_DATA_FIELDS = ("representative_name",)

    name = models.CharField(_("조직명"), max_length=100)
    org_type = models.CharField(_("조직 유형"), max_length=20, choices=OrganizationType.choices)
    business_registration_number = models.CharField(
        _("사업자등록번호"),
        max_length=12,
        blank=True,
        validators=[validate_business_registration_number],
        help_text=_("XXX-XX-XXXXX 형식으로 저장됩니다."),
    )
    corporate_registration_number = models.CharField(
        _("법인등록번호"),
        max_length=14,
        blank=True,
        help_text=_("법인인 경우에만 입력합니다. 예: 210111-0012345"),
    )
    representative_name = models.CharField(
        _("대표자명"), max_length=50, blank=True, help_text=_("조직이 공개하는 대표자 이름입니다.")
    )
    sector = models.CharField(_("업종"), max_length=20, choices=Sector.choices, default=Sector.OTHER)
    dong = models.ForeignKey(
        "common.Dong",
        verbose_name=_("행정동"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="social_economy_organizations",
    )
    address = models.CharField(_("주소"), max_length=200, blank=True)
    phone = models.CharField(_("대표 전화"), max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField(_("대표 이메일"), blank=True)
    website = models.URLField(_("홈페이지"), blank=True)
    founded_on = models.DateField(_("설립일"), null=True, blank=True)
    employees_count = models.PositiveIntegerField(_("종사자 수"), null=True, blank=True)
    vulnerable_employees_count = models.PositiveIntegerField(
        _("취약계층 종사자 수"), null=True, blank=True, help_text=_("종사자 수 이하여야 합니다.")
    )
    members_count = models.PositiveIntegerField(
        _("조합원 수"),
        null=True,
        blank=True,
        help_text=_("협동조합만 입력합니다. 일반협동조합은 5인 이상입니다."),
    )
    status = models.CharField(
        _("운영 상태"),
        max_length=20,
        choices=OrganizationStatus.choices,
        default=OrganizationStatus.OPERATING,
    )
    closed_on = models.DateField(_("폐업일"), null=True, blank=True)
    description = models.TextField(_("소개"), blank=True)

    # Certification (인증) / designation (지정) by the ministry, province or city.
    certification_number = models.CharField(_("인증·지정 번호"), max_length=50, blank=True)
    certified_on = models.DateField(_("인증·지정일"), null=True, blank=True)
    certification_expires_on = models.DateField(
        _("인증·지정 만료일"),
        null=True,
        blank=True,
        help_text=_("예비사회적기업은 지정 기간 만료일이 필수입니다."),
    )
    designating_body = models.CharField(
        _("인증·지정 기관"),
        max_length=100,
        blank=True,
        help_text=_("예: 고용노동부, 전북특별자치도, 행정안전부"),
    )
    social_purpose_type = models.CharField(
        _("사회적 목적 실현 유형"),
        max_length=20,
        choices=SocialPurposeType.choices,
        blank=True,
        help_text=_("인증 사회적기업과 예비사회적기업만 입력합니다."),
    )
    preliminary_kind = models.CharField(
        _("예비사회적기업 구분"),
        max_length=20,
        choices=PreliminaryKind.choices,
        blank=True,
        help_text=_("예비사회적기업만 입력합니다."),
    )

    # Cooperatives: 일반협동조합 report to the province (설립신고),
    # 사회적협동조합 need ministry approval (설립인가).
    cooperative_filing_number = models.CharField(_("설립신고·인가 번호"), max_length=50, blank=True)
    cooperative_filed_on = models.DateField(_("설립신고 수리·인가일"), null=True, blank=True)
    cooperative_authority = models.CharField(
        _("신고 수리·인가 기관"), max_length=100, blank=True, help_text=_("예: 전북특별자치도, 기획재정부")
    )
    representative_anonymised_at = models.DateTimeField(
        _("대표자 정보 익명화 일시"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("폐업 후 보존기간이 지나 대표자 이름을 지운 때입니다."),
    )

    objects = TrackedQuerySet.as_manager()

    history = _history(excluded_fields=list(PERSONAL_DATA_FIELDS))

    class Meta:
        verbose_name = _("사회적경제조직")
        verbose_name_plural = _("사회적경제조직")
        ordering = ["name"]
        indexes = [
            TrigramIndex("name", name="se_organization_name_trgm"),
            models.Index(fields=["org_type", "status"], name="social_econ_org_type_status"),
            models.Index(fields=["certification_expires_on"], name="social_econ_org_cert_expiry"),
            # The directory and the API list organizations by name (then id, for stable pages).
            models.Index(fields=["name", "id"], name="social_econ_org_name"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["business_registration_number"],
                condition=~Q(business_registration_number=""),
                name="social_economy_organization_brn_unique",
                violation_error_message=_("이미 등록된 사업자등록번호입니다."),
            ),
            models.CheckConstraint(
                condition=Q(vulnerable_employees_count__isnull=True)
                | Q(
                    employees_count__isnull=False,
                    vulnerable_employees_count__lte=F("employees_count"),
                ),
                name="social_economy_organization_vulnerable_le_employees",
                violation_error_message=_("취약계층 종사자 수는 종사자 수를 넘을 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=~Q(org_type=OrganizationType.COOPERATIVE)
                | Q(members_count__isnull=True)
                | Q(members_count__gte=COOPERATIVE_MIN_MEMBERS),
                name="social_economy_organization_cooperative_min_members",
                violation_error_message=_("일반협동조합의 조합원은 5인 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(members_count__isnull=True) | Q(org_type__in=COOPERATIVE_TYPES),
                name="social_economy_organization_members_only_cooperatives",
                violation_error_message=_("조합원 수는 협동조합만 입력합니다."),
            ),
            models.CheckConstraint(
                condition=~Q(status=OrganizationStatus.CLOSED) | Q(closed_on__isnull=False),
                name="social_economy_organization_closed_has_date",
                violation_error_message=_("폐업한 조직은 폐업일을 입력해야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(status=OrganizationStatus.CLOSED),
                name="social_economy_organization_closed_date_only_closed",
                violation_error_message=_("폐업일은 폐업 상태인 조직에만 입력합니다."),
            ),
            models.CheckConstraint(
                condition=Q(certification_expires_on__isnull=True)
                | Q(certified_on__isnull=True)
                | Q(certification_expires_on__gte=F("certified_on")),
                name="social_economy_organization_cert_expiry_after_date",
                violation_error_message=_("인증·지정 만료일은 인증·지정일 이후여야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(social_purpose_type="") | Q(org_type__in=SOCIAL_ENTERPRISE_TYPES),
                name="social_economy_organization_purpose_only_social_enterprise",
                violation_error_message=_(
                    "사회적 목적 실현 유형은 인증 사회적기업과 예비사회적기업만 입력합니다."
                ),
            ),
            models.CheckConstraint(
                condition=Q(preliminary_kind="") | Q(org_type=OrganizationType.PRELIMINARY_SOCIAL_ENTERPRISE),
                name="social_economy_organization_preliminary_kind_only_preliminary",
                violation_error_message=_(
                    "예비사회적기업 구분(지역형·부처형)은 예비사회적기업만 입력합니다."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(org_type=OrganizationType.PRELIMINARY_SOCIAL_ENTERPRISE)
                | Q(certification_expires_on__isnull=False),
                name="social_economy_organization_preliminary_has_expiry",
                violation_error_message=_("예비사회적기업은 지정 만료일을 입력해야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(org_type__in=COOPERATIVE_TYPES)
                | Q(
                    cooperative_filing_number="", cooperative_filed_on__isnull=True, cooperative_authority=""
                ),
                name="social_economy_organization_filing_only_cooperatives",
                violation_error_message=_("설립신고·인가 정보는 협동조합만 입력합니다."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        # Stored normalised so the partial unique constraint sees one spelling per number; an invalid
        # value is already reported by the field validator.
        with suppress(ValidationError):
            if self.business_registration_number:
                self.business_registration_number = normalize_business_registration_number(
                    self.business_registration_number
                )
        with suppress(ValidationError):
            if self.phone:
                self.phone = normalize_phone(self.phone)
        if self.org_type == OrganizationType.CERTIFIED_SOCIAL_ENTERPRISE:
            if not self.certification_number:
                errors["certification_number"] = _("인증 사회적기업은 인증 번호를 입력해야 합니다.")
            if not self.certified_on:
                errors["certified_on"] = _("인증 사회적기업은 인증일을 입력해야 합니다.")
            if not self.social_purpose_type:
                errors["social_purpose_type"] = _(
                    "인증 사회적기업은 사회적 목적 실현 유형을 입력해야 합니다."
                )
        if self.org_type == OrganizationType.PRELIMINARY_SOCIAL_ENTERPRISE:
            if not self.preliminary_kind:
                errors["preliminary_kind"] = _("예비사회적기업은 지역형·부처형 구분을 입력해야 합니다.")
            if not self.certified_on:
                errors["certified_on"] = _("예비사회적기업은 지정일을 입력해야 합니다.")
        if (
            self.org_type == OrganizationType.SOCIAL_COOPERATIVE
            and self.cooperative_filing_number
            and not self.cooperative_filed_on
        ):
            errors["cooperative_filed_on"] = _("사회적협동조합의 설립인가일을 입력해 주세요.")
        if self.closed_on and self.founded_on and self.closed_on < self.founded_on:
            errors["closed_on"] = _("폐업일은 설립일 이후여야 합니다.")
        if errors:
            raise ValidationError(errors)


# --- Products and services --------------------------------------------------------------------------


class Product(TimeStampedModel):
    """A product or service (생산품·서비스) an organization offers; the public directory lists active ones."""

    class Kind(models.TextChoices):
        GOODS = "goods", _("제품")
        SERVICE = "service", _("서비스")

    class Category(models.TextChoices):
        FOOD = "food", _("식품")
        AGRICULTURAL = "agricultural", _("농산물")
        HOUSEHOLD = "household", _("생활용품")
        CRAFT_DESIGN = "craft", _("공예·디자인")
        PRINTING = "printing", _("인쇄·출판")
        CLEANING = "cleaning", _("청소·방역")
        EDUCATION_CULTURE = "education", _("교육·문화 서비스")
        CARE = "care", _("돌봄 서비스")
        TOURISM = "tourism", _("관광·체험")
        OTHER = "other", _("기타")

    organization = models.ForeignKey(
        Organization, verbose_name=_("사회적경제조직"), on_delete=models.CASCADE, related_name="products"
    )
    name = models.CharField(_("품명"), max_length=100)
    kind = models.CharField(_("구분"), max_length=10, choices=Kind.choices, default=Kind.GOODS)
    category = models.CharField(
        _("품목 분류"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    description = models.TextField(_("설명"), blank=True)
    price = models.IntegerField(_("가격(원)"), null=True, blank=True)
    unit = models.CharField(_("단위"), max_length=30, blank=True, help_text=_("예: 1kg, 500ml, 1회, 1시간"))
    is_public_procurement = models.BooleanField(_("공공구매 등록"), default=False)
    certifications = models.ManyToManyField(
        ProductCertification, verbose_name=_("인증"), blank=True, related_name="products"
    )
    image = models.ImageField(
        _("대표 이미지"),
        upload_to="social_economy/products/",
        blank=True,
        validators=[validate_image_upload],
    )
    is_active = models.BooleanField(_("판매 중"), default=True)

    objects = TrackedQuerySet.as_manager()

    history = _history()

    class Meta:
        verbose_name = _("생산품·서비스")
        verbose_name_plural = _("생산품·서비스")
        ordering = ["organization__name", "name"]
        # The catalogue and the API list products by name (then id, for stable pages).
        indexes = [
            TrigramIndex("name", name="se_product_name_trgm"),
            models.Index(fields=["name", "id"], name="social_econ_product_name"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "name"],
                name="social_economy_product_name_unique_per_organization",
                violation_error_message=_("이 조직에 같은 이름의 생산품·서비스가 이미 있습니다."),
            ),
            not_negative(
                "price",
                null=True,
                name="social_economy_product_price_not_negative",
                message=_("가격은 0원 이상이어야 합니다."),
            ),
        ]

    def __str__(self):
        return self.name


# --- The full survey (전수조사) ------------------------------------------------------------------------


class SurveyCampaign(TimeStampedModel):
    class Status(models.TextChoices):
        PLANNED = "planned", _("준비")
        IN_PROGRESS = "in_progress", _("조사 중")
        CLOSED = "closed", _("종료")

    name = models.CharField(_("조사명"), max_length=100, unique=True)
    year = models.PositiveSmallIntegerField(_("조사 연도"))
    starts_on = models.DateField(_("조사 시작일"))
    ends_on = models.DateField(_("조사 종료일"))
    description = models.TextField(_("설명"), blank=True)
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    # Reminder e-mails to organizations that have not submitted go out in numbered rounds, each
    # organization at most once per round (see ``surveys.survey_reminder_round_send``).
    reminder_round = models.PositiveSmallIntegerField(_("독려 메일 차수"), default=0, editable=False)
    reminder_round_started_at = models.DateTimeField(
        _("마지막 차수 시작 시각"), null=True, blank=True, editable=False
    )
    reminder_round_sent_at = models.DateTimeField(
        _("마지막 차수 발송 시각"), null=True, blank=True, editable=False
    )

    objects = TrackedQuerySet.as_manager()

    history = _history()

    class Meta:
        verbose_name = _("전수조사")
        verbose_name_plural = _("전수조사")
        ordering = ["-year", "-starts_on"]
        constraints = [
            ends_after(
                "ends_on",
                "starts_on",
                name="social_economy_surveycampaign_end_after_start",
                message=_("조사 종료일은 시작일 이후여야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="social_economy_surveycampaign_year_range",
                violation_error_message=_("조사 연도는 2000년부터 2100년 사이여야 합니다."),
            ),
        ]

    def __str__(self):
        return self.name


class SurveyResponse(TimeStampedModel):
    """One organization's answer to a survey campaign; the respondent's name and phone are personal data."""

    PERSONAL_DATA_FIELDS = ("respondent_name", "respondent_phone")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("미착수")
        CONTACTING = "contacting", _("연락 중")
        IN_PROGRESS = "in_progress", _("조사 중")
        SUBMITTED = "submitted", _("제출")
        VERIFIED = "verified", _("검증 완료")
        DECLINED = "declined", _("거절")
        UNREACHABLE = "unreachable", _("연락 불가")

    class Channel(models.TextChoices):
        STAFF = "staff", _("직원 입력(전화·방문)")
        ONLINE = "online", _("온라인 응답")

    COMPLETED_STATUSES = [Status.SUBMITTED, Status.VERIFIED]
    # Not submitted and still may: these organizations get the invitations and reminder e-mails.
    REMINDABLE_STATUSES = [Status.NOT_STARTED, Status.CONTACTING, Status.IN_PROGRESS, Status.UNREACHABLE]

    campaign = models.ForeignKey(
        SurveyCampaign, verbose_name=_("전수조사"), on_delete=models.CASCADE, related_name="responses"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("사회적경제조직"),
        on_delete=models.PROTECT,
        related_name="survey_responses",
    )
    status = models.CharField(
        _("조사 상태"), max_length=20, choices=Status.choices, default=Status.NOT_STARTED
    )
    surveyed_on = models.DateField(
        _("조사일"), null=True, blank=True, help_text=_("응답을 받은(제출된) 날짜")
    )
    surveyor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("조사 담당자"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_economy_survey_responses",
    )
    contacted_on = models.DateField(_("최초 연락일"), null=True, blank=True)
    verified_on = models.DateField(_("검증일"), null=True, blank=True)
    last_reminder_round = models.PositiveSmallIntegerField(
        _("받은 독려 메일 차수"), default=0, editable=False
    )
    last_reminded_at = models.DateTimeField(_("마지막 독려 메일"), null=True, blank=True, editable=False)
    respondent_name = models.CharField(_("응답자 이름"), max_length=50, blank=True)
    respondent_phone = models.CharField(
        _("응답자 연락처"), max_length=20, blank=True, validators=[validate_phone]
    )
    annual_revenue = models.BigIntegerField(_("연 매출액(원)"), null=True, blank=True)
    employees_count = models.IntegerField(_("종사자 수"), null=True, blank=True)
    vulnerable_employees_count = models.IntegerField(
        _("취약계층 종사자 수"), null=True, blank=True, help_text=_("종사자 수 이하여야 합니다.")
    )
    sales_channels = models.ManyToManyField(
        SalesChannel, verbose_name=_("판매 경로"), blank=True, related_name="survey_responses"
    )
    needs = models.ManyToManyField(
        SupportNeed, verbose_name=_("지원 필요 분야"), blank=True, related_name="survey_responses"
    )
    products = models.ManyToManyField(
        Product,
        verbose_name=_("응답 생산품·서비스"),
        through="SurveyProductItem",
        blank=True,
        related_name="survey_responses",
    )
    notes = models.TextField(_("비고"), blank=True)
    # The online answer (see ``surveys.py``): which way the answer came, when the organization first
    # opened its link, when and by whom it was submitted, and why staff sent it back.
    channel = models.CharField(
        _("응답 방식"), max_length=10, choices=Channel.choices, default=Channel.STAFF, editable=False
    )
    first_opened_at = models.DateTimeField(_("온라인 첫 열람"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("온라인 제출 시각"), null=True, blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("제출한 조직 회원"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="social_economy_submitted_survey_responses",
        help_text=_("로그인한 조직 회원이 제출했을 때만 남습니다. 메일 링크로 제출하면 비어 있습니다."),
    )
    return_comment = models.TextField(
        _("보완 요청 사유"),
        blank=True,
        editable=False,
        help_text=_("센터가 제출된 응답을 돌려보낼 때 조직에 보여 주는 설명입니다."),
    )
    respondent_anonymised_at = models.DateTimeField(
        _("응답자 정보 익명화 일시"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("조사 종료 후 보존기간이 지나 응답자 이름·연락처를 지운 때입니다."),
    )

    objects = TrackedQuerySet.as_manager()

    history = _history(excluded_fields=list(PERSONAL_DATA_FIELDS))

    class Meta:
        verbose_name = _("전수조사 응답")
        verbose_name_plural = _("전수조사 응답")
        ordering = ["campaign", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organization"],
                name="social_economy_surveyresponse_unique_per_campaign",
                violation_error_message=_("이 조직의 응답이 이 전수조사에 이미 있습니다."),
            ),
            not_negative(
                "annual_revenue",
                null=True,
                name="social_economy_surveyresponse_revenue_not_negative",
                message=_("연 매출액은 0원 이상이어야 합니다."),
            ),
            not_negative(
                "employees_count",
                null=True,
                name="social_economy_surveyresponse_employees_not_negative",
                message=_("종사자 수는 0명 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(channel="staff") | Q(submitted_at__isnull=False),
                name="social_economy_surveyresponse_online_has_submitted_at",
                violation_error_message=_("온라인 응답은 제출 시각이 있어야 합니다."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "verified"]) | Q(surveyed_on__isnull=False),
                name="social_economy_surveyresponse_completed_has_date",
                violation_error_message=_("제출 또는 검증 완료된 응답은 조사일을 입력해야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.organization}"

    def clean(self):
        super().clean()
        with suppress(ValidationError):
            if self.respondent_phone:
                self.respondent_phone = normalize_phone(self.respondent_phone)
        if self.vulnerable_employees_count is not None and (
            self.vulnerable_employees_count < 0
            or self.employees_count is None
            or self.vulnerable_employees_count > self.employees_count
        ):
            raise ValidationError(
                {"vulnerable_employees_count": _("취약계층 종사자 수는 0명 이상, 종사자 수 이하여야 합니다.")}
            )


class SurveyProductItem(TimeStampedModel):
    """A product or service as reported in a survey response, with its annual sales."""

    response = models.ForeignKey(
        SurveyResponse,
        verbose_name=_("전수조사 응답"),
        on_delete=models.CASCADE,
        related_name="product_items",
    )
    product = models.ForeignKey(
        Product, verbose_name=_("생산품·서비스"), on_delete=models.CASCADE, related_name="survey_items"
    )
    annual_sales = models.BigIntegerField(_("연 매출액(원)"), null=True, blank=True)
    unit_price = models.IntegerField(_("응답 단가(원)"), null=True, blank=True)
    notes = models.CharField(_("비고"), max_length=200, blank=True)

    history = _history()

    class Meta:
        verbose_name = _("응답 생산품·서비스")
        verbose_name_plural = _("응답 생산품·서비스")
        ordering = ["response", "product__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "product"],
                name="social_economy_surveyproductitem_unique_product",
                violation_error_message=_("이 응답에 같은 생산품·서비스가 이미 있습니다."),
            ),
            not_negative(
                "annual_sales",
                null=True,
                name="social_economy_surveyproductitem_sales_not_negative",
                message=_("연 매출액은 0원 이상이어야 합니다."),
            ),
            not_negative(
                "unit_price",
                null=True,
                name="social_economy_surveyproductitem_price_not_negative",
                message=_("단가는 0원 이상이어야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.response} · {self.product}"

    def clean(self):
        super().clean()
        if (
            self.response_id
            and self.product_id
            and self.product.organization_id != self.response.organization_id
        ):
            raise ValidationError({"product": _("응답한 조직의 생산품·서비스만 선택할 수 있습니다.")})


# --- Stores -------------------------------------------------------------------------------------------


class Store(TimeStampedModel):
    class Kind(models.TextChoices):
        PILOT = "pilot", _("사회적경제생산품 시범매장")
        JEONJU_FOOD = "jeonju_food", _("전주푸드 직매장")
        OTHER = "other", _("기타")

    name = models.CharField(_("매장명"), max_length=100, unique=True)
    kind = models.CharField(_("매장 유형"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    dong = models.ForeignKey(
        "common.Dong",
        verbose_name=_("행정동"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="social_economy_stores",
    )
    address = models.CharField(_("주소"), max_length=200, blank=True)
    phone = models.CharField(_("전화"), max_length=20, blank=True, validators=[validate_phone])
    opened_on = models.DateField(_("개점일"), null=True, blank=True)
    operator = models.CharField(_("운영 주체"), max_length=100, blank=True)
    is_active = models.BooleanField(_("운영 중"), default=True)

    objects = TrackedQuerySet.as_manager()

    history = _history()

    class Meta:
        verbose_name = _("매장")
        verbose_name_plural = _("매장")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class StoreListing(TimeStampedModel):
    """A product on a store's shelf for a period; at most one open listing per store and product."""

    store = models.ForeignKey(
        Store, verbose_name=_("매장"), on_delete=models.CASCADE, related_name="listings"
    )
    product = models.ForeignKey(
        Product, verbose_name=_("생산품·서비스"), on_delete=models.CASCADE, related_name="store_listings"
    )
    listed_on = models.DateField(_("입점일"))
    delisted_on = models.DateField(_("퇴점일"), null=True, blank=True)
    shelf_price = models.IntegerField(_("판매가(원)"), null=True, blank=True)

    objects = TrackedQuerySet.as_manager()

    history = _history()

    class Meta:
        verbose_name = _("매장 입점 상품")
        verbose_name_plural = _("매장 입점 상품")
        ordering = ["store", "-listed_on"]
        constraints = [
            ends_after(
                "delisted_on",
                "listed_on",
                null=True,
                name="social_economy_storelisting_delisted_after_listed",
                message=_("퇴점일은 입점일 이후여야 합니다."),
            ),
            not_negative(
                "shelf_price",
                null=True,
                name="social_economy_storelisting_price_not_negative",
                message=_("판매가는 0원 이상이어야 합니다."),
            ),
            models.UniqueConstraint(
                fields=["store", "product"],
                condition=Q(delisted_on__isnull=True),
                name="social_economy_storelisting_one_open_listing",
                violation_error_message=_(
                    "이 매장에 이미 판매 중인 같은 상품이 있습니다. 기존 입점을 먼저 종료해 주세요."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.store} · {self.product}"


# --- Consulting ---------------------------------------------------------------------------------------


class ConsultingCase(TimeStampedModel):
    """Consulting given to an organization, alone or with a provincial partner center."""

    class Topic(models.TextChoices):
        QUALITY = "quality", _("품질 개선")
        PRODUCT_RANGE = "product_range", _("상품 구성")
        DIVERSIFICATION = "diversification", _("다각화")
        MARKETING = "marketing", _("마케팅·판로")
        MANAGEMENT = "management", _("경영·회계")
        ACCOUNTING_LEGAL = "accounting_legal", _("회계·법무")
        DESIGN = "design", _("디자인·포장")
        OTHER = "other", _("기타")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("접수")
        IN_PROGRESS = "in_progress", _("진행 중")
        COMPLETED = "completed", _("완료")
        CANCELLED = "cancelled", _("취소")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("사회적경제조직"),
        on_delete=models.PROTECT,
        related_name="consulting_cases",
    )
    partner_center = models.ForeignKey(
        "partners.PartnerCenter",
        verbose_name=_("협력기관"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_economy_consulting_cases",
    )
    topic = models.CharField(_("분야"), max_length=20, choices=Topic.choices)
    title = models.CharField(_("제목"), max_length=200)
    opened_on = models.DateField(_("접수일"))
    closed_on = models.DateField(_("종결일"), null=True, blank=True)
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    consultant = models.CharField(_("담당 컨설턴트"), max_length=100, blank=True)
    summary = models.TextField(_("요청 내용"), blank=True)
    outcome = models.TextField(_("결과"), blank=True)

    objects = TrackedQuerySet.as_manager()

    history = _history()

    class Meta:
        verbose_name = _("컨설팅")
        verbose_name_plural = _("컨설팅")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            ends_after(
                "closed_on",
                "opened_on",
                null=True,
                name="social_economy_consultingcase_closed_after_opened",
                message=_("종결일은 접수일 이후여야 합니다."),
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(closed_on__isnull=False),
                name="social_economy_consultingcase_completed_has_date",
                violation_error_message=_("완료된 컨설팅은 종결일을 입력해야 합니다."),
            ),
        ]

    def __str__(self):
        return self.title


class ConsultingSession(TimeStampedModel):
    case = models.ForeignKey(
        ConsultingCase, verbose_name=_("컨설팅"), on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField(_("실시일"))
    consultant = models.CharField(_("컨설턴트"), max_length=100)
    hours = models.DecimalField(_("시간"), max_digits=4, decimal_places=1)
    notes = models.TextField(_("내용"), blank=True)
    outcome = models.TextField(_("결과"), blank=True)

    objects = TrackedQuerySet.as_manager()

    history = _history()

    class Meta:
        verbose_name = _("컨설팅 회차")
        verbose_name_plural = _("컨설팅 회차")
        ordering = ["case", "held_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="social_economy_consultingsession_hours_positive",
                violation_error_message=_("컨설팅 시간은 0보다 커야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.case} · {self.held_on:%Y-%m-%d}"

    def clean(self):
        super().clean()
        if self.case_id and self.held_on and self.held_on < self.case.opened_on:
            raise ValidationError({"held_on": _("컨설팅 실시일은 접수일 이후여야 합니다.")})


# --- Networks -----------------------------------------------------------------------------------------


class Network(TimeStampedModel):
    class Level(models.TextChoices):
        LOCAL = "local", _("지역")
        PROVINCIAL = "provincial", _("광역")
        NATIONAL = "national", _("전국")

    name = models.CharField(_("네트워크명"), max_length=100, unique=True)
    level = models.CharField(_("수준"), max_length=20, choices=Level.choices)
    description = models.TextField(_("설명"), blank=True)
    founded_on = models.DateField(_("결성일"), null=True, blank=True)
    website = models.URLField(_("홈페이지"), blank=True)

    objects = TrackedQuerySet.as_manager()

    history = _history()

    class Meta:
        verbose_name = _("네트워크")
        verbose_name_plural = _("네트워크")
        ordering = ["level", "name"]

    def __str__(self):
        return self.name


class NetworkMembership(TimeStampedModel):
    class Role(models.TextChoices):
        MEMBER = "member", _("회원")
        BOARD = "board", _("임원")
        CHAIR = "chair", _("대표")
        SECRETARIAT = "secretariat", _("사무국")

    network = models.ForeignKey(
        Network, verbose_name=_("네트워크"), on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("사회적경제조직"),
        on_delete=models.CASCADE,
        related_name="network_memberships",
    )
    joined_on = models.DateField(_("가입일"), null=True, blank=True)
    left_on = models.DateField(_("탈퇴일"), null=True, blank=True)
    role = models.CharField(_("역할"), max_length=20, choices=Role.choices, default=Role.MEMBER)

    objects = TrackedQuerySet.as_manager()

    history = _history()

    class Meta:
        verbose_name = _("네트워크 회원")
        verbose_name_plural = _("네트워크 회원")
        ordering = ["network", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "organization"],
                name="social_economy_networkmembership_unique",
                violation_error_message=_("이 조직은 이미 이 네트워크의 회원입니다."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(joined_on__isnull=True)
                | Q(left_on__gte=F("joined_on")),
                name="social_economy_networkmembership_left_after_joined",
                violation_error_message=_("탈퇴일은 가입일 이후여야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.network} · {self.organization}"


class OrganizationMember(TimeStampedModel):
    """A citizen account acting for an organization on the portal, as 대표 or 담당자.

    Staff invite by e-mail (``INVITED``, accepted from the link by the account with that address) or a person
    asks to join with the organization's business registration number (``REQUESTED``, approved by staff).
    Only ``ACTIVE`` rows give access to the organization's own pages; leaving or being revoked ends it."""

    PERSONAL_DATA_FIELDS = ("email",)

    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", _("대표")
        CONTACT = "contact", _("담당자")

    class Status(models.TextChoices):
        INVITED = "invited", _("초대함")
        REQUESTED = "requested", _("가입 신청")
        ACTIVE = "active", _("활동 중")
        DECLINED = "declined", _("신청 거절")
        LEFT = "left", _("탈퇴")
        REVOKED = "revoked", _("권한 해제")

    OPEN_STATUSES = (Status.INVITED, Status.REQUESTED, Status.ACTIVE)

    organization = models.ForeignKey(
        Organization, verbose_name=_("조직"), on_delete=models.CASCADE, related_name="portal_members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("회원 계정"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,  # a deleted account takes its memberships with it
        related_name="organization_memberships",
    )
    email = models.EmailField(
        _("초대한 이메일"), blank=True, help_text=_("초대는 이 주소의 회원만 받을 수 있습니다.")
    )
    role = models.CharField(_("역할"), max_length=20, choices=Role.choices, default=Role.CONTACT)
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("초대한 직원"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("처리한 직원"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(_("처리 일시"), null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(_("종료 일시"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["email", "user"])

    class Meta:
        verbose_name = _("조직 회원")
        verbose_name_plural = _("조직 회원")
        ordering = ["organization", "status", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=Q(status__in=["requested", "active"]),
                name="social_economy_member_one_open_row_per_account",
                violation_error_message=_("이 회원은 이미 이 조직의 회원이거나 가입을 신청했습니다."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                "organization",
                condition=Q(status="invited"),
                name="social_economy_member_one_invitation_per_email",
                violation_error_message=_("이 이메일로 보낸 초대가 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(status="invited", user__isnull=True) & ~Q(email="")
                | ~Q(status="invited") & Q(user__isnull=False),
                name="social_economy_member_invited_by_email_else_account",
                violation_error_message=_("초대는 이메일로, 그 밖의 회원은 계정으로 연결합니다."),
            ),
        ]

    def __str__(self):
        who = (
            self.user.name
            if self.user_id and self.user.name
            else mask_email(self.email)
            if self.email
            else "-"
        )
        return f"{self.organization} · {who} ({self.get_role_display()})"


class ConsultingRequest(TimeStampedModel):
    """A consulting request an organization's member sends from the portal. Staff triage it: accepted, it
    becomes a ``ConsultingCase`` (the same service the back office uses), or it is declined with a reason."""

    DESCRIPTION_MAX_LENGTH = 2000

    class Status(models.TextChoices):
        NEW = "new", _("접수")
        ACCEPTED = "accepted", _("컨설팅 개시")
        DECLINED = "declined", _("반려")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("사회적경제조직"),
        on_delete=models.CASCADE,
        related_name="consulting_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("신청한 회원"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topic = models.CharField(_("분야"), max_length=20, choices=ConsultingCase.Topic.choices)
    description = models.TextField(_("요청 내용"), max_length=DESCRIPTION_MAX_LENGTH)
    preferred_partner = models.ForeignKey(
        "partners.PartnerCenter",
        verbose_name=_("희망 협력기관"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.NEW)
    case = models.OneToOneField(
        ConsultingCase,
        verbose_name=_("컨설팅"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="request",
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("처리한 직원"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(_("처리 일시"), null=True, blank=True, editable=False)
    decline_reason = models.CharField(_("반려 사유"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("컨설팅 신청")
        verbose_name_plural = _("컨설팅 신청")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(case__isnull=False),
                name="social_economy_consulting_request_accepted_has_case",
                violation_error_message=_("컨설팅을 시작한 신청에는 컨설팅이 연결되어야 합니다."),
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="social_economy_consulting_request_declined_has_reason",
                violation_error_message=_("반려할 때는 사유를 적어야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_topic_display()}"


# --- Self-service profile edits (/me/organization/<id>/profile/, products) -------------------------------


class ProfileTarget(models.TextChoices):
    ORGANIZATION = "organization", _("조직 정보")
    PRODUCT = "product", _("생산품·서비스")


# What an organization's members may change themselves. Name, business registration number, type,
# certifications and status are verified by staff against official records and stay with them.
ORGANIZATION_MEMBER_FIELDS = (
    "description",
    "address",
    "dong",
    "phone",
    "email",
    "website",
    "representative_name",
    "employees_count",
    "vulnerable_employees_count",
)
PRODUCT_MEMBER_FIELDS = (
    "name",
    "kind",
    "category",
    "description",
    "price",
    "unit",
    "certifications",
    "image",
)
# The pseudo-field of a product a member adds: its policy says whether it goes public at once.
NEW_PRODUCT = "__new__"
# Retiring (판매 중단) and re-activating are always immediate: hiding a product is never a risk, and a
# retired product came back through review when it was new.
PRODUCT_ACTIVE = "is_active"

PROFILE_FIELD_CHOICES = [
    ("description", _("소개·설명")),
    ("address", _("주소")),
    ("dong", _("행정동")),
    ("phone", _("대표 전화")),
    ("email", _("대표 이메일")),
    ("website", _("홈페이지")),
    ("representative_name", _("대표자명")),
    ("employees_count", _("종사자 수")),
    ("vulnerable_employees_count", _("취약계층 종사자 수")),
    ("name", _("품명")),
    ("kind", _("구분")),
    ("category", _("품목 분류")),
    ("price", _("가격(원)")),
    ("unit", _("단위")),
    ("certifications", _("인증")),
    ("image", _("대표 이미지")),
    (PRODUCT_ACTIVE, _("판매 중")),
    (NEW_PRODUCT, _("새 생산품 등록")),
]

_ORGANIZATION_FIELD = Q(target=ProfileTarget.ORGANIZATION, field_name__in=ORGANIZATION_MEMBER_FIELDS)
_PRODUCT_FIELD = Q(target=ProfileTarget.PRODUCT, field_name__in=[*PRODUCT_MEMBER_FIELDS, NEW_PRODUCT])


def profile_field_label(target, field_name):
    """The field's name as the forms show it (organization ``description`` is 소개, a product's 설명)."""
    if field_name == NEW_PRODUCT:
        return str(_("새 생산품 등록"))
    model = Organization if target == ProfileTarget.ORGANIZATION else Product
    try:
        return str(model._meta.get_field(field_name).verbose_name)
    except FieldDoesNotExist:  # a field renamed since the row was written still gets a label
        return field_name


class ProfileFieldPolicy(TimeStampedModel):
    """Whether a member's change of one field is published at once or waits for the team's review.
    Without a row, ``profiles.DEFAULT_REVIEW`` decides."""

    target = models.CharField(_("대상"), max_length=20, choices=ProfileTarget.choices)
    field_name = models.CharField(_("항목"), max_length=40, choices=PROFILE_FIELD_CHOICES)
    requires_review = models.BooleanField(
        _("검토 후 공개"), default=True, help_text=_("끄면 조직 회원이 고친 값이 바로 공개됩니다.")
    )

    history = _history()

    class Meta:
        verbose_name = _("조직 정보 공개 방식")
        verbose_name_plural = _("조직 정보 공개 방식")
        ordering = ["target", "field_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["target", "field_name"],
                name="social_economy_profilefieldpolicy_unique",
                violation_error_message=_("이 항목의 공개 방식이 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=_ORGANIZATION_FIELD | _PRODUCT_FIELD,
                name="social_economy_profilefieldpolicy_member_field",
                violation_error_message=_("조직 회원이 고칠 수 있는 항목만 정할 수 있습니다."),
            ),
        ]

    def __str__(self):
        return f"{self.get_target_display()} · {profile_field_label(self.target, self.field_name)}"


def profile_change_image_path(instance, filename):
    # Outside the public products folder: a photo is published only when staff approve it. A random name
    # so the address cannot be guessed from the product.
    import uuid

    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"social_economy/profile_changes/{uuid.uuid4().hex}.{extension}"


class ProfileChange(TimeStampedModel):
    """One field of an organization's profile or product as a member (or staff) changed it: published at
    once, or waiting for review and then approved or rejected. Together the rows are the organization's
    change log its members see (who, when, which field, from what to what)."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("바로 공개")
        PENDING = "pending", _("검토 대기")
        APPROVED = "approved", _("승인")
        REJECTED = "rejected", _("반려")
        SUPERSEDED = "superseded", _("새 요청으로 대체")

    class Channel(models.TextChoices):
        MEMBER = "member", _("조직 회원")
        STAFF = "staff", _("센터 직원")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("사회적경제조직"),
        on_delete=models.CASCADE,
        related_name="profile_changes",
    )
    product = models.ForeignKey(
        Product,
        verbose_name=_("생산품·서비스"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="profile_changes",
    )
    field_name = models.CharField(_("항목"), max_length=40, choices=PROFILE_FIELD_CHOICES)
    old_value = models.JSONField(_("이전 값"), null=True, blank=True)
    new_value = models.JSONField(_("새 값"), null=True, blank=True)
    old_display = models.TextField(_("이전 값 (표시)"), blank=True)
    new_display = models.TextField(_("새 값 (표시)"), blank=True)
    new_image = models.ImageField(
        _("새 사진"), upload_to=profile_change_image_path, blank=True, editable=False
    )
    status = models.CharField(_("상태"), max_length=12, choices=Status.choices)
    channel = models.CharField(_("경로"), max_length=10, choices=Channel.choices)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("고친 사람"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("처리한 직원"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(_("처리 일시"), null=True, blank=True, editable=False)
    decision_comment = models.CharField(_("처리 의견"), max_length=300, blank=True)

    # The row is itself the record of the values; its history follows the decision (status, who, when) and
    # keeps no second copy of a representative's name that the retention job must be able to erase.
    history = HistoricalRecords(excluded_fields=["old_value", "new_value", "old_display", "new_display"])

    class Meta:
        verbose_name = _("조직 정보 변경")
        verbose_name_plural = _("조직 정보 변경 (검토)")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"], name="social_econ_change_status")]
        constraints = [
            # A newer submission of the same field supersedes the waiting one (see ``profiles``); two
            # constraints because a NULL product would make a single one never match.
            models.UniqueConstraint(
                fields=["organization", "field_name"],
                condition=Q(status="pending", product__isnull=True),
                name="social_economy_profilechange_one_pending_org_field",
                violation_error_message=_("이 항목에 검토를 기다리는 변경이 이미 있습니다."),
            ),
            models.UniqueConstraint(
                fields=["product", "field_name"],
                condition=Q(status="pending", product__isnull=False),
                name="social_economy_profilechange_one_pending_product_field",
                violation_error_message=_("이 항목에 검토를 기다리는 변경이 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_comment=""),
                name="social_economy_profilechange_rejected_has_comment",
                violation_error_message=_("반려할 때는 사유를 적어야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(product__isnull=True, field_name__in=ORGANIZATION_MEMBER_FIELDS)
                | Q(
                    product__isnull=False,
                    field_name__in=[*PRODUCT_MEMBER_FIELDS, NEW_PRODUCT, PRODUCT_ACTIVE],
                ),
                name="social_economy_profilechange_field_of_target",
                violation_error_message=_("조직 회원이 고칠 수 있는 항목만 기록합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.field_label}"

    @property
    def target(self):
        return ProfileTarget.PRODUCT if self.product_id else ProfileTarget.ORGANIZATION

    @property
    def field_label(self):
        return profile_field_label(self.target, self.field_name)
