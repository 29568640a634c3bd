"""Urban-regeneration activation areas (도시재생활성화지역): their type, designation and dongs."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.changes import TrackedQuerySet
from jeonju_center.common.constraints import ends_after, not_negative
from jeonju_center.common.history import PortalHistoricalRecords
from jeonju_center.common.models import TimeStampedModel


class AreaType(models.TextChoices):
    ECONOMIC_BASE = "economic_base", _("경제기반형")
    CENTRAL_URBAN = "central_urban", _("중심시가지형")
    GENERAL_NEIGHBORHOOD = "general_neighborhood", _("일반근린형")
    RESIDENTIAL_SUPPORT = "residential_support", _("주거지지원형")
    OUR_NEIGHBORHOOD = "our_neighborhood", _("우리동네살리기")


class ActivationArea(TimeStampedModel):
    """도시재생활성화지역: a designated area with its type, dongs and project budget."""

    name = models.CharField(_("지역명"), max_length=100, unique=True)
    area_type = models.CharField(_("사업 유형"), max_length=30, choices=AreaType.choices)
    designated_on = models.DateField(_("지정일"))
    ends_on = models.DateField(_("지정 종료일"), null=True, blank=True)
    dongs = models.ManyToManyField(
        "common.Dong", verbose_name=_("포함 행정동"), related_name="activation_areas", blank=True
    )
    description = models.TextField(_("지역 소개"), blank=True)
    size_m2 = models.DecimalField(_("면적(㎡)"), max_digits=12, decimal_places=2, null=True, blank=True)
    project_budget = models.BigIntegerField(_("총사업비(원)"), null=True, blank=True)

    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("도시재생활성화지역")
        verbose_name_plural = _("도시재생활성화지역")
        ordering = ["-designated_on", "name"]
        constraints = [
            ends_after(
                "ends_on",
                "designated_on",
                null=True,
                name="regeneration_area_ends_after_designation",
                message=_("지정 종료일은 지정일 이후여야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(size_m2__isnull=True) | Q(size_m2__gt=0),
                name="regeneration_area_size_positive",
                violation_error_message=_("면적은 0보다 커야 합니다."),
            ),
            not_negative(
                "project_budget",
                null=True,
                name="regeneration_area_budget_non_negative",
                message=_("총사업비는 0원 이상이어야 합니다."),
            ),
        ]

    def __str__(self):
        return self.name
