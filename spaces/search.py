from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jeonju_center.search.sources import SearchSource

from .models import Space

SEARCH_SOURCES = [
    SearchSource(
        "spaces",
        _("대관 공간"),
        ("name", "description", "location"),
        lambda: Space.objects.filter(is_active=True).order_by("name", "id"),
        lambda space: reverse("spaces:detail", args=[space.slug]),
        "name",
        "location",
        order=80,
    ),
]
