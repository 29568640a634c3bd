"""Writes of space booking: a citizen's request and cancellation, staff's approval, decline and no-show record,
and retention. Every write that could collide takes the space's row lock first; PostgreSQL's exclusion
constraint is the last guard against two approved bookings of one space overlapping."""

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jeonju_center.common.actors import writes
from jeonju_center.common.outbox import outbox_enqueue_letter, portal_url
from jeonju_center.common.teams import CENTER_ADMINS, REGENERATION_TEAM, team_emails
from jeonju_center.common.validators import validate_plain_text

from . import rules
from .models import BOOKING_OVERLAP_MESSAGE, Booking, BookingStatus, Space

# The version of the booking's personal-data notice; bump it when the text changes.
BOOKING_TERMS_VERSION = "2026-12-04"
PURPOSE_MAX_LENGTH = 500
# Two no-shows within half a year suspend new requests until the older one is half a year old.
NO_SHOW_LIMIT = 2
NO_SHOW_WINDOW = datetime.timedelta(days=180)
# Requests waiting for a decision or approved and still to come, per citizen.
MAX_OPEN_BOOKINGS = 5
OPEN_STATUSES = (BookingStatus.REQUESTED, BookingStatus.APPROVED)


def _when(booking):
    start, end = booking.local_start, booking.local_end
    return f"{start:%Y-%m-%d %H:%M}~{end:%H:%M}"


def _mail(booking, *, key, to, subject, paragraphs):
    if not to:
        return None
    return outbox_enqueue_letter(
        dedup_key=f"booking-{key}:{booking.pk}", to=to, subject=subject, paragraphs=paragraphs
    )


def _mail_requester(booking, *, key, subject, lines):
    user = booking.user
    if user is None or not user.email:
        return None
    return _mail(
        booking,
        key=key,
        to=user.email,
        subject=subject,
        paragraphs=[
            _("%(name)s 님, 안녕하세요. 전주도시혁신센터입니다.") % {"name": user.name or user.username},
            *lines,
            _("공간: %(space)s (%(location)s)")
            % {"space": booking.space.name, "location": booking.space.location},
            _("일시: %(when)s") % {"when": _when(booking)},
            _("나의 대관: %(url)s") % {"url": portal_url(reverse("spaces:my_bookings"))},
        ],
    )


def space_team(space):
    """The staff team that decides a space's bookings: community spaces are the regeneration team's."""
    return REGENERATION_TEAM if space.kind == Space.Kind.COMMUNITY_SPACE else CENTER_ADMINS


def no_show_block_until(user, *, now):
    """Until when ``user`` may not request (``None``: not blocked) after ``NO_SHOW_LIMIT`` recent no-shows."""
    recent = list(
        Booking.objects.filter(user=user, status=BookingStatus.NO_SHOW, starts_at__gte=now - NO_SHOW_WINDOW)
        .order_by("-starts_at")
        .values_list("starts_at", flat=True)[:NO_SHOW_LIMIT]
    )
    if len(recent) < NO_SHOW_LIMIT:
        return None
    return recent[-1] + NO_SHOW_WINDOW


def _lock_space(space_id):
    return Space.objects.select_for_update().get(pk=space_id)


