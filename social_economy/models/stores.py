"""Stores selling social-economy products (the pilot store, Jeonju Food direct stores) and what is on their
shelves."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.changes import TrackedQuerySet
from jeonju_center.common.constraints import ends_after, not_negative
from jeonju_center.common.history import PortalHistoricalRecords
from jeonju_center.common.models import TimeStampedModel
from jeonju_center.common.validators import (
    validate_phone,
)

from .products import Product


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

    history = PortalHistoricalRecords()

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

    history = PortalHistoricalRecords()

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
