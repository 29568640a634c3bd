"""The back-office home: what needs each team's attention today, with links to the filtered lists.

Apps contribute panels in a ``dashboard.py`` module with ``@dashboard_panel(team=…)`` (discovered like
``admin.py``). A panel function takes ``today`` (a date) and returns ``DashboardItem``s; each item names the
model it counts so that the home page shows only what the viewer may open. A panel runs a fixed number of
queries (counts/aggregates), never one per row.
"""

from dataclasses import dataclass

from django.utils.module_loading import autodiscover_modules

from .teams import CENTER_ADMINS


@dataclass(frozen=True)
class DashboardItem:
    label: str
    count: int
    url: str
    model: str  # "app_label.model_name": shown only to viewers allowed to view that model
    level: str = "info"  # "info" | "warning" (needs action soon)
    detail: str = ""


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
        (panel for panel in _panels.values() if everything or panel.team in teams),
        key=lambda panel: (panel.order, panel.key),
    )


def visible_items(user, panel, *, today):
    return [
        item
        for item in panel.items(today=today)
        if user.has_perm("{}.view_{}".format(*item.model.split(".")))
    ]