def _approved_overlap(space, starts_at, ends_at, *, exclude_pk=None):
    overlapping = Booking.objects.filter(
        space=space, status=BookingStatus.APPROVED, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude_pk:
        overlapping = overlapping.exclude(pk=exclude_pk)
    return overlapping.exists()


@writes(Booking)
@transaction.atomic
def booking_request(
    *, space, actor, starts_at, ends_at, purpose, headcount, agreed, group_name="", contact_phone="", now=None
):
    """A signed-in citizen (``actor``) asks for ``space`` from ``starts_at`` to ``ends_at``. Bad input raises
    ``ValidationError`` with Korean messages and writes nothing."""
    now = now or timezone.now()
    user = actor.user
    if user is None or not user.is_authenticated:
        raise ValidationError(_("로그인해야 대관을 신청할 수 있습니다."))
    space = _lock_space(space.pk)
    if not space.is_active:
        raise ValidationError(_("지금은 대관을 받지 않는 공간입니다."))
    errors = {}
    purpose = (purpose or "").strip()
    group_name = (group_name or "").strip()
    if not purpose:
        errors["purpose"] = _("이용 목적을 적어 주세요.")
    elif len(purpose) > PURPOSE_MAX_LENGTH:
        errors["purpose"] = _("이용 목적은 %(limit)d자까지 쓸 수 있습니다.") % {"limit": PURPOSE_MAX_LENGTH}
    for field, value in (("purpose", purpose), ("group_name", group_name)):
        if field not in errors:
            try:
                validate_plain_text(value)
            except ValidationError as error:
                errors[field] = error.messages[0]
    if headcount is None or headcount < 1:
        errors["headcount"] = _("이용 인원을 1명 이상으로 적어 주세요.")
    elif headcount > space.capacity:
        errors["headcount"] = _("이 공간은 %(capacity)d명까지 쓸 수 있습니다.") % {"capacity": space.capacity}
    if not agreed:
        errors["agree"] = _("개인정보 수집·이용과 이용 규칙에 동의해야 신청할 수 있습니다.")
    time_errors = rules.range_errors(space, starts_at, ends_at, now=now)
    if time_errors:
        errors["starts_at"] = time_errors
    elif _approved_overlap(space, starts_at, ends_at):
        errors["starts_at"] = [str(BOOKING_OVERLAP_MESSAGE)]
    if errors:
        raise ValidationError(errors)
    blocked_until = no_show_block_until(user, now=now)
    if blocked_until:
        raise ValidationError(
            _("최근 불참(노쇼)이 %(count)d번 있어 %(date)s까지 대관을 신청할 수 없습니다.")
            % {"count": NO_SHOW_LIMIT, "date": timezone.localdate(blocked_until).isoformat()}
        )
    open_bookings = Booking.objects.filter(user=user, status__in=OPEN_STATUSES, ends_at__gt=now)
    if open_bookings.filter(space=space, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        raise ValidationError(_("같은 시간에 이미 신청하셨습니다. 나의 대관에서 확인해 주세요."))
    if open_bookings.count() >= MAX_OPEN_BOOKINGS:
        raise ValidationError(
            _(
                "승인 대기이거나 이용 전인 대관이 이미 %(count)d건 있습니다. 이용을 마치거나 취소한 뒤 신청해 주세요."
            )
            % {"count": MAX_OPEN_BOOKINGS}
        )
    booking = Booking.objects.create(
        space=space,
        user=user,
        group_name=group_name,
        contact_phone=contact_phone or user.phone or "",
        purpose=purpose,
        headcount=headcount,
        starts_at=starts_at,
        ends_at=ends_at,
        consent_version=BOOKING_TERMS_VERSION,
    )
    _mail_requester(
        booking,
        key="requested",
        subject=_("대관 신청을 받았습니다"),
        lines=[_("대관 신청을 받았습니다. 담당 직원이 확인한 뒤 승인 여부를 알려 드립니다.")],
    )
    _mail(
        booking,
        key="team",
        to=", ".join(team_emails(space_team(space))),
        subject=_("새 대관 신청: %(space)s %(when)s") % {"space": space.name, "when": _when(booking)},
        paragraphs=[
            _("이용 인원: %(count)d명") % {"count": headcount},
            portal_url(reverse("admin:spaces_booking_change", args=[booking.pk])),
        ],
    )
    return booking


def _locked_booking(booking_id):
    booking = Booking.objects.select_related("space", "user").filter(pk=booking_id).first()
    if booking is None:
        raise ValidationError(_("대관 신청을 찾을 수 없습니다."))
    _lock_space(booking.space_id)  # every decision on a space is taken one at a time
    return Booking.objects.select_related("space", "user").select_for_update(of=("self",)).get(pk=booking_id)


@writes(Booking)
@transaction.atomic
def booking_approve(*, booking_id, actor, now=None):
    """Approve a request. Requests overlapping it are declined with a reason, and the requester is told."""
    now = now or timezone.now()
    booking = _locked_booking(booking_id)
    if booking.status != BookingStatus.REQUESTED:
        raise ValidationError(_("승인 대기 중인 신청만 승인할 수 있습니다."))
    if booking.starts_at <= now:
        raise ValidationError(_("이미 시작 시각이 지난 신청은 승인할 수 없습니다."))
    if _approved_overlap(booking.space, booking.starts_at, booking.ends_at, exclude_pk=booking.pk):
        raise ValidationError(BOOKING_OVERLAP_MESSAGE)
    booking.status = BookingStatus.APPROVED
    booking.decided_by, booking.decided_at = actor.user, now
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        if "no_overlap" in str(error):
            raise ValidationError(BOOKING_OVERLAP_MESSAGE) from None
        raise
    _mail_requester(
        booking,
        key="approved",
        subject=_("대관이 승인되었습니다"),
        lines=[
            _(
                "신청하신 대관이 승인되었습니다. 일정은 나의 대관에서 달력 파일로 받아 휴대전화 달력에 넣을 수 있습니다."
            ),
            _("취소는 이용일 %(days)d일 전까지 나의 대관에서 할 수 있습니다.")
            % {"days": booking.space.cancel_until_days},
        ],
    )
    colliding = Booking.objects.filter(
        space=booking.space,
        status=BookingStatus.REQUESTED,
        starts_at__lt=booking.ends_at,
        ends_at__gt=booking.starts_at,
    ).exclude(pk=booking.pk)
    for other in colliding.select_related("space", "user"):
        _decline(other, actor=actor, reason=_("같은 시간에 다른 신청이 먼저 승인되었습니다."), now=now)
    return booking


def _decline(booking, *, actor, reason, now):
    booking.status = BookingStatus.DECLINED
    booking.decline_reason = reason
    booking.decided_by, booking.decided_at = actor.user, now
    booking.save()
    _mail_requester(
        booking,
        key="declined",
        subject=_("대관 신청을 승인하지 못했습니다"),
        lines=[
            _("죄송합니다. 신청하신 대관을 승인하지 못했습니다."),
            _("사유: %(reason)s") % {"reason": reason},
        ],
    )


@writes(Booking)
@transaction.atomic
def booking_decline(*, booking_id, actor, reason, now=None):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"decline_reason": _("거절 사유를 적어 주세요. 신청한 분에게 그대로 보냅니다.")}
        )
    booking = _locked_booking(booking_id)
    if booking.status != BookingStatus.REQUESTED:
        raise ValidationError(_("승인 대기 중인 신청만 거절할 수 있습니다."))
    _decline(booking, actor=actor, reason=reason, now=now or timezone.now())
    return booking


