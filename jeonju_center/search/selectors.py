"""One search over every kind of public content (the apps' ``SEARCH_SOURCES``, see ``sources.py``): what
a visitor could open anyway, matched by substring so that Korean compound nouns are found by their parts
("재생" finds "도시재생").

On PostgreSQL the large tables' searched columns carry trigram and bigram indexes
(``jeonju_center.common.indexes``). A search of three characters or more is answered from the trigram
indexes; pg_trgm cannot serve two, the length of most Korean words ("재생", "청년"), so then the rows holding
the pair are found from the bigram indexes and ``icontains`` keeps those that hold the search. At 300,000
products a two-character search read every row, twice per kind (the count and the first hits). The embedded
SQLite does the same ``icontains`` without them."""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import connections, router
from django.db.models import Q

from jeonju_center.common.indexes import bigram_condition, has_bigram_index

from .sources import SearchSource, search_source, search_sources

QUERY_MAX_LENGTH = 100
PREVIEW_PER_KIND = 5


@dataclass
class Hit:
    title: str
    text: str
    url: str
    meta: str


@dataclass
class Group:
    kind: SearchSource
    count: int
    hits: list


def _matching(kind, query):
    queryset = kind.queryset()
    model = queryset.model
    matching = queryset.filter(reduce(or_, (Q(**{f"{field}__icontains": query}) for field in kind.fields)))
    # Three characters or more: the trigram indexes answer ``icontains`` itself. Two: trigrams cannot, and
    # the rows holding the pair are found from the bigram indexes, when every searched field has one (else
    # a row found by an unindexed field would be left out).
    if (
        len(query) == 2
        and connections[router.db_for_read(model)].vendor == "postgresql"
        and all(has_bigram_index(model, field) for field in kind.fields)
    ):
        # As a condition of its own, so that PostgreSQL can answer it with a bitmap of the indexes alone.
        matching = matching.filter(reduce(or_, (Q(bigram_condition(field, query)) for field in kind.fields)))
    return matching


def _hit(kind, obj):
    return Hit(
        title=getattr(obj, kind.title_field),
        text=getattr(obj, kind.text_field) if kind.text_field else "",
        url=kind.url(obj),
        meta=str(kind.meta(obj)) if kind.meta else "",
    )


def search(query, *, kind=None, limit=PREVIEW_PER_KIND, offset=0):
    """The groups of hits for ``query`` (stripped, non-empty): each kind's count and its first ``limit``
    hits; ``kind``: that kind only. Two queries per kind, whatever the number of rows."""
    groups = []
    for candidate in search_sources():
        if kind and candidate.key != kind:
            continue
        matching = _matching(candidate, query)
        count = matching.count()
        hits = [_hit(candidate, obj) for obj in matching[offset : offset + limit]] if count else []
        groups.append(Group(candidate, count, hits))
    return groups


def kind_page(query, kind_key, page_number, *, per_page=20):
    """One kind's hits, paged: (kind, page of Hits)."""
    from django.core.paginator import Paginator

    kind = search_source(kind_key)
    page = Paginator(_matching(kind, query), per_page).get_page(page_number)
    page.object_list = [_hit(kind, obj) for obj in page.object_list]
    return kind, page
