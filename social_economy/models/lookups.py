"""Lookup tables the staff keep: sales channels, support needs and product certifications."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.history import PortalHistoricalRecords
from jeonju_center.common.models import TimeStampedModel

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
    history = PortalHistoricalRecords()

    class Meta(LookupModel.Meta):
        verbose_name = _("판매 경로")
        verbose_name_plural = _("판매 경로")


class SupportNeed(LookupModel):
    history = PortalHistoricalRecords()

    class Meta(LookupModel.Meta):
        verbose_name = _("지원 필요 분야")
        verbose_name_plural = _("지원 필요 분야")


class ProductCertification(LookupModel):
    history = PortalHistoricalRecords()

    class Meta(LookupModel.Meta):
        verbose_name = _("생산품 인증")
        verbose_name_plural = _("생산품 인증")
