"""The kinds of public content the site search looks through. Each app lists its own in ``search.py`` as
``SEARCH_SOURCES``: what a visitor could open anyway, through the app's own public selector (never a draft,
a closed organization, a hidden community or anything personal)."""

from dataclasses import dataclass
from functools import cache

from jeonju_center.common.app_modules import app_ordered_declarations


@dataclass(frozen=True)
class SearchSource:
    key: str  # in the page's address (?kind=…)
    label: str
    fields: tuple  # searched, in the order their text is shown
    queryset: object  # callable() -> the public queryset
    url: object  # callable(obj) -> its public page
    title_field: str
    text_field: str = ""
    meta: object = None  # callable(obj) -> a short label (program, organization…)
    order: int = 100  # place of its group on the results page


@cache
def search_sources():
    """Every app's search sources, in the order the results page shows their groups."""
    return tuple(app_ordered_declarations("search", "SEARCH_SOURCES"))


def search_source(key):
    """The source ``key``, or None."""
    return next((source for source in search_sources() if source.key == key), None)
