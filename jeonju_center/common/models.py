from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.history import PortalHistoricalRecords

from .changes import TrackedQuerySet


class TimeStampedModel(models.Model):
    """Base of every domain model: creation and last-change times.

    ``updated_at`` is indexed because partners sync incrementally with ``updated_since``.
    """

    created_at = models.DateTimeField(_("등록일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정일시"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


class AnonymisableModel(models.Model):
    """A row whose personal fields the retention job erases (each model's service says which), keeping the
    row for the statistics. ``anonymised_at`` records when; a row is anonymised exactly when it is set, so no
    second flag can disagree with it."""

    anonymised_at = models.DateTimeField(_("익명 처리 일시"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def is_anonymised(self):
        return self.anonymised_at is not None


class DecidedModel(models.Model):
    """A row staff decide on (approve, decline, return, …): who decided and when. The service that records
    the decision sets both; the back office shows them read-only."""

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("처리한 직원"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(_("처리 일시"), null=True, blank=True, editable=False)

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

    objects = TrackedQuerySet.as_manager()

    history = PortalHistoricalRecords()

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

    # The recipients and the text (greeting by name, course and address details) are personal data: masked
    # in the back office without the permission, and an unmasked view is logged.
    PERSONAL_DATA_FIELDS = ("to", "body", "html_body")

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


class OutboxMessage(models.Model):
    """A KakaoTalk 알림톡 (or, when that cannot reach the person, an SMS/LMS) the portal must send: the mobile
    twin of ``OutboxEmail``, with the same guarantees (queued in the causing transaction, ``dedup_key``,
    claimed before it goes out so it is never sent twice).

    Only transactional notices to a verified number the citizen chose to receive them on. A notice that is
    not time-critical waits for ``not_before`` (08:00 KST when it was queued at night). ``user`` is the
    recipient's account: deleting the account deletes its messages.
    """

    PERSONAL_DATA_FIELDS = ("phone", "text", "variables")

    class Status(models.TextChoices):
        PENDING = "pending", _("대기")
        SENDING = "sending", _("발송 중 (확인 필요)")
        SENT = "sent", _("발송 완료")
        FAILED = "failed", _("발송 실패")
        CANCELLED = "cancelled", _("발송 취소")

    class Channel(models.TextChoices):
        ALIMTALK = "alimtalk", _("알림톡")
        SMS = "sms", _("단문 문자 (SMS)")
        LMS = "lms", _("장문 문자 (LMS)")

    dedup_key = models.CharField(_("중복 방지 키"), max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("받는 사람 계정"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    phone = models.CharField(_("받는 번호"), max_length=20)
    event = models.CharField(_("알림 종류"), max_length=50)
    template_id = models.CharField(
        _("알림톡 템플릿 코드"), max_length=100, blank=True, help_text=_("비어 있으면 문자로만 보냅니다.")
    )
    variables = models.JSONField(_("템플릿 변수"), default=dict, blank=True)
    text = models.TextField(_("본문"))
    time_critical = models.BooleanField(_("즉시 발송"), default=False, help_text=_("야간에도 보내는 알림"))
    not_before = models.DateTimeField(_("발송 가능 시각"), null=True, blank=True)
    # A verification code after it expired, a reminder after the course began: better not sent at all.
    send_by = models.DateTimeField(_("발송 기한"), null=True, blank=True)
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.PENDING)
    channel = models.CharField(_("발송 경로"), max_length=10, choices=Channel.choices, blank=True)
    provider_message_id = models.CharField(_("발송업체 메시지 번호"), max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(_("시도 횟수"), default=0)
    last_error = models.TextField(_("마지막 오류"), blank=True)
    created_at = models.DateTimeField(_("등록일시"), auto_now_add=True, db_index=True)
    sending_started_at = models.DateTimeField(_("발송 시작"), null=True, blank=True)
    sent_at = models.DateTimeField(_("발송일시"), null=True, blank=True)

    class Meta:
        verbose_name = _("발송 알림톡·문자")
        verbose_name_plural = _("발송 알림톡·문자")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "not_before"], name="common_message_due_idx")]

    def __str__(self):
        return f"{self.event} ({self.get_status_display()})"


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses bulk changes: rows of an append-only log are written once and never edited.

    Deleting is left to ``purge_older_than`` (the retention period), which the database trigger also
    limits on PostgreSQL.
    """

    def update(self, **kwargs):
        raise PermissionError(_("접근 기록은 수정할 수 없습니다."))

    def delete(self):
        raise PermissionError(_("접근 기록은 삭제할 수 없습니다."))

    def purge_older_than(self, cutoff):
        """Delete rows older than ``cutoff`` (the retention job); returns how many went."""
        return models.QuerySet.delete(self.filter(accessed_at__lt=cutoff))[0]


class PersonalDataAccess(models.Model):
    """One access to personal data by staff: an unmasked view, a search hit on personal fields or an export.

    Append-only (개인정보의 안전성 확보조치 기준 제8조): the ORM refuses changes and, on PostgreSQL, a trigger
    refuses UPDATE and any DELETE of a row younger than two years. ``staff`` keeps no foreign-key constraint
    so that the record survives the staff account; ``staff_username`` is the name at the time.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("열람")
        SEARCH = "search", _("검색")
        EXPORT = "export", _("내보내기")
        DOWNLOAD = "download", _("파일 내려받기")
        # A staff account's rights changed (groups, permissions, staff or superuser status): who may see what.
        RIGHTS = "rights", _("권한 변경")

    accessed_at = models.DateTimeField(_("접근 일시"), default=timezone.now, db_index=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("직원 계정"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    staff_username = models.CharField(_("직원 아이디"), max_length=150)
    ip_address = models.GenericIPAddressField(_("IP 주소"), null=True, blank=True)
    action = models.CharField(_("작업"), max_length=10, choices=Action.choices)
    data_kind = models.CharField(_("정보 종류"), max_length=100, help_text=_("예: 입주 계약, 수강 신청"))
    model_label = models.CharField(_("모델"), max_length=100)
    object_ids = models.JSONField(_("대상 기록 번호"), default=list, blank=True)
    record_count = models.PositiveIntegerField(_("대상 건수"), default=0)
    fields = models.JSONField(_("열람한 항목"), default=list, blank=True)
    search_term = models.CharField(_("검색어"), max_length=200, blank=True)
    reason = models.CharField(_("사유"), max_length=300, blank=True)
    masked = models.BooleanField(
        _("마스킹됨"), default=False, help_text=_("내보낸 파일의 개인정보가 가려졌는지")
    )
    path = models.CharField(_("화면 주소"), max_length=500, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("개인정보 접근 기록")
        verbose_name_plural = _("개인정보 접근 기록")
        ordering = ["-accessed_at", "-id"]
        default_permissions = ("view",)
        permissions = [
            ("view_personal_data", _("개인정보 열람 (마스킹 해제)")),
            ("review_access_log", _("개인정보 접근 기록 월간 점검")),
        ]
        indexes = [models.Index(fields=["staff", "accessed_at"], name="common_access_staff_time")]

    def __str__(self):
        return f"{self.staff_username} {self.get_action_display()} {self.data_kind} ({self.record_count})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError(_("접근 기록은 수정할 수 없습니다."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(_("접근 기록은 삭제할 수 없습니다."))


class AccessLogReview(models.Model):
    """The monthly check of the access log by a center administrator (who looked at which month, findings)."""

    month = models.DateField(_("점검 월"), unique=True, help_text=_("그 달의 1일"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("점검자"), on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("점검 일시"), default=timezone.now)
    record_count = models.PositiveIntegerField(_("점검한 기록 수"))
    findings = models.TextField(_("점검 의견"), blank=True)

    class Meta:
        verbose_name = _("접근 기록 월간 점검")
        verbose_name_plural = _("접근 기록 월간 점검")
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(month__day=1),
                name="common_access_review_first_of_month",
                violation_error_message=_("점검 월은 그 달의 1일로 입력합니다."),
            )
        ]

    def __str__(self):
        return f"{self.month:%Y-%m}"


class RetentionRun(models.Model):
    """What one run of a retention policy anonymised or deleted: the counts staff and auditors see."""

    policy = models.CharField(_("보존 정책"), max_length=60)
    ran_at = models.DateTimeField(_("실행 일시"), default=timezone.now, db_index=True)
    cutoff = models.DateField(_("기준일"), help_text=_("이 날짜 이전에 끝난 기록이 대상입니다."))
    processed_count = models.PositiveIntegerField(_("처리 건수"))

    class Meta:
        verbose_name = _("보존기간 경과 정보 처리 기록")
        verbose_name_plural = _("보존기간 경과 정보 처리 기록")
        ordering = ["-ran_at", "policy"]

    def __str__(self):
        return f"{self.policy} {self.ran_at:%Y-%m-%d}: {self.processed_count}"
