"""Networks (local, provincial, national) and the organizations that are members of them."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.changes import TrackedQuerySet
from jeonju_center.common.history import PortalHistoricalRecords
from jeonju_center.common.models import TimeStampedModel

from .organizations import Organization


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

    history = PortalHistoricalRecords()

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

    history = PortalHistoricalRecords()

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
