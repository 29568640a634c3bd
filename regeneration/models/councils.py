"""Resident councils (주민협의체) of the activation areas: members, meetings with minutes, attendance
and attachments, and the support the center gave them.

Members' names and phones are personal data: never public, left out of the change history and
anonymised by the retention job.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.changes import TrackedQuerySet
from jeonju_center.common.constraints import ends_after, not_negative
from jeonju_center.common.history import PortalHistoricalRecords
from jeonju_center.common.masking import mask_name
from jeonju_center.common.models import AnonymisableModel, TimeStampedModel
from jeonju_center.common.validators import validate_document_upload, validate_phone

from .areas import ActivationArea


class ResidentCouncil(TimeStampedModel):
    """주민협의체: one per activation area."""

    area = models.OneToOneField(
        ActivationArea, verbose_name=_("도시재생활성화지역"), on_delete=models.PROTECT, related_name="council"
    )
    name = models.CharField(_("협의체명"), max_length=100)
    founded_on = models.DateField(_("구성일"), null=True, blank=True)
    is_active = models.BooleanField(_("활동 중"), default=True)
    public_description = models.TextField(_("공개 소개글"), blank=True, help_text=_("시민에게 공개됩니다."))

    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("주민협의체")
        verbose_name_plural = _("주민협의체")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CouncilPosition(models.TextChoices):
    CHAIR = "chair", _("위원장")
    VICE_CHAIR = "vice_chair", _("부위원장")
    SECRETARY = "secretary", _("총무")
    MEMBER = "member", _("위원")


class CouncilMember(AnonymisableModel, TimeStampedModel):
    """A member of a resident council. Name and phone are personal data and never public; the retention
    job anonymises them some years after the member left (``anonymised_at``)."""

    PERSONAL_DATA_FIELDS = ("name", "phone")

    council = models.ForeignKey(
        ResidentCouncil, verbose_name=_("주민협의체"), on_delete=models.CASCADE, related_name="members"
    )
    # Blank only once anonymised (see the constraint below).
    name = models.CharField(_("이름"), max_length=50, blank=True)
    phone = models.CharField(_("연락처"), max_length=20, blank=True, validators=[validate_phone])
    position = models.CharField(
        _("직책"), max_length=20, choices=CouncilPosition.choices, default=CouncilPosition.MEMBER
    )
    started_on = models.DateField(_("임기 시작일"))
    ended_on = models.DateField(
        _("임기 종료일"), null=True, blank=True, help_text=_("비워 두면 현재 위원입니다.")
    )
    note = models.CharField(_("비고"), max_length=200, blank=True)

    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords(excluded_fields=[*PERSONAL_DATA_FIELDS])

    class Meta:
        verbose_name = _("협의체 위원")
        verbose_name_plural = _("협의체 위원")
        ordering = ["council", "position", "name"]
        indexes = [models.Index(fields=["council", "ended_on"], name="regeneration_member_current")]
        constraints = [
            ends_after(
                "ended_on",
                "started_on",
                null=True,
                name="regeneration_member_ends_after_start",
                message=_("임기 종료일은 시작일 이후여야 합니다."),
            ),
            models.UniqueConstraint(
                fields=["council"],
                condition=Q(position=CouncilPosition.CHAIR, ended_on__isnull=True),
                name="regeneration_member_one_current_chair",
                violation_error_message=_("협의체에는 현재 위원장이 한 명만 있을 수 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=False) | ~Q(name=""),
                name="regeneration_member_name_unless_anonymised",
                violation_error_message=_("위원 이름을 입력해야 합니다."),
            ),
        ]

    def __str__(self):
        # Shown in breadcrumbs, history, autocomplete and attendance lists: never the full name.
        who = _("익명") if self.is_anonymised else mask_name(self.name)
        return f"{who} ({self.get_position_display()})"

    @property
    def is_current(self):
        return self.ended_on is None or self.ended_on >= timezone.localdate()


class CouncilMeeting(TimeStampedModel):
    """A council meeting. Minutes become public once staff publish them; attendance never does."""

    council = models.ForeignKey(
        ResidentCouncil, verbose_name=_("주민협의체"), on_delete=models.CASCADE, related_name="meetings"
    )
    title = models.CharField(_("회의명"), max_length=200)
    held_at = models.DateTimeField(_("일시"))
    place = models.CharField(_("장소"), max_length=200, blank=True)
    agenda = models.TextField(_("안건"), blank=True)
    minutes = models.TextField(_("회의록"), blank=True)
    decisions = models.TextField(_("결정 사항"), blank=True)
    attendee_count = models.IntegerField(_("참석 인원"), default=0)
    is_published = models.BooleanField(_("회의록 공개"), default=False)
    published_at = models.DateTimeField(_("공개 일시"), null=True, blank=True)

    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("협의체 회의")
        verbose_name_plural = _("협의체 회의")
        ordering = ["-held_at"]
        indexes = [models.Index(fields=["is_published", "-held_at"], name="regeneration_meeting_public")]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "held_at"],
                name="regeneration_meeting_unique_time",
                violation_error_message=_("같은 협의체의 같은 일시에 회의가 이미 등록되어 있습니다."),
            ),
            not_negative(
                "attendee_count",
                name="regeneration_meeting_attendee_count_non_negative",
                message=_("참석 인원은 0명 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | ~Q(minutes=""),
                name="regeneration_meeting_published_needs_minutes",
                violation_error_message=_("회의록이 있어야 공개할 수 있습니다."),
            ),
            models.CheckConstraint(
                condition=Q(is_published=False, published_at__isnull=True)
                | Q(is_published=True, published_at__isnull=False),
                name="regeneration_meeting_published_at_matches_flag",
                violation_error_message=_("공개한 회의록에만 공개 일시가 있어야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.council} {self.title} ({timezone.localtime(self.held_at):%Y-%m-%d})"


class MeetingAttendance(TimeStampedModel):
    meeting = models.ForeignKey(
        CouncilMeeting, verbose_name=_("회의"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        CouncilMember, verbose_name=_("위원"), on_delete=models.CASCADE, related_name="attendances"
    )
    attended = models.BooleanField(_("출석"), default=True)
    note = models.CharField(_("비고"), max_length=200, blank=True)

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("회의 출석")
        verbose_name_plural = _("회의 출석")
        ordering = ["meeting", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                name="regeneration_attendance_unique_member",
                violation_error_message=_("이 위원의 출석 기록이 이미 있습니다."),
            ),
        ]

    def __str__(self):
        return f"{self.member} - {_('출석') if self.attended else _('불참')}"

    def clean(self):
        super().clean()
        if self.meeting_id and self.member_id and self.meeting.council_id != self.member.council_id:
            raise ValidationError({"member": _("회의를 연 협의체의 위원만 출석 기록을 남길 수 있습니다.")})


class MeetingAttachment(TimeStampedModel):
    """A file attached to a meeting's minutes (sign-in sheet excluded: it holds members' names).

    Citizens see it once the meeting's minutes are published and staff marked the file public."""

    meeting = models.ForeignKey(
        CouncilMeeting, verbose_name=_("회의"), on_delete=models.CASCADE, related_name="attachments"
    )
    title = models.CharField(_("자료명"), max_length=200)
    file = models.FileField(
        _("파일"), upload_to="regeneration/minutes/%Y/", validators=[validate_document_upload]
    )
    is_public = models.BooleanField(
        _("공개"),
        default=True,
        help_text=_("회의록이 공개되면 시민에게 보입니다. 개인정보가 담긴 자료는 공개하지 마세요."),
    )

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("회의록 첨부파일")
        verbose_name_plural = _("회의록 첨부파일")
        ordering = ["meeting", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "title"],
                name="regeneration_attachment_unique_title",
                violation_error_message=_("이 회의에 같은 이름의 첨부파일이 이미 있습니다."),
            ),
        ]

    def __str__(self):
        return self.title


