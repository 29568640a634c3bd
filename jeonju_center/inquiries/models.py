"""1:1 inquiries (1:1 문의): a citizen asks a program team; the team's inbox assigns, notes and answers within a
deadline counted in working days."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.history import PortalHistoricalRecords
from jeonju_center.common.masking import mask_email
from jeonju_center.common.models import AnonymisableModel, TimeStampedModel
from jeonju_center.common.teams import CENTER_ADMINS, EDUCATION_TEAM, REGENERATION_TEAM, SOCIAL_ECONOMY_TEAM


class InquiryTeam(models.TextChoices):
    """Whom a citizen asks: each value is answered by one staff team (``TEAM_GROUPS``)."""

    REGENERATION = "regeneration", _("도시재생 (빈집·주민협의체·주거)")
    SOCIAL_ECONOMY = "social_economy", _("사회적경제·온두레 공동체")
    EDUCATION = "education", _("시민강좌")
    CENTER = "center", _("센터 일반 (대관·자료실·기타)")


TEAM_GROUPS = {
    InquiryTeam.REGENERATION: REGENERATION_TEAM,
    InquiryTeam.SOCIAL_ECONOMY: SOCIAL_ECONOMY_TEAM,
    InquiryTeam.EDUCATION: EDUCATION_TEAM,
    InquiryTeam.CENTER: CENTER_ADMINS,
}

SUBJECT_MAX_LENGTH = 200
QUESTION_MAX_LENGTH = 5000
ANSWER_MAX_LENGTH = 10000


class Inquiry(AnonymisableModel, TimeStampedModel):
    """One question and its answer.

    A signed-in citizen's inquiry is received at once; a visitor's waits until the link in the confirmation
    e-mail is used (``PENDING``). ``due_on`` is the answer deadline, counted in working days from the day it
    was received. Retention erases the asker and the texts some time after the answer (``anonymised_at``);
    the row stays for the statistics."""

    # Erased by retention; left out of the history so no copy survives the erasure.
    PERSONAL_DATA_FIELDS = ("name", "email", "phone")
    ERASED_TEXT_FIELDS = ("subject", "question", "answer", "internal_note")

    class Status(models.TextChoices):
        PENDING = "pending", _("메일 확인 대기")
        RECEIVED = "received", _("접수")
        ASSIGNED = "assigned", _("담당 배정")
        ANSWERED = "answered", _("답변 완료")

    receipt_number = models.CharField(_("접수번호"), max_length=20, unique=True, null=True, blank=True)
    team = models.CharField(_("문의할 곳"), max_length=20, choices=InquiryTeam.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("회원"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,  # a deleted account takes its questions with it
        related_name="inquiries",
    )
    name = models.CharField(_("이름"), max_length=50, blank=True)
    email = models.EmailField(_("이메일"), max_length=254, blank=True)
    phone = models.CharField(_("연락처"), max_length=20, blank=True)
    subject = models.CharField(_("제목"), max_length=SUBJECT_MAX_LENGTH)
    question = models.TextField(_("문의 내용"))
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.PENDING)
    confirm_token = models.CharField(_("확인 링크 토큰"), max_length=64, blank=True, editable=False)
    received_at = models.DateTimeField(_("접수 일시"), null=True, blank=True, editable=False)
    due_on = models.DateField(_("답변 기한"), null=True, blank=True, editable=False, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("담당자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"is_staff": True},
    )
    assigned_at = models.DateTimeField(_("담당 배정 일시"), null=True, blank=True, editable=False)
    internal_note = models.TextField(
        _("내부 메모"), blank=True, help_text=_("직원끼리만 봅니다. 문의한 분에게는 보이지 않습니다.")
    )
    answer = models.TextField(_("답변"), blank=True)
    answered_at = models.DateTimeField(_("답변 일시"), null=True, blank=True, editable=False)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("답변자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    consent_version = models.CharField(_("동의한 안내 버전"), max_length=20, blank=True, editable=False)

    history = PortalHistoricalRecords(
        excluded_fields=[*PERSONAL_DATA_FIELDS, *ERASED_TEXT_FIELDS, "confirm_token"]
    )

    class Meta:
        verbose_name = _("1:1 문의")
        verbose_name_plural = _("1:1 문의")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["team", "status", "due_on"], name="inquiry_team_inbox")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending") | (Q(received_at__isnull=False) & Q(due_on__isnull=False)),
                name="inquiry_received_has_deadline",
                violation_error_message=_("접수된 문의에는 접수 일시와 답변 기한이 있어야 합니다."),
            ),
            models.CheckConstraint(
                condition=~Q(status="answered")
                | (Q(answered_at__isnull=False) & (~Q(answer="") | Q(anonymised_at__isnull=False))),
                name="inquiry_answered_has_answer",
                violation_error_message=_("답변 완료 상태에는 답변과 답변 일시가 필요합니다."),
            ),
            models.CheckConstraint(
                condition=~Q(status="assigned") | Q(assignee__isnull=False),
                name="inquiry_assigned_has_assignee",
                violation_error_message=_("담당 배정 상태에는 담당자가 필요합니다."),
            ),
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=False) | Q(user__isnull=False) | ~Q(email=""),
                name="inquiry_has_someone_to_answer",
                violation_error_message=_("답변을 받을 회원이나 이메일이 필요합니다."),
            ),
        ]

    def __str__(self):
        if self.anonymised_at:
            return str(_("익명 처리된 문의 #%(pk)s") % {"pk": self.pk})
        return f"{self.receipt_number or _('확인 대기')} {self.subject}"

    @property
    def masked_email(self):
        return mask_email(self.email) if self.email else ""
