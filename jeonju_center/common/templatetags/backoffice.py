from django import template
from django.contrib import admin
from django.contrib.admin.templatetags.base import InclusionAdminNode
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from .. import changelist_rows
from ..dashboard import panels_for, visible_items

register = template.Library()


@register.inclusion_tag("admin/includes/attention_panels.html", takes_context=True)
def attention_panels(context):
    """Today's to-do panels of the viewer's teams, for the admin index."""
    request = context["request"]
    today = timezone.localdate()
    panels = []
    for panel in panels_for(request.user):
        items = visible_items(request.user, panel, today=today)
        if items:
            panels.append({"title": panel.title, "items": items})
    return {"panels": panels, "today": today}


@register.simple_tag(takes_context=True)
def sidebar_app_list(context):
    """The navigation sidebar's list of apps (Django's ``admin/app_list.html``), drawn once per role and page
    (``PortalAdminSite.sidebar_app_list_html``)."""
    request = context["request"]

    def draw():
        return render_to_string(
            "admin/app_list.html",
            {"app_list": context["available_apps"], "show_changelinks": False},
            request=request,
        )

    return mark_safe(admin.site.sidebar_app_list_html(request, draw))


@register.tag(name="portal_result_list")
def portal_result_list(parser, token):
    """Django's ``{% result_list cl %}`` with rows prepared once per column (``common/changelist_rows.py``),
    rendered with the same template (``admin/<app>/<model>/change_list_results.html`` first)."""
    return InclusionAdminNode(
        parser,
        token,
        func=changelist_rows.result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