class SupportKind(models.TextChoices):
    EDUCATION = "education", _("교육")
    CONSULTING = "consulting", _("컨설팅")
    FUNDING = "funding", _("사업비 지원")
    OTHER = "other", _("기타")


class CouncilSupport(TimeStampedModel):
    """Support the center gave a resident council (education, consulting, funding)."""

    council = models.ForeignKey(
        ResidentCouncil, verbose_name=_("주민협의체"), on_delete=models.CASCADE, related_name="supports"
    )
    kind = models.CharField(_("지원 유형"), max_length=20, choices=SupportKind.choices)
    title = models.CharField(_("지원 내용"), max_length=200)
    provided_on = models.DateField(_("지원일"))
    amount = models.BigIntegerField(
        _("지원 금액(원)"), null=True, blank=True, help_text=_("사업비 지원은 금액을 입력합니다.")
    )
    hours = models.DecimalField(_("시간"), max_digits=5, decimal_places=1, null=True, blank=True)
    provider = models.CharField(_("담당·수행 기관"), max_length=100, blank=True)
    note = models.TextField(_("비고"), blank=True)

    history = PortalHistoricalRecords()

    class Meta:
        verbose_name = _("협의체 지원 기록")
        verbose_name_plural = _("협의체 지원 기록")
        ordering = ["council", "-provided_on"]
        constraints = [
            not_negative(
                "amount",
                null=True,
                name="regeneration_support_amount_non_negative",
                message=_("지원 금액은 0원 이상이어야 합니다."),
            ),
            models.CheckConstraint(
                condition=~Q(kind=SupportKind.FUNDING) | Q(amount__isnull=False, amount__gt=0),
                name="regeneration_support_funding_needs_amount",
                violation_error_message=_("사업비 지원은 지원 금액을 입력해야 합니다."),
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gt=0),
                name="regeneration_support_hours_positive",
                violation_error_message=_("시간은 0보다 커야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.council} {self.get_kind_display()} ({self.provided_on})"
