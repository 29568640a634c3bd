"""Consulting (컨설팅): cases given alone or with a partner center, their sessions, and the requests
organizations send from the portal."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.changes import TrackedQuerySet
from jeonju_center.common.constraints import ends_after
from jeonju_center.common.history import PortalHistoricalRecords
from jeonju_center.common.models import DecidedModel, TimeStampedModel

from .organizations import Organization


class ConsultingCase(TimeStampedModel):
    """Consulting given to an organization, alone or with a provincial partner center."""

    class Topic(models.TextChoices):
        QUALITY = "quality", _("품질 개선")
        PRODUCT_RANGE = "product_range", _("상품 구성")
        DIVERSIFICATION = "diversification", _("다각화")
        MARKETING = "marketing", _("마케팅·판로")
        MANAGEMENT = "management", _("경영·회계")
        ACCOUNTING_LEGAL = "accounting_legal", _("회계·법무")
        DESIGN = "design", _("디자인·포장")
        OTHER = "other", _("기타")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("접수")
        IN_PROGRESS = "in_progress", _("진행 중")
        COMPLETED = "completed", _("완료")
        CANCELLED = "cancelled", _("취소")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("사회적경제조직"),
        on_delete=models.PROTECT,
        related_name="consulting_cases",
    )
    partner = models.ForeignKey(
        "partners.PartnerCenter",
        verbose_name=_("협력기관"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="social_economy_consulting_cases",
    )
    topic = models.CharField(_("분야"), max_length=20, choices=Topic.choices)
    title = models.CharField(_("제목"), max_length=200)
    opened_on = models.DateField(_("접수일"))
    closed_on = models.DateField(_("종결일"), null=True, blank=True)
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    consultant = models.CharField(_("담당 컨설턴트"), max_length=100, blank=True)
    summary = models.TextField(_("요청 내용"), blank=True)
    outcome = models.TextField(_("결과"), blank=True)

    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("컨설팅")
        verbose_name_plural = _("컨설팅")
        ordering = ["-opened_on", "-pk"]
        constraints = [
            ends_after(
                "closed_on",
                "opened_on",
                null=True,
                name="social_economy_consultingcase_closed_after_opened",
                message=_("종결일은 접수일 이후여야 합니다."),
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(closed_on__isnull=False),
                name="social_economy_consultingcase_completed_has_date",
                violation_error_message=_("완료된 컨설팅은 종결일을 입력해야 합니다."),
            ),
        ]

    def __str__(self):
        return self.title


class ConsultingSession(TimeStampedModel):
    case = models.ForeignKey(
        ConsultingCase, verbose_name=_("컨설팅"), on_delete=models.CASCADE, related_name="sessions"
    )
    held_on = models.DateField(_("실시일"))
    consultant = models.CharField(_("컨설턴트"), max_length=100)
    hours = models.DecimalField(_("시간"), max_digits=4, decimal_places=1)
    notes = models.TextField(_("내용"), blank=True)
    outcome = models.TextField(_("결과"), blank=True)

    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("컨설팅 회차")
        verbose_name_plural = _("컨설팅 회차")
        ordering = ["case", "held_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="social_economy_consultingsession_hours_positive",
                violation_error_message=_("컨설팅 시간은 0보다 커야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.case} · {self.held_on:%Y-%m-%d}"

    def clean(self):
        super().clean()
        if self.case_id and self.held_on and self.held_on < self.case.opened_on:
            raise ValidationError({"held_on": _("컨설팅 실시일은 접수일 이후여야 합니다.")})


class ConsultingRequest(DecidedModel, TimeStampedModel):
    """A consulting request an organization's member sends from the portal. Staff triage it: accepted, it
    becomes a ``ConsultingCase`` (the same service the back office uses), or it is declined with a reason."""

    DESCRIPTION_MAX_LENGTH = 2000

    class Status(models.TextChoices):
        NEW = "new", _("접수")
        ACCEPTED = "accepted", _("컨설팅 개시")
        DECLINED = "declined", _("반려")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("사회적경제조직"),
        on_delete=models.CASCADE,
        related_name="consulting_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("신청한 회원"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topic = models.CharField(_("분야"), max_length=20, choices=ConsultingCase.Topic.choices)
    description = models.TextField(_("요청 내용"), max_length=DESCRIPTION_MAX_LENGTH)
    preferred_partner = models.ForeignKey(
        "partners.PartnerCenter",
        verbose_name=_("희망 협력기관"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.NEW)
    case = models.OneToOneField(
        ConsultingCase,
        verbose_name=_("컨설팅"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="request",
    )
    decline_reason = models.CharField(_("반려 사유"), max_length=300, blank=True)

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("컨설팅 신청")
        verbose_name_plural = _("컨설팅 신청")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(case__isnull=False),
                name="social_economy_consulting_request_accepted_has_case",
                violation_error_message=_("컨설팅을 시작한 신청에는 컨설팅이 연결되어야 합니다."),
            ),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""),
                name="social_economy_consulting_request_declined_has_reason",
                violation_error_message=_("반려할 때는 사유를 적어야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_topic_display()}"
