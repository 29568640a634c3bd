"""Notices by KakaoTalk 알림톡/SMS: proving a mobile number with a code, choosing which events to receive,
and ``notify_by_message()``, the one door every app goes through to send a notice.

Only a verified number receives anything (besides the code that verifies it), and only the events the
person chose. The sending itself — once, after commit, not at night unless time-critical — is the outbox's
(``jeonju_center.common.messaging``).
"""

import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import override

from jeonju_center.common.actors import writes
from jeonju_center.common.messaging import message_enqueue, messages_cancel
from jeonju_center.common.validators import normalize_phone

from .models import MessageEvent, MessageSubscription, PhoneVerification, User

CODE_VALID_MINUTES = 5
RESEND_AFTER_SECONDS = 60
CODES_PER_DAY = 5
MAX_WRONG_TRIES = 5
# A waiting-list promotion or a cancelled course matters before the morning; the rest waits for 08:00.
TIME_CRITICAL_EVENTS = frozenset({MessageEvent.WAITLIST_PROMOTED, MessageEvent.COURSE_CANCELLED})
MOBILE_NUMBER = re.compile(r"^01[016789]\d{7,8}$")


def normalize_mobile(phone):
    """A Korean mobile number as 010-1234-5678, or a ValidationError (landlines cannot get 알림톡 or SMS)."""
    normalized = normalize_phone(phone)
    if not MOBILE_NUMBER.match(normalized.replace("-", "")):
        raise ValidationError(_("휴대전화 번호(010 등)만 인증할 수 있습니다."), code="not_mobile")
    return normalized


def _code_hash(user_id, phone, code):
    return salted_hmac("accounts.phone-verification", f"{user_id}:{phone}:{code}").hexdigest()


def _require_self(user, actor):
    """Only the person proves a number and chooses their notices (nobody does it for them)."""
    if actor.user_id is None or actor.user_id != user.pk:
        raise ValidationError(_("본인만 할 수 있습니다."), code="not_self")


@writes(PhoneVerification)
def phone_verification_start(*, user, actor, phone, now=None):
    """Send a 6-digit code to ``phone`` for ``user`` (the person acting); returns the PhoneVerification.

    Limits: one code a minute, five a day per account and per number (a number cannot be flooded from
    several accounts), each valid five minutes. A refused request changes nothing."""
    _require_self(user, actor)
    now = now or timezone.now()
    phone = normalize_mobile(phone)
    with transaction.atomic():
        # One request at a time per account, so two quick clicks cannot both pass the limits.
        get_user_model().objects.select_for_update().filter(pk=user.pk).first()
        day_ago = now - timedelta(days=1)
        last = PhoneVerification.objects.filter(user=user).order_by("-created_at").first()
        if last and last.created_at > now - timedelta(seconds=RESEND_AFTER_SECONDS):
            wait = RESEND_AFTER_SECONDS - int((now - last.created_at).total_seconds())
            raise ValidationError(
                _("인증번호는 1분에 한 번 받을 수 있습니다. %(seconds)d초 뒤에 다시 시도해 주세요.")
                % {"seconds": max(wait, 1)},
                code="too_soon",
            )
        sent_today = max(
            PhoneVerification.objects.filter(user=user, created_at__gt=day_ago).count(),
            PhoneVerification.objects.filter(phone=phone, created_at__gt=day_ago).count(),
        )
        if sent_today >= CODES_PER_DAY:
            raise ValidationError(
                _(
                    "인증번호는 하루에 %(count)d번까지 받을 수 있습니다. 내일 다시 시도하거나 센터로 문의해 주세요."
                )
                % {"count": CODES_PER_DAY},
                code="daily_limit",
            )
        code = f"{secrets.randbelow(10**6):06d}"
        verification = PhoneVerification.objects.create(
            user=user,
            phone=phone,
            code_hash=_code_hash(user.pk, phone, code),
            created_at=now,
            expires_at=now + timedelta(minutes=CODE_VALID_MINUTES),
        )
        with override(settings.LANGUAGE_CODE):
            text = _("[전주도시혁신센터] 인증번호는 %(code)s입니다. %(minutes)d분 안에 입력해 주세요.") % {
                "code": code,
                "minutes": CODE_VALID_MINUTES,
            }
        # The one message an unverified number may receive: the code the person just asked for.
        message_enqueue(
            dedup_key=f"phone-verification:{verification.pk}",
            user=user,
            phone=phone,
            event="phone_verification",
            text=text,
            variables={"#{인증번호}": code},
            time_critical=True,
            send_by=verification.expires_at,
            now=now,
        )
    return verification


