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


class OutboxEmail(models.Model):
    """An e-mail the portal must send, written in the same transaction as the change that causes it.

    Sending happens in a Celery task after commit; if the broker is down the row waits and the periodic
    flush sends it later. ``dedup_key`` makes enqueueing idempotent. A row is claimed ("sending", committed)
    before the message goes out, so a retried, duplicated or restarted task never sends it twice; a row a
    crashed worker left in "sending" is shown to staff to check instead of being sent again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("대기")
        SENDING = "sending", _("발송 중 (확인 필요)")
        SENT = "sent", _("발송 완료")
        FAILED = "failed", _("발송 실패")

    dedup_key = models.CharField(_("중복 방지 키"), max_length=200, unique=True)
    to = models.JSONField(_("받는 사람"), default=list)
    subject = models.CharField(_("제목"), max_length=250)
    body = models.TextField(_("본문"))
    html_body = models.TextField(_("HTML 본문"), blank=True)
    attachments = models.JSONField(_("첨부"), default=list, blank=True)
    headers = models.JSONField(_("추가 헤더"), default=dict, blank=True)
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("시도 횟수"), default=0)
    last_error = models.TextField(_("마지막 오류"), blank=True)
    created_at = models.DateTimeField(_("등록일시"), auto_now_add=True, db_index=True)
    sending_started_at = models.DateTimeField(_("발송 시작"), null=True, blank=True)
    sent_at = models.DateTimeField(_("발송일시"), null=True, blank=True)

    class Meta:
        verbose_name = _("발송 메일")
        verbose_name_plural = _("발송 메일")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"], name="common_outbox_pending_idx")]

    def __str__(self):
        return self.subject
