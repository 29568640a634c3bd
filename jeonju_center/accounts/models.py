from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.indexes import TrigramIndex
from jeonju_center.common.masking import mask_name
from jeonju_center.common.validators import validate_phone


class User(AbstractUser):
    """Staff and citizens alike. Only what the portal needs is collected (개인정보 최소수집).

    ``name`` is the person's full name as one field (Korean names do not split into first/last the
    Western way); ``first_name``/``last_name`` from Django are left empty.
    """

    name = models.CharField(_("이름"), max_length=50, blank=True)
    email = models.EmailField(_("이메일"), blank=True)
    phone = models.CharField(_("휴대전화"), max_length=20, blank=True, validators=[validate_phone])
    # Set when the person proved the number is theirs with a code; cleared when the number changes. Only a
    # verified number ever receives a notice.
    phone_verified_at = models.DateTimeField(_("휴대전화 인증 일시"), null=True, blank=True)
    dong = models.ForeignKey(
        "common.Dong",
        verbose_name=_("거주 행정동"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("주민 대상 강좌의 수강 자격 확인에만 쓰입니다."),
    )

    objects = UserManager()

    PERSONAL_DATA_FIELDS = ("name", "email", "phone")

    class Meta(AbstractUser.Meta):
        verbose_name = _("사용자")
        verbose_name_plural = _("사용자")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), condition=~models.Q(email=""), name="accounts_user_email_unique_ci"
            ),
        ]
        # Searched by the back office (users, and the enrolments and other lists that search their person).
        indexes = [
            TrigramIndex("username", name="accounts_user_username_trgm"),
            TrigramIndex("name", name="accounts_user_name_trgm"),
        ]

    def __str__(self):
        # Citizens appear in many back-office lists (enrolments, consents, history): masked there, in full
        # only on their own record for staff with the 개인정보 열람 permission.
        if self.is_staff:
            return self.name or self.username
        return mask_name(self.name) if self.name else self.username

    def get_full_name(self):
        return self.name or super().get_full_name()


class ConsentRecord(models.Model):
    """What a person agreed to, which version of the text, when — and when they withdrew it."""

    class Item(models.TextChoices):
        PRIVACY_SIGNUP = "privacy_signup", _("회원가입 개인정보 수집·이용")
        TERMS = "terms", _("이용약관")
        AGE_CONFIRMED = "age_14", _("만 14세 이상 확인")
        PRIVACY_ENROLLMENT = "privacy_enrollment", _("수강신청 개인정보 수집·이용")
        PRIVACY_CALL = "privacy_call", _("모집·공모 신청 개인정보 수집·이용")
        NEWSLETTER = "newsletter", _("뉴스레터 수신")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("사용자"), on_delete=models.CASCADE, related_name="consents"
    )
    item = models.CharField(_("동의 항목"), max_length=30, choices=Item.choices)
    version = models.CharField(_("약관 버전"), max_length=20)
    agreed_at = models.DateTimeField(_("동의 일시"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("철회 일시"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP 주소"), null=True, blank=True)

    class Meta:
        verbose_name = _("동의 기록")
        verbose_name_plural = _("동의 기록")
        ordering = ["-agreed_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True)
                | models.Q(withdrawn_at__gte=models.F("agreed_at")),
                name="accounts_consent_withdrawn_after_agreed",
                violation_error_message=_("철회 일시는 동의 일시 이후여야 합니다."),
            ),
        ]

    def __str__(self):
        return f"{self.get_item_display()} v{self.version}"


class MessageEvent(models.TextChoices):
    """What a citizen can choose to be told by 알림톡/SMS (transactional notices only, never advertising)."""

    ENROLLMENT_CONFIRMED = "enrollment_confirmed", _("수강신청 확정")
    WAITLIST_PROMOTED = "waitlist_promoted", _("대기자에서 수강 확정")
    SESSION_REMINDER = "session_reminder", _("강좌 시작 전날 알림")
    COURSE_CANCELLED = "course_cancelled", _("강좌 폐강")
    APPLICATION_RESULT = "application_result", _("모집·공모 결과 (선정·예비·보완 요청)")


class MessageSubscription(models.Model):
    """One event a citizen chose to receive by 알림톡/SMS on their verified number."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("사용자"),
        on_delete=models.CASCADE,
        related_name="message_subscriptions",
    )
    event = models.CharField(_("알림 종류"), max_length=50, choices=MessageEvent.choices)
    created_at = models.DateTimeField(_("선택 일시"), auto_now_add=True)

    class Meta:
        verbose_name = _("알림톡·문자 수신 선택")
        verbose_name_plural = _("알림톡·문자 수신 선택")
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="accounts_message_subscription_unique")
        ]

    def __str__(self):
        return self.get_event_display()


class PhoneVerification(models.Model):
    """A 6-digit code sent to a mobile number to prove it is the person's. Only a hash of the code is kept."""

    PERSONAL_DATA_FIELDS = ("phone",)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("사용자"),
        on_delete=models.CASCADE,
        related_name="phone_verifications",
    )
    phone = models.CharField(_("휴대전화"), max_length=20)
    code_hash = models.CharField(_("인증번호 해시"), max_length=128)
    created_at = models.DateTimeField(_("발송 일시"), default=timezone.now, db_index=True)
    expires_at = models.DateTimeField(_("만료 일시"))
    failed_attempts = models.PositiveSmallIntegerField(_("틀린 횟수"), default=0)
    verified_at = models.DateTimeField(_("인증 일시"), null=True, blank=True)

    class Meta:
        verbose_name = _("휴대전화 인증")
        verbose_name_plural = _("휴대전화 인증")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["phone", "created_at"], name="accounts_phone_code_sent_idx")]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M}"
