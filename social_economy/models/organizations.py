"""Social-economy organizations (사회적경제조직): type, sector, status, certification or designation and
cooperative filing, with the rules the database enforces for each organization type."""

from contextlib import suppress

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.changes import TrackedQuerySet
from jeonju_center.common.history import PortalHistoricalRecords
from jeonju_center.common.indexes import BigramIndex, TrigramIndex
from jeonju_center.common.models import TimeStampedModel
from jeonju_center.common.validators import (
    normalize_business_registration_number,
    normalize_phone,
    validate_business_registration_number,
    validate_phone,
)


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

    history = PortalHistoricalRecords(excluded_fields=list(PERSONAL_DATA_FIELDS))

    class Meta:
        verbose_name = _("사회적경제조직")
        verbose_name_plural = _("사회적경제조직")
        ordering = ["name"]
        indexes = [
            TrigramIndex("name", name="se_organization_name_trgm"),
            # The site search (/search/), for three characters or more.
            TrigramIndex("description", name="se_org_description_trgm"),
            # The site search (/search/): two-character Korean words, which trigrams cannot serve.
            BigramIndex("name", name="se_org_name_bigrams"),
            BigramIndex("description", name="se_org_description_bigrams"),
            # The back office's search fields.
            TrigramIndex("business_registration_number", name="se_organization_brn_trgm"),
            TrigramIndex("representative_name", name="se_organization_rep_trgm"),
            TrigramIndex("certification_number", name="se_organization_cert_trgm"),
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
