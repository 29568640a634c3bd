"""Vacant-house reuse programs (빈집 활용 사업: Happy Village, youth share house, social housing,
half-rent housing welfare, community space) and the renovations done under them."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.changes import TrackedQuerySet
from jeonju_center.common.constraints import ends_after, not_negative
from jeonju_center.common.fields import PhotoField
from jeonju_center.common.history import PortalHistoricalRecords
from jeonju_center.common.models import TimeStampedModel
from jeonju_center.common.validators import validate_image_upload

from .vacant_houses import VacantHouse

YOUTH_SHARE_HOUSE_AGE_RANGE = (19, 39)


class ProgramKind(models.TextChoices):
    HAPPY_VILLAGE = "happy_village", _("해피빌리지 시범사업")
    YOUTH_SHARE_HOUSE = "youth_share_house", _("청년쉐어하우스")
    DISABLED_SOCIAL_HOUSING = "disabled_social_housing", _("탈시설 장애인 사회주택")
    HALF_RENT_WELFARE = "half_rent_welfare", _("반값 임대 주거복지")
    COMMUNITY_SPACE = "community_space", _("유휴공간 커뮤니티")


class HousingProgram(TimeStampedModel):
    """A vacant-house reuse program of a given year."""

    name = models.CharField(_("사업명"), max_length=100)
    kind = models.CharField(_("사업 유형"), max_length=30, choices=ProgramKind.choices)
    year = models.SmallIntegerField(_("사업 연도"))
    description = models.TextField(_("사업 설명"), blank=True)
    budget = models.BigIntegerField(_("예산(원)"), default=0)
    operating_partner = models.CharField(_("운영 기관"), max_length=100, blank=True)
    tenant_min_age = models.SmallIntegerField(
        _("입주자 최소 나이"), null=True, blank=True, help_text=_("청년쉐어하우스는 비워 두면 19세")
    )
    tenant_max_age = models.SmallIntegerField(
        _("입주자 최대 나이"), null=True, blank=True, help_text=_("청년쉐어하우스는 비워 두면 39세")
    )
    starts_on = models.DateField(_("사업 시작일"), null=True, blank=True)
    ends_on = models.DateField(_("사업 종료일"), null=True, blank=True)

    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("빈집 활용 사업")
        verbose_name_plural = _("빈집 활용 사업")
        ordering = ["-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "year"],
                name="regeneration_program_unique_name_year",
                violation_error_message=_("같은 연도에 같은 이름의 사업이 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100),
                name="regeneration_program_year_range",
                violation_error_message=_("사업 연도는 2000~2100 사이여야 합니다."),
            ),
            not_negative(
                "budget",
                name="regeneration_program_budget_non_negative",
                message=_("예산은 0원 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=(Q(tenant_min_age__isnull=True) | Q(tenant_min_age__gte=0))
                & (Q(tenant_max_age__isnull=True) | Q(tenant_max_age__gte=0)),
                name="regeneration_program_ages_non_negative",
                violation_error_message=_("입주자 나이 기준은 0세 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(tenant_min_age__isnull=True)
                | Q(tenant_max_age__isnull=True)
                | Q(tenant_min_age__lte=F("tenant_max_age")),
                name="regeneration_program_age_range_ordered",
                violation_error_message=_("입주자 최소 나이는 최대 나이보다 클 수 없습니다."),
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="regeneration_program_ends_after_start",
                violation_error_message=_("사업 종료일은 시작일 이후여야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.name}"

    def clean(self):
        super().clean()
        if self.kind == ProgramKind.YOUTH_SHARE_HOUSE:
            if self.tenant_min_age is None:
                self.tenant_min_age = YOUTH_SHARE_HOUSE_AGE_RANGE[0]
            if self.tenant_max_age is None:
                self.tenant_max_age = YOUTH_SHARE_HOUSE_AGE_RANGE[1]


class Renovation(TimeStampedModel):
    house = models.ForeignKey(
        VacantHouse, verbose_name=_("빈집"), on_delete=models.CASCADE, related_name="renovations"
    )
    program = models.ForeignKey(
        HousingProgram,
        verbose_name=_("활용 사업"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renovations",
    )
    started_on = models.DateField(_("착공일"))
    ended_on = models.DateField(_("준공일"), null=True, blank=True)
    budget = models.BigIntegerField(_("공사비(원)"), default=0)
    contractor = models.CharField(_("시공사"), max_length=100, blank=True)
    description = models.TextField(_("공사 내용"), blank=True)
    before_photo = PhotoField(
        _("공사 전 사진"),
        upload_to="regeneration/renovations/%Y/",
        blank=True,
        validators=[validate_image_upload],
    )
    after_photo = PhotoField(
        _("공사 후 사진"),
        upload_to="regeneration/renovations/%Y/",
        blank=True,
        validators=[validate_image_upload],
    )

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("정비·리모델링")
        verbose_name_plural = _("정비·리모델링")
        ordering = ["-started_on"]
        constraints = [
            ends_after(
                "ended_on",
                "started_on",
                null=True,
                name="regeneration_renovation_ends_after_start",
                message=_("준공일은 착공일 이후여야 합니다."),
            ),
            not_negative(
                "budget",
                name="regeneration_renovation_budget_non_negative",
                message=_("공사비는 0원 이상이어야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.house.management_number} {_('정비')} ({self.started_on})"
