"""The center administrators' panel for partner centers: API keys to renew before partners lose access."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jeonju_center.common.dashboard import DashboardItem, dashboard_panel
from jeonju_center.common.teams import CENTER_ADMINS

from . import selectors
from .models import PartnerAPIKey


@dashboard_panel("partners", team=CENTER_ADMINS, title=gettext_lazy("협력기관 API"), order=510)
def partner_items(*, today):
    now = timezone.now()
    url = reverse("admin:partners_partnerapikey_changelist")
    return [
        DashboardItem(
            label=_("%(days)d일 안에 만료되는 API 키") % {"days": selectors.EXPIRY_WARNING_DAYS},
            count=PartnerAPIKey.objects.filter(selectors.api_keys_expiring_q(now=now)).count(),
            url=f"{url}?expiry=soon",
            model="partners.partnerapikey",
            level="warning",
            detail=_("협력기관에 새 키를 발급하고 기존 키를 폐기하세요."),
        )
    ]
