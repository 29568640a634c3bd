"""The regeneration team's panel on the back-office home: what needs attention today.

Each item counts exactly the rows its link shows (the changelist filtered with the same lookups), with one
count query per item whatever the number of rows.
"""

import datetime
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jeonju_center.common.dashboard import DashboardItem, dashboard_panel
from jeonju_center.common.teams import REGENERATION_TEAM

from .models import CouncilMeeting, HouseStatus, OwnerConsent, Renovation, Tenancy, VacantHouse

EXPIRING_WITHIN_DAYS = 60


def _item(model, lookups, *, label, level="info", detail=""):
    """One item: ``lookups`` are both the count's filter and the changelist's query string."""
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    filters = {
        key: (value.isoformat() if isinstance(value, datetime.date) else value)
        for key, value in lookups.items()
    }
    orm = {key: (value == "1" if key.endswith("__isnull") else value) for key, value in lookups.items()}
    return DashboardItem(
        label=label,
        count=model.objects.filter(**orm).count(),
        url=f"{url}?{urlencode(filters)}",
        model=opts.label_lower,
        level=level,
        detail=detail,
    )


@dashboard_panel("regeneration", team=REGENERATION_TEAM, title=gettext_lazy("도시재생"), order=10)
def regeneration_items(*, today):
    monday = today - datetime.timedelta(days=today.weekday())
    sunday = monday + datetime.timedelta(days=6)
    horizon = today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
    period = f"{today:%m-%d} ~ {horizon:%m-%d}"
    return [
        _item(
            CouncilMeeting,
            {"held_at__date__gte": monday, "held_at__date__lte": sunday},
            label=_("이번 주 주민협의체 회의"),
            detail=f"{monday:%m-%d} ~ {sunday:%m-%d}",
        ),
        _item(
            OwnerConsent,
            {"expires_on__gte": today, "expires_on__lte": horizon, "withdrawn_on__isnull": "1"},
            label=_("%(days)s일 안에 만료되는 소유자 동의") % {"days": EXPIRING_WITHIN_DAYS},
            level="warning",
            detail=period,
        ),
        _item(
            Tenancy,
            {"ends_on__gte": today, "ends_on__lte": horizon, "moved_out_on__isnull": "1"},
            label=_("%(days)s일 안에 끝나는 입주 계약") % {"days": EXPIRING_WITHIN_DAYS},
            level="warning",
            detail=period,
        ),
        _item(
            VacantHouse,
            {"current_grade__isnull": "1", "status__exact": HouseStatus.SURVEYED},
            label=_("등급 판정을 기다리는 빈집 (실태조사 완료)"),
        ),
        _item(
            VacantHouse,
            {"status__exact": HouseStatus.SURVEYED},
            label=_("소유자 접촉 전 빈집 (실태조사 완료)"),
        ),
        _item(
            Renovation,
            {"started_on__lte": today, "ended_on__isnull": "1"},
            label=_("진행 중인 정비·리모델링"),
        ),
    ]
