from django import template
from django.utils import timezone

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
