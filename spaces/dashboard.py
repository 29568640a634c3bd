"""Booking requests waiting for a decision, on the back-office home of the team that decides them."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jeonju_center.common.dashboard import DashboardItem, dashboard_panel
from jeonju_center.common.teams import CENTER_ADMINS, REGENERATION_TEAM

from .models import Booking, BookingStatus, Space


def _waiting_item(kind):
    waiting = Booking.objects.filter(
        status=BookingStatus.REQUESTED, space__kind=kind, starts_at__gt=timezone.now()
    ).count()
    return DashboardItem(
        label=_("승인을 기다리는 대관 신청"),
        count=waiting,
        url=f"{reverse('admin:spaces_booking_changelist')}?status__exact={BookingStatus.REQUESTED}",
        model="spaces.booking",
        level="warning" if waiting else "info",
    )


@dashboard_panel("spaces_center", team=CENTER_ADMINS, title=gettext_lazy("공간 대관 · 센터 공간"), order=160)
def center_room_items(*, today):
    return [_waiting_item(Space.Kind.CENTER_ROOM)]


@dashboard_panel(
    "spaces_community",
    team=REGENERATION_TEAM,
    title=gettext_lazy("공간 대관 · 빈집 커뮤니티 공간"),
    order=160,
)
def community_space_items(*, today):
    return [_waiting_item(Space.Kind.COMMUNITY_SPACE)]
