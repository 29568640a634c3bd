"""What needs the 사회적경제팀's attention today in the Ondure program (the back-office home).

Two queries whatever the data. Each link opens the admin list filtered to exactly the counted rows.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jeonju_center.common.dashboard import DashboardItem, dashboard_panel
from jeonju_center.common.teams import SOCIAL_ECONOMY_TEAM

from . import selectors
from .models import CommunityStageRecord, SupportRecord


@dashboard_panel("ondure", team=SOCIAL_ECONOMY_TEAM, title=gettext_lazy("온두레 공동체 지원"), order=210)
def ondure_items(*, today):
    reviews = selectors.stage_reviews_due(CommunityStageRecord.objects.all(), today=today).count()
    grants = selectors.grant_settlement_counts(today=today)
    records_url = reverse("admin:ondure_supportrecord_changelist")
    outstanding = ",".join(selectors.OUTSTANDING_SETTLEMENTS)
    grants_url = f"{records_url}?kind__exact={SupportRecord.Kind.GRANT}&settlement_status__in={outstanding}"
    return [
        DashboardItem(
            label=_("연말 단계 심사 대기 (%(year)d년까지)") % {"year": selectors.review_year_due(today)},
            count=reviews,
            url=reverse("admin:ondure_communitystagerecord_changelist") + "?review=due",
            model="ondure.communitystagerecord",
            level="warning",
        ),
        DashboardItem(
            label=_("정산되지 않은 보조금"),
            count=grants["outstanding"],
            url=grants_url,
            model="ondure.supportrecord",
            detail=_("합계 %(amount)s원") % {"amount": f"{grants['outstanding_amount']:,}"},
        ),
        DashboardItem(
            label=_("지난해 이전 지급했는데 아직 정산되지 않은 보조금"),
            count=grants["overdue"],
            url=f"{grants_url}&supported_on__lt={today.year}-01-01",
            model="ondure.supportrecord",
            level="warning",
        ),
    ]