def phone_verification_pending(*, user, now=None):
    """The code the person may still type in (the latest, unexpired, unused, not locked), or None."""
    now = now or timezone.now()
    latest = PhoneVerification.objects.filter(user=user).order_by("-created_at").first()
    if (
        latest is None
        or latest.verified_at
        or latest.expires_at <= now
        or latest.failed_attempts >= MAX_WRONG_TRIES
    ):
        return None
    return latest


@writes(PhoneVerification, User)
def phone_verification_confirm(*, user, actor, code, now=None):
    """Check the code the person typed; on success the number becomes their verified number.

    A wrong code counts against the five tries (that count is kept even though the attempt fails)."""
    _require_self(user, actor)
    now = now or timezone.now()
    code = (code or "").strip()
    error = None
    with transaction.atomic():
        verification = (
            PhoneVerification.objects.select_for_update().filter(user=user).order_by("-created_at").first()
        )
        if verification is None or verification.verified_at:
            raise ValidationError(_("먼저 인증번호를 받아 주세요."), code="no_code")
        if verification.expires_at <= now:
            raise ValidationError(
                _("인증번호의 유효시간(%(minutes)d분)이 지났습니다. 다시 받아 주세요.")
                % {"minutes": CODE_VALID_MINUTES},
                code="expired",
            )
        if verification.failed_attempts >= MAX_WRONG_TRIES:
            raise ValidationError(_("입력 횟수를 넘었습니다. 인증번호를 다시 받아 주세요."), code="locked")
        if not constant_time_compare(verification.code_hash, _code_hash(user.pk, verification.phone, code)):
            verification.failed_attempts += 1
            verification.save(update_fields=["failed_attempts"])
            left = MAX_WRONG_TRIES - verification.failed_attempts
            error = ValidationError(
                _("인증번호가 맞지 않습니다. (남은 입력 횟수 %(left)d번)") % {"left": left}
                if left
                else _("인증번호가 맞지 않습니다. 입력 횟수를 넘었으니 인증번호를 다시 받아 주세요."),
                code="wrong_code",
            )
        else:
            verification.verified_at = now
            verification.save(update_fields=["verified_at"])
            user.phone = verification.phone
            user.phone_verified_at = now
            user.save(update_fields=["phone", "phone_verified_at"])
            # Notices queued for a previous number are not sent there any more.
            messages_cancel(user_id=user.pk, keep_phone=user.phone)
    if error:
        raise error
    return user


@writes(User)
def phone_verification_clear(*, user, actor):
    """The number is no longer proven (changed on the profile, or the person removed it): nothing more is
    sent to it, including what was already queued."""
    if user.phone_verified_at:
        user.phone_verified_at = None
        user.save(update_fields=["phone_verified_at"])
    messages_cancel(user_id=user.pk)


@writes(MessageSubscription)
@transaction.atomic
def message_subscriptions_set(*, user, actor, events):
    """Choose which events the person receives by 알림톡/SMS. Needs a verified number to turn any on."""
    _require_self(user, actor)
    wanted = {MessageEvent(event) for event in events}
    if wanted and not user.phone_verified_at:
        raise ValidationError(_("알림을 받으려면 먼저 휴대전화 번호를 인증해 주세요."), code="unverified")
    current = set(MessageSubscription.objects.filter(user=user).values_list("event", flat=True))
    dropped = current - wanted
    MessageSubscription.objects.filter(user=user, event__in=dropped).delete()
    MessageSubscription.objects.bulk_create(
        [MessageSubscription(user=user, event=event) for event in sorted(wanted - current)]
    )
    if dropped:
        messages_cancel(user_id=user.pk, events=dropped)
    return wanted


def message_subscriptions(*, user):
    return set(MessageSubscription.objects.filter(user=user).values_list("event", flat=True))


def notify_by_message(*, user, event, dedup_key, text, variables=None, send_by=None, now=None):
    """Queue a notice of ``event`` to ``user`` if they verified their number and chose the event; returns
    the outbox row or None. Call it inside the transaction that causes the notice; ``send_by``: the moment
    after which the notice is pointless (not sent)."""
    if user is None or not user.phone or not user.phone_verified_at:
        return None
    if not MessageSubscription.objects.filter(user=user, event=event).exists():
        return None
    return message_enqueue(
        dedup_key=dedup_key,
        user=user,
        phone=user.phone,
        event=str(event),
        text=text,
        variables=variables,
        time_critical=event in TIME_CRITICAL_EVENTS,
        send_by=send_by,
        now=now,
    )
