"""The back-office home: what needs each team's attention today, with links to the filtered lists.

Apps contribute panels in a ``dashboard.py`` module with ``@dashboard_panel(team=…)`` (discovered like
``admin.py``). A panel function takes ``today`` (a date) and returns ``DashboardItem``s; each item names the
model it counts so that the home page shows only what the viewer may open. A panel runs a fixed number of
queries (counts/aggregates), never one per row.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .personal_data import ACCESS_LOG_REVIEW_PERMISSION
from .teams import ACCESS_LOG_REVIEWERS, CENTER_ADMINS


@dataclass(frozen=True)
class DashboardItem:
    label: str
    count: int
    url: str
    model: str  # "app_label.model_name": shown only to viewers allowed to view that model
    level: str = "info"  # "info" | "warning" (needs action soon)
    detail: str = ""
    # Shown only to viewers holding this permission ("app_label.codename"); default: view permission of ``model``.
    permission: str = ""


@dataclass(frozen=True)
class DashboardPanel:
    key: str
    team: str
    title: str
    order: int
    items: object  # callable(*, today) -> list[DashboardItem]


_panels = {}


def dashboard_panel(key, *, team, title, order=100):
    def register(func):
        _panels[key] = DashboardPanel(key, team, title, order, func)
        return func

    return register


def panels_for(user):
    """The panels of the viewer's teams (every panel for 센터 관리자 and superusers), in order."""
    autodiscover_modules("dashboard")
    teams = set(user.groups.values_list("name", flat=True))
    everything = user.is_superuser or CENTER_ADMINS in teams
    return sorted(
        (
            panel
            for panel in _panels.values()
            if everything
            or panel.team in teams
            or (panel.key == "center_admin" and ACCESS_LOG_REVIEWERS in teams)
        ),
        key=lambda panel: (panel.order, panel.key),
    )


def visible_items(user, panel, *, today):
    return [
        item
        for item in panel.items(today=today)
        if user.has_perm(item.permission or "{}.view_{}".format(*item.model.split(".")))
    ]


# --- The center administrators' own panel ----------------------------------------------------------


@dashboard_panel("center_admin", team=CENTER_ADMINS, title=gettext_lazy("센터 운영·개인정보 보호"), order=900)
def center_admin_items(*, today):
    from django.urls import reverse

    from .access_log import access_log_month_to_review, month_bounds
    from .models import AccessLogReview, OutboxEmail, OutboxMessage, PersonalDataAccess, RetentionRun

    items = []
    month = access_log_month_to_review(today)
    if not AccessLogReview.objects.filter(month=month).exists():
        start, end = month_bounds(month)
        items.append(
            DashboardItem(
                label=_("%(month)s 접근 기록 월간 점검 대기") % {"month": f"{month:%Y-%m}"},
                count=PersonalDataAccess.objects.filter(accessed_at__gte=start, accessed_at__lt=end).count(),
                url=reverse("admin:common_personaldataaccess_review"),
                model="common.personaldataaccess",
                permission=ACCESS_LOG_REVIEW_PERMISSION,
                level="warning",
            )
        )
    outbox_url = reverse("admin:common_outboxemail_changelist")
    for status, label in (
        (OutboxEmail.Status.SENDING, _("발송 여부 확인이 필요한 메일")),
        (OutboxEmail.Status.FAILED, _("발송에 실패한 메일")),
    ):
        items.append(
            DashboardItem(
                label=label,
                count=OutboxEmail.objects.filter(status=status).count(),
                url=f"{outbox_url}?status__exact={status}",
                model="common.outboxemail",
                level="warning",
            )
        )
    message_url = reverse("admin:common_outboxmessage_changelist")
    for status, label in (
        (OutboxMessage.Status.SENDING, _("발송 여부 확인이 필요한 알림톡·문자")),
        (OutboxMessage.Status.FAILED, _("발송에 실패한 알림톡·문자")),
    ):
        items.append(
            DashboardItem(
                label=label,
                count=OutboxMessage.objects.filter(status=status).count(),
                url=f"{message_url}?status__exact={status}",
                model="common.outboxmessage",
                level="warning",
            )
        )
    last_run = RetentionRun.objects.order_by("-ran_at").values_list("ran_at", flat=True).first()
    if last_run is not None:
        runs = RetentionRun.objects.filter(ran_at=last_run)
        items.append(
            DashboardItem(
                label=_("보존기간이 지나 익명화·삭제한 기록 (최근 실행)"),
                count=sum(runs.values_list("processed_count", flat=True)),
                url=reverse("admin:common_retentionrun_changelist"),
                model="common.retentionrun",
                detail=f"{timezone.localtime(last_run):%Y-%m-%d %H:%M}",
            )
        )
    return items
