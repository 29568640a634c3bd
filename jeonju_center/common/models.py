from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base of every domain model: creation and last-change times.

    ``updated_at`` is indexed because partners sync incrementally with ``updated_since``.
    """

    created_at = models.DateTimeField(_("등록일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정일시"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class District(models.TextChoices):
    WANSAN = "wansan", _("완산구")
    DEOKJIN = "deokjin", _("덕진구")


class Dong(TimeStampedModel):
    """An administrative dong (행정동) of Jeonju; staff keep the list in the admin."""

    name = models.CharField(_("행정동"), max_length=20)
    district = models.CharField(_("구"), max_length=10, choices=District.choices)
    is_active = models.BooleanField(
        _("사용"), default=True, help_text=_("통폐합된 동은 삭제하지 말고 사용 해제합니다.")
    )
    display_order = models.PositiveSmallIntegerField(_("표시 순서"), default=0)

    class Meta:
        verbose_name = _("행정동")
        verbose_name_plural = _("행정동")
        ordering = ["district", "display_order", "name"]
        constraints = [models.UniqueConstraint(Lower("name"), name="common_dong_name_unique")]

    def __str__(self):
        return self.name


class ServiceHeartbeat(models.Model):
    """Last time a background component (worker, beat) proved it was alive; shown by /healthz."""

    component = models.CharField(_("구성요소"), max_length=50, unique=True)
    last_seen = models.DateTimeField(_("마지막 응답"))

    class Meta:
        verbose_name = _("백그라운드 작업 상태")
        verbose_name_plural = _("백그라운드 작업 상태")

    def __str__(self):
        return f"{self.component} @ {self.last_seen:%Y-%m-%d %H:%M}"
