from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jeonju_center.search.sources import SearchSource

from .models import Call

SEARCH_SOURCES = [
    SearchSource(
        "calls",
        _("모집·공모"),
        ("title", "summary"),
        lambda: Call.objects.filter(is_published=True).order_by("-opens_at", "-id"),
        lambda call: reverse("calls:detail", args=[call.slug]),
        "title",
        "summary",
        order=40,
    ),
]
