"""Pagination of the partner API: page numbers, as partners use them today, or a cursor for syncing.

* ``?page=`` and ``?page_size=`` (default 50, at most 500). The total (``count``) is computed once per data
  version (``data_version``) and filter, not on every page: a partner walking 300,000 products does not
  count them 3,000 times.
* ``?cursor=`` (empty for the first page, then the ``next`` link): pages by the primary key. A row inserted
  or deleted meanwhile shifts no other row, so a walk never skips nor repeats one, and no page counts.
"""

import hashlib

from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination, PageNumberPagination

from jeonju_center.partners.models import data_version_columns, format_data_version

MAX_PAGE_SIZE = 500
#: An upper bound on how long a total is reused, for rows the change feed does not follow (reference data).
COUNT_TTL_SECONDS = 600


def data_version(using="default"):
    """What partners can read right now, as a key: the newest change-feed event that has committed and, on
    PostgreSQL, the oldest transaction still running (a slow writer that commits later moves it on, though
    its events' ids are older than events already visible). The same key means the same committed data."""
    connection = connections[using]
    newest, oldest_running = data_version_columns(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {newest}, {oldest_running}")
        return format_data_version(*cursor.fetchone())


def request_data_version(request, using):
    """``data_version(using)``, or the one read with the partner's key on the same database
    (``PartnerAPIKey.objects.get_from_key``), which saves a query on every cached answer."""
    known = getattr(request.auth, "data_version_read", None)
    if known is not None and known[0] == using:
        return known[1]
    return data_version(using)


class CountOncePerVersionPaginator(Paginator):
    """A Django paginator whose ``count`` is shared by every page of the same query at the same data version."""

    @cached_property
    def count(self):
        queryset = self.object_list
        if not hasattr(queryset, "query"):
            return super().count
        sql, params = queryset.query.sql_with_params()
        version = data_version(queryset.db)
        digest = hashlib.sha256(f"{sql}\x00{params!r}\x00{version}".encode()).hexdigest()
        key = f"api:count:{queryset.model._meta.label_lower}:{digest}"
        total = cache.get(key)
        if total is None:
            total = super().count
            cache.set(key, total, COUNT_TTL_SECONDS)
        return total


class KeysetPagination(CursorPagination):
    """``?cursor=``: pages in primary-key order, whatever ``ordering`` the list has by default."""

    ordering = ("pk",)
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_ordering(self, request, queryset, view):
        return self.ordering

    def decode_cursor(self, request):
        if not request.query_params.get(self.cursor_query_param):
            return None  # ``?cursor=``: the first page
        try:
            return super().decode_cursor(request)
        except exceptions.NotFound:
            raise exceptions.ValidationError(
                {
                    self.cursor_query_param: [
                        _("cursor 값이 올바르지 않습니다. 앞 응답의 next 주소를 그대로 쓰세요.")
                    ]
                }
            ) from None


class StandardPagination(PageNumberPagination):
    """Page numbers by default; ``?cursor=`` switches to ``KeysetPagination`` for the request."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    django_paginator_class = CountOncePerVersionPaginator
    cursor_query_param = "cursor"

    def __init__(self):
        self.keyset = None

    def paginate_queryset(self, queryset, request, view=None):
        if self.cursor_query_param not in request.query_params:
            return super().paginate_queryset(queryset, request, view)
        for name in ("page", "ordering"):
            if name in request.query_params:
                raise exceptions.ValidationError(
                    {name: [_("cursor와 함께 쓸 수 없습니다. cursor 목록은 id 순서입니다.")]}
                )
        self.keyset = KeysetPagination()
        return self.keyset.paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        if self.keyset is not None:
            return self.keyset.get_paginated_response(data)
        return super().get_paginated_response(data)

    def get_paginated_response_schema(self, schema):
        paged = super().get_paginated_response_schema(schema)
        # ``count`` is absent from the cursor walk's pages.
        paged["required"] = ["results"]
        paged["properties"]["count"]["description"] = "Total of matching rows (page-number pages only)."
        return paged

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Sync by cursor: empty for the first page, then follow `next`. Pages in id "
                "order, never skipping or repeating a row while others are added or deleted; no `count`. "
                "Not combined with `page` or `ordering`.",
                "schema": {"type": "string"},
            },
        ]
