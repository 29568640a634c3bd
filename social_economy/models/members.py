"""Organization members: citizen accounts acting for an organization on the portal (대표, 담당자).

The invitation, request and approval workflow lives in ``social_economy/members.py``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.history import PortalHistoricalRecords
from jeonju_center.common.masking import mask_email
from jeonju_center.common.models import DecidedModel, TimeStampedModel

from .organizations import Organization


class OrganizationMember(DecidedModel, TimeStampedModel):
    """A citizen account acting for an organization on the portal, as 대표 or 담당자.

    Staff invite by e-mail (``INVITED``, accepted from the link by the account with that address) or a person
    asks to join with the organization's business registration number (``REQUESTED``, approved by staff).
    Only ``ACTIVE`` rows give access to the organization's own pages; leaving or being revoked ends it."""

    PERSONAL_DATA_FIELDS = ("email",)

    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", _("대표")
        CONTACT = "contact", _("담당자")

    class Status(models.TextChoices):
        INVITED = "invited", _("초대함")
        REQUESTED = "requested", _("가입 신청")
        ACTIVE = "active", _("활동 중")
        DECLINED = "declined", _("신청 거절")
        LEFT = "left", _("탈퇴")
        REVOKED = "revoked", _("권한 해제")

    OPEN_STATUSES = (Status.INVITED, Status.REQUESTED, Status.ACTIVE)

    organization = models.ForeignKey(
        Organization, verbose_name=_("조직"), on_delete=models.CASCADE, related_name="portal_members"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("회원 계정"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,  # a deleted account takes its memberships with it
        related_name="organization_memberships",
    )
    email = models.EmailField(
        _("초대한 이메일"), blank=True, help_text=_("초대는 이 주소의 회원만 받을 수 있습니다.")
    )
    role = models.CharField(_("역할"), max_length=20, choices=Role.choices, default=Role.CONTACT)
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("초대한 직원"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    ended_at = models.DateTimeField(_("종료 일시"), null=True, blank=True, editable=False)

    history = PortalHistoricalRecords(excluded_fields=["email", "user"])

    class Meta:
        verbose_name = _("조직 회원")
        verbose_name_plural = _("조직 회원")
        ordering = ["organization", "status", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"],
                condition=Q(status__in=["requested", "active"]),
                name="social_economy_member_one_open_row_per_account",
                violation_error_message=_("이 회원은 이미 이 조직의 회원이거나 가입을 신청했습니다."),
            ),
            models.UniqueConstraint(
                Lower("email"),
                "organization",
                condition=Q(status="invited"),
                name="social_economy_member_one_invitation_per_email",
                violation_error_message=_("이 이메일로 보낸 초대가 이미 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(status="invited", user__isnull=True) & ~Q(email="")
                | ~Q(status="invited") & Q(user__isnull=False),
                name="social_economy_member_invited_by_email_else_account",
                violation_error_message=_("초대는 이메일로, 그 밖의 회원은 계정으로 연결합니다."),
            ),
        ]

    def __str__(self):
        who = (
            self.user.name
            if self.user_id and self.user.name
            else mask_email(self.email)
            if self.email
            else "-"
        )
        return f"{self.organization} · {who} ({self.get_role_display()})"