def cancel_deadline(booking):
    """The last day the citizen may cancel an approved booking themselves."""
    return booking.local_start.date() - datetime.timedelta(days=booking.space.cancel_until_days)


@writes(Booking)
@transaction.atomic
def booking_cancel(*, booking_id, actor, now=None):
    """The citizen (``actor``) cancels their own booking: a request any time before it starts, an approved
    booking until its deadline."""
    now = now or timezone.now()
    booking = _locked_booking(booking_id)
    if actor.user is None or booking.user_id != actor.user_id:
        raise ValidationError(_("대관 신청을 찾을 수 없습니다."))
    if booking.status not in OPEN_STATUSES or booking.starts_at <= now:
        raise ValidationError(_("취소할 수 있는 대관이 아닙니다."))
    if booking.status == BookingStatus.APPROVED and timezone.localdate(now) > cancel_deadline(booking):
        raise ValidationError(
            _(
                "승인된 대관은 이용일 %(days)d일 전(%(date)s)까지만 직접 취소할 수 있습니다. 센터에 전화로 알려 주세요."
            )
            % {"days": booking.space.cancel_until_days, "date": cancel_deadline(booking).isoformat()}
        )
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_at = now
    booking.save()
    _mail_requester(
        booking, key="cancelled", subject=_("대관을 취소했습니다"), lines=[_("대관을 취소했습니다.")]
    )
    return booking


@writes(Booking)
@transaction.atomic
def booking_cancel_by_staff(*, booking_id, actor, reason, now=None):
    """Staff cancel an approved booking (the space cannot be used), with a reason the citizen receives."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"decline_reason": _("취소 사유를 적어 주세요. 신청한 분에게 그대로 보냅니다.")}
        )
    now = now or timezone.now()
    booking = _locked_booking(booking_id)
    if booking.status != BookingStatus.APPROVED or booking.ends_at <= now:
        raise ValidationError(_("이용 전인 승인된 대관만 취소할 수 있습니다."))
    booking.status = BookingStatus.CANCELLED
    booking.decline_reason = reason
    booking.cancelled_at = now
    booking.decided_by, booking.decided_at = actor.user, now
    booking.save()
    _mail_requester(
        booking,
        key="cancelled",
        subject=_("대관이 취소되었습니다"),
        lines=[
            _("죄송합니다. 센터 사정으로 대관이 취소되었습니다."),
            _("사유: %(reason)s") % {"reason": reason},
        ],
    )
    return booking


@writes(Booking)
@transaction.atomic
def booking_record_no_show(*, booking_id, actor, now=None):
    """Record that nobody came to an approved booking (after it began). Recent no-shows limit new requests."""
    now = now or timezone.now()
    booking = _locked_booking(booking_id)
    if booking.status != BookingStatus.APPROVED or booking.starts_at > now:
        raise ValidationError(_("시작 시각이 지난 승인된 대관에만 불참을 기록할 수 있습니다."))
    booking.status = BookingStatus.NO_SHOW
    booking.decided_by, booking.decided_at = actor.user, now
    booking.save()
    return booking


# --- Retention ------------------------------------------------------------------------------------------


@writes(Booking)
def bookings_anonymise(*, ended_before, actor, now=None):
    """Bookings that ended before ``ended_before``: the requester, contact, group and purpose erased; the
    slot stays in the statistics. Must be longer ago than ``NO_SHOW_WINDOW`` (no-shows limit requests)."""
    now = now or timezone.now()
    return Booking.objects.filter(ends_at__lt=ended_before, anonymised_at__isnull=True).update(
        user=None, contact_phone="", group_name="", purpose="", anonymised_at=now, updated_at=now
    )
