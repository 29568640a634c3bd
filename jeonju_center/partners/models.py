from django.db import models
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.models import TimeStampedModel


class PartnerCenter(TimeStampedModel):
    """A partner support center that consults with us and pulls data through the partner API."""

    class Kind(models.TextChoices):
        PROVINCIAL_SOCIAL_ECONOMY = "provincial_se", _("전북 사회적경제지원센터")
        INTEGRATED_SUPPORT = "integrated", _("전북 사회적기업·협동조합 통합지원센터")
        URBAN_REGENERATION = "regeneration", _("도시재생지원센터")
        PUBLIC_AGENCY = "public", _("공공기관")
        OTHER = "other", _("기타")

    name = models.CharField(_("기관명"), max_length=100, unique=True)
    kind = models.CharField(_("기관 유형"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    contact_email = models.EmailField(_("대표 이메일"), blank=True)
    contact_phone = models.CharField(_("대표 전화"), max_length=20, blank=True)
    website = models.URLField(_("홈페이지"), blank=True)
    is_active = models.BooleanField(_("협력 중"), default=True)

    class Meta:
        verbose_name = _("협력기관")
        verbose_name_plural = _("협력기관")
        ordering = ["name"]

    def __str__(self):
        return self.name
