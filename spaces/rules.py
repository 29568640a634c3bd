"""When a space is open and which time ranges may be requested: opening hours, open weekdays, public holidays
and closure days, the slot grid, how far ahead and how late. Pure functions of a space and dates, shared by
the calendar pages and the services' checks."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from jeonju_center.common.working_days import holiday_name


def local_dt(day, time):
    return datetime.datetime.combine(day, time, tzinfo=timezone.get_default_timezone())


def closed_reason(space, day, closures=None):
    """Why ``space`` is closed on ``day`` ("" when open). ``closures``: {date: reason}, prefetched."""
    if closures is None:
        closures = {closure.date: closure.reason for closure in space.closures.filter(date=day)}
    if day in closures:
        return closures[day]
    if str(day.weekday()) not in space.open_weekdays:
        return _("정기 휴관일")
    if space.closed_on_holidays:
        name = holiday_name(day)
        if name:
            return name
    return ""


def slot_starts(space, day):
    """The start of every slot of the day, as aware datetimes (opening time, then every ``slot_minutes``)."""
    step = datetime.timedelta(minutes=space.slot_minutes)
    start, end = local_dt(day, space.opens_at), local_dt(day, space.closes_at)
    starts = []
    while start + step <= end:
        starts.append(start)
        start += step
    return starts


def bookable_window(space, *, now):
    """(first day, last day) that may be requested today: ``min_notice_days`` ahead up to ``book_ahead_days``."""
    today = timezone.localdate(now)
    return today + datetime.timedelta(days=space.min_notice_days), today + datetime.timedelta(
        days=space.book_ahead_days
    )


def range_errors(space, starts_at, ends_at, *, now, closures=None):
    """Korean messages of what is wrong with requesting ``space`` from ``starts_at`` to ``ends_at``."""
    errors = []
    starts_local, ends_local = timezone.localtime(starts_at), timezone.localtime(ends_at)
    day = starts_local.date()
    if ends_at <= starts_at:
        return [_("끝나는 시각은 시작 시각보다 늦어야 합니다.")]
    if starts_at <= now:
        return [_("지난 시간은 신청할 수 없습니다.")]
    first, last = bookable_window(space, now=now)
    if day < first:
        errors.append(
            _("이용일 %(days)d일 전까지 신청해야 합니다. %(date)s부터 신청할 수 있습니다.")
            % {"days": space.min_notice_days, "date": first.isoformat()}
        )
    elif day > last:
        errors.append(
            _("%(days)d일 뒤(%(date)s)까지만 신청할 수 있습니다.")
            % {"days": space.book_ahead_days, "date": last.isoformat()}
        )
    if ends_local.date() != day and ends_local.time() != datetime.time(0, 0):
        errors.append(_("하루 안에서만 신청할 수 있습니다."))
    reason = closed_reason(space, day, closures)
    if reason:
        errors.append(_("%(date)s은 휴관일(%(reason)s)입니다.") % {"date": day.isoformat(), "reason": reason})
    if starts_local.time() < space.opens_at or ends_local > local_dt(day, space.closes_at):
        errors.append(
            _("이용 시간은 %(opens)s부터 %(closes)s까지입니다.")
            % {"opens": space.opens_at.strftime("%H:%M"), "closes": space.closes_at.strftime("%H:%M")}
        )
    elif starts_local not in slot_starts(space, day) or (ends_at - starts_at) % datetime.timedelta(
        minutes=space.slot_minutes
    ):
        errors.append(_("%(minutes)d분 단위로 신청해 주세요.") % {"minutes": space.slot_minutes})
    if ends_at - starts_at > datetime.timedelta(hours=space.max_hours):
        errors.append(_("한 번에 %(hours)d시간까지 신청할 수 있습니다.") % {"hours": space.max_hours})
    return errors
