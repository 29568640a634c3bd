"""The full survey (전수조사): campaigns, each organization's response and the products it reported.

The online survey's workflow (invitations, reminders, submission) lives in ``social_economy/surveys.py``.
The respondent's name and phone are personal data, left out of the change history.
"""

from contextlib import suppress

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.changes import TrackedQuerySet
from jeonju_center.common.constraints import ends_after, not_negative
from jeonju_center.common.history import PortalHistoricalRecords
from jeonju_center.common.models import TimeStampedModel
from jeonju_center.common.validators import (
    normalize_phone,
    validate_phone,
)

from .lookups import SalesChannel, SupportNeed
from .organizations import Organization
from .products import Product


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

    history = PortalHistoricalRecords()

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

    history = PortalHistoricalRecords(excluded_fields=list(PERSONAL_DATA_FIELDS))

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

    history = PortalHistoricalRecords()

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
