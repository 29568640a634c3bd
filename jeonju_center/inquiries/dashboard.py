"""Each team's inquiries on the back-office home: new ones waiting for someone, and overdue ones."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jeonju_center.common.dashboard import DashboardItem, dashboard_panel

from . import selectors
from .models import TEAM_GROUPS, Inquiry


def _panel_for(team, group):
    def items(*, today):
        counts = Inquiry.objects.filter(team=team).aggregate(
            new=Count("pk", filter=Q(status=Inquiry.Status.RECEIVED)),
            overdue=Count("pk", filter=selectors.overdue_q(today)),
        )
        url = reverse("admin:inquiries_inquiry_changelist")
        return [
            DashboardItem(
                label=_("담당자가 없는 새 문의"),
                count=counts["new"],
                url=f"{url}?team__exact={team}&status__exact={Inquiry.Status.RECEIVED}",
                model="inquiries.inquiry",
            ),
            DashboardItem(
                label=_("답변 기한이 지난 문의"),
                count=counts["overdue"],
                url=f"{url}?team__exact={team}&deadline=overdue",
                model="inquiries.inquiry",
                level="warning",
                detail=_("기한(근무일 기준)을 넘겼습니다. 먼저 답변해 주세요."),
            ),
        ]

    dashboard_panel(
        f"inquiries_{team}",
        team=group,
        title=format_lazy("{} · {}", gettext_lazy("1:1 문의"), team.label),  # translated when shown
        order=150,
    )(items)


for _team, _group in TEAM_GROUPS.items():
    _panel_for(_team, _group)
