"""Helpers of the shared layout (templates/base.html)."""

from django import template

from jeonju_center.common.center import center_contact

register = template.Library()


@register.filter
def is_current_section(path, prefix):
    """True when ``path`` is inside the section at ``prefix`` (for aria-current on the program navigation)."""
    if not path or not prefix:
        return False
    return path == prefix if prefix == "/" else path.startswith(prefix)


@register.simple_tag
def portal_url():
    """The portal's public address (``PORTAL_URL``) for absolute links in link-preview tags. Not the request's
    host: error pages render for requests whose host was refused."""
    from django.conf import settings

    return settings.PORTAL_URL


@register.simple_tag
def center_info():
    return center_contact()


@register.filter
def described_widget(field):
    """The field's widget tied to its help text and error message (``aria-describedby``, ``aria-invalid``),
    with the ids ``templates/includes/form_fields.html`` gives them."""
    attrs = {}
    if field.auto_id:
        ids = []
        if field.help_text:
            ids.append(f"{field.auto_id}_helptext")
        if field.errors:
            ids.append(f"{field.auto_id}_error")
        if ids:
            attrs["aria-describedby"] = " ".join(ids)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
