"""Showing search hits: the matched words marked (``<mark>``) in escaped text, and long texts cut around
the first match."""

import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

EXCERPT_CONTEXT = 60


@register.filter
def excerpt(text, query):
    """About ``2 × EXCERPT_CONTEXT`` characters of ``text`` around the first match of ``query``."""
    text = " ".join((text or "").split())
    if len(text) <= 2 * EXCERPT_CONTEXT:
        return text
    position = text.lower().find((query or "").lower())
    if position < 0:
        return text[: 2 * EXCERPT_CONTEXT] + "…"
    start = max(0, position - EXCERPT_CONTEXT)
    end = min(len(text), position + len(query) + EXCERPT_CONTEXT)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


@register.filter
def highlight(text, query):
    """``text`` escaped, with every case-insensitive occurrence of ``query`` wrapped in ``<mark>``."""
    escaped = escape(text or "")
    if not query:
        return mark_safe(escaped)
    pattern = re.compile(re.escape(escape(query)), re.IGNORECASE)
    return mark_safe(pattern.sub(lambda match: f"<mark>{match.group(0)}</mark>", escaped))
