"""Products and services (생산품·서비스) of the organizations: the public product directory."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.changes import TrackedQuerySet
from jeonju_center.common.constraints import not_negative
from jeonju_center.common.fields import PublicPhotoField
from jeonju_center.common.history import PortalHistoricalRecords
from jeonju_center.common.indexes import BigramIndex, TrigramIndex
from jeonju_center.common.models import TimeStampedModel

from .lookups import ProductCertification
from .organizations import Organization


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
    image = PublicPhotoField(_("대표 이미지"), upload_to="social_economy/products/", blank=True)
    is_active = models.BooleanField(_("판매 중"), default=True)

    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("생산품·서비스")
        verbose_name_plural = _("생산품·서비스")
        ordering = ["organization__name", "name"]
        # The catalogue and the API list products by name (then id, for stable pages).
        indexes = [
            TrigramIndex("name", name="se_product_name_trgm"),
            # The site search (/search/), for three characters or more.
            TrigramIndex("description", name="se_product_desc_trgm"),
            # The site search (/search/): two-character Korean words, which trigrams cannot serve.
            BigramIndex("name", name="se_product_name_bigrams"),
            BigramIndex("description", name="se_product_desc_bigrams"),
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
