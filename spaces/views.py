"""Public pages of space booking: the spaces, each one's week or month calendar, the request form, and the
citizen's own bookings with cancellation and an .ics file."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from jeonju_center.common.db_routing import use_primary
from jeonju_center.common.forms import add_service_errors

from . import calendars, selectors, services
from .forms import BookingForm, parse_day
from .models import WEEKDAY_LABELS, BookingStatus


def _space(slug):
    return get_object_or_404(selectors.public_spaces(), slug=slug)


@require_safe
def space_list(request):
    return render(request, "spaces/list.html", {"spaces": list(selectors.public_spaces())})


@require_safe
def space_detail(request, slug):
    space = _space(slug)
    today = timezone.localdate()
    if request.GET.get("view") == "month":
        try:
            year, month = (int(part) for part in request.GET.get("month", "").split("-"))
            first, last = selectors.month_bounds(year, month)
        except ValueError:
            first, last = selectors.month_bounds(today.year, today.month)
        days = selectors.calendar_days(space, first, last)
        leading = [None] * first.weekday()
        cells = leading + days
        weeks = [cells[index : index + 7] for index in range(0, len(cells), 7)]
        weeks[-1] += [None] * (7 - len(weeks[-1]))
        previous_month = first - datetime.timedelta(days=1)
        next_month = last + datetime.timedelta(days=1)
        context = {
            "view": "month",
            "weeks": weeks,
            "month_start": first,
            "previous_month": previous_month.strftime("%Y-%m"),
            "next_month": next_month.strftime("%Y-%m"),
        }
    else:
        monday = selectors.week_of(parse_day(request.GET.get("week"), today))
        days = selectors.calendar_days(space, monday, monday + datetime.timedelta(days=6))
        times = sorted({slot.starts_at.timetz() for day in days for slot in day.slots})
        rows = [
            (
                time,
                [next((slot for slot in day.slots if slot.starts_at.timetz() == time), None) for day in days],
            )
            for time in times
        ]
        context = {
            "view": "week",
            "days": days,
            "rows": rows,
            "week_start": monday,
            "previous_week": (monday - datetime.timedelta(days=7)).isoformat(),
            "next_week": (monday + datetime.timedelta(days=7)).isoformat(),
        }
    return render(
        request,
        "spaces/detail.html",
        {"space": space, "weekday_labels": WEEKDAY_LABELS, "today": today, **context},
    )


@use_primary()
@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def booking_new(request, slug):
    space = _space(slug)
    initial = {"date": request.GET.get("date", ""), "start": request.GET.get("start", "")}
    form = BookingForm(request.POST or None, space=space, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.booking_request(
                space=space,
                actor=request.user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                purpose=data["purpose"],
                headcount=data["headcount"],
                group_name=data["group_name"],
                contact_phone=data["contact_phone"],
                agreed=data["agree"],
            )
        except ValidationError as error:
            add_service_errors(form, error, field_map={"starts_at": "date"})
        else:
            messages.success(
                request,
                _("대관 신청을 받았습니다. 승인되면 이메일로 알려 드립니다. (%(space)s %(date)s)")
                % {"space": space.name, "date": f"{booking.local_start:%Y-%m-%d %H:%M}"},
            )
            return redirect("spaces:my_bookings")
    return render(
        request,
        "spaces/book.html",
        {"space": space, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_safe
def my_bookings(request):
    now = timezone.now()
    bookings = list(selectors.my_bookings(request.user))
    for booking in bookings:
        booking.can_cancel = (
            booking.status in services.OPEN_STATUSES
            and booking.starts_at > now
            and (
                booking.status == BookingStatus.REQUESTED
                or timezone.localdate(now) <= services.cancel_deadline(booking)
            )
        )
        booking.cancel_deadline = services.cancel_deadline(booking)
    return render(request, "spaces/mine.html", {"bookings": bookings})


@use_primary()
@login_required
@require_POST
def booking_cancel(request, pk):
    try:
        services.booking_cancel(booking_id=pk, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("대관을 취소했습니다."))
    return redirect("spaces:my_bookings")


@login_required
@require_safe
def booking_ics(request, pk):
    booking = selectors.my_bookings(request.user).filter(pk=pk, status=BookingStatus.APPROVED).first()
    if booking is None:
        raise Http404(_("승인된 대관을 찾을 수 없습니다."))
    response = HttpResponse(calendars.booking_calendar(booking), content_type=calendars.ICS_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.pk}.ics"'
    return response
