from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from jeonju_center.search.sources import SearchSource

from .selectors import public_communities

SEARCH_SOURCES = [
    SearchSource(
        "communities",
        _("온두레 공동체"),
        ("name", "description"),
        lambda: public_communities().order_by("name", "id"),
        lambda community: reverse("ondure:community_detail", args=[community.pk]),
        "name",
        "description",
        order=70,
    ),
]
