"""Back-office lists kept while the tables they were drawn from are unchanged.

A list of 100 rows at national size takes 30–170 ms to draw (the count, the page, the filters, the rows); staff
open the same few lists over and over (the first page, a usual filter, a search) between changes. Each page
drawn is kept with the version of every table its queries read (``table_versions``); the next request for the
same page by the same staff member is answered from it when none of those tables has changed since, which
two short statements tell. Anything else draws the page again:

* the key holds what a page depends on besides the tables: the staff member (the header names them), their
  permissions (columns, masking, actions), the language, the time zone, the URLconf, the full path with its
  query string, and the clock's minute (a list may show what is due today);
* only a plain GET answered with the list is kept, never while messages wait to be shown (a kept page would
  lose them) or while any writing transaction was in flight when the versions were read (its tables may
  change under a version number that has already been read);
* each page served gets fresh CSRF tokens, and the personal-data access log gets its row as when the page is
  drawn (``PersonalDataAdminMixin``).

The count of a large filtered list is kept the same way, by its query alone (``count_once_per_version``): the
next page of that list, drawn because its address differs, does not count the matches again.

PostgreSQL only: on SQLite every list is drawn and counted.
"""

import hashlib
import re

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache, caches
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS, connections, router
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.response import TemplateResponse
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone
from django.utils.translation import get_language

from . import table_versions

#: How long a drawn list is kept (its key also names the clock's minute, so at most about a minute is used).
KEPT_SECONDS = 120
#: How long a count is kept (it is checked against its tables' versions every time it is used).
COUNT_KEPT_SECONDS = 3600
_CSRF_VALUE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


class KeptChangelistMixin:
    """For ``ModelAdmin``: ``changelist_view`` answered from the kept page while its tables are unchanged."""

    #: Off for a list that shows something neither its tables nor the key hold. A subclass's ``extra_context``
    #: must depend on those alone too (the portal's add links and permission flags).
    keep_changelist_pages = True

    def changelist_view(self, request, extra_context=None):
        connection = self._kept_page_connection(request)
        if connection is None:
            return super().changelist_view(request, extra_context)
        key = self._kept_page_key(request, connection)
        # This process's copy first, then the one another process may have drawn.
        local = caches[settings.LOCAL_PAGE_CACHE]
        kept = local.get(key)
        shared = None if kept is not None else cache.get(key)
        kept = kept or shared
        if (
            kept is not None
            and table_versions.read_versions(connection, kept["versions"]) == kept["versions"]
        ):
            if not self.has_view_or_change_permission(request):
                raise PermissionDenied
            if shared is not None:
                local.set(key, kept, KEPT_SECONDS)
            return self._serve_kept(request, kept)
        versions = table_versions.read_versions(connection)
        writers = table_versions.writers_in_flight(connection)
        with table_versions.TablesRead(connection) as read:
            response = super().changelist_view(request, extra_context)
            if isinstance(response, TemplateResponse):
                response.render()
        read_tables = read.tables & versions.keys()
        if (
            writers
            or not read_tables
            or response.status_code != 200
            or not isinstance(response, TemplateResponse)
            or response.context_data.get("cl") is None
        ):
            return response
        kept = {
            "versions": {table: versions[table] for table in read_tables},
            "parts": _CSRF_VALUE.split(response.content.decode(response.charset)),
            "content_type": response["Content-Type"],
            "access": getattr(response, "personal_data_access", None),
        }
        cache.set(key, kept, KEPT_SECONDS)
        local.set(key, kept, KEPT_SECONDS)
        return response

    def _kept_page_connection(self, request):
        """The connection whose tables' versions decide, or ``None`` when this request's list is drawn."""
        if not (settings.BACKOFFICE_KEEP_LISTS and self.keep_changelist_pages):
            return None
        if request.method != "GET":
            return None
        using = router.db_for_read(self.model)
        connection = connections[using]
        # The back office reads the primary; a replica's sequences are not the primary's.
        if using != DEFAULT_DB_ALIAS or not table_versions.supported(connection):
            return None
        if len(messages.get_messages(request)):
            return None
        return connection

    def _kept_page_key(self, request, connection):
        user = request.user
        permissions = ["superuser"] if user.is_superuser else sorted(user.get_all_permissions())
        depends_on = repr(
            (
                _database(connection),
                user.pk,
                user.get_username(),
                user.get_short_name(),
                user.is_active,
                user.is_staff,
                permissions,
                get_language(),
                timezone.get_current_timezone_name(),
                get_script_prefix(),
                get_urlconf(),
                request.get_full_path(),
                timezone.now().strftime("%Y-%m-%dT%H:%M"),
            )
        )
        digest = hashlib.sha256(depends_on.encode()).hexdigest()
        return f"admin-list:{self.model._meta.label_lower}:{digest}"

    def _serve_kept(self, request, kept):
        parts = kept["parts"]
        # split() with the pattern's two groups: text, prefix, suffix, text, prefix, suffix, …, text.
        content = [parts[0]]
        for index in range(1, len(parts), 3):
            content.extend((parts[index], get_token(request), parts[index + 1], parts[index + 2]))
        if kept["access"]:
            # Only ``PersonalDataAdminMixin`` keeps an access to log, and it logs it as when drawing the list.
            self.record_changelist_access(request, kept["access"])
        return HttpResponse("".join(content), content_type=kept["content_type"])


def _database(connection):
    """Which database the versions are of (one cache may serve more than one)."""
    return tuple(connection.settings_dict.get(name) for name in ("HOST", "PORT", "NAME"))


def count_once_per_version(queryset):
    """``queryset.count()``, kept while none of the tables its query reads has changed: the count of a filtered
    list of a large table (36 ms for 30,000 of 300,000 products) is shared by every page of that list and by
    every staff member, as the kept lists are (same rules: PostgreSQL's primary, no writer in flight)."""
    connection = connections[queryset.db]
    if not (
        settings.BACKOFFICE_KEEP_LISTS
        and queryset.db == DEFAULT_DB_ALIAS
        and table_versions.supported(connection)
    ):
        return queryset.count()
    sql, params = queryset.query.sql_with_params()
    key = "admin-count:" + hashlib.sha256(repr((_database(connection), sql, params)).encode()).hexdigest()
    kept = cache.get(key)
    if kept is not None:
        versions, count = kept
        if table_versions.read_versions(connection, versions) == versions:
            return count
    versions = table_versions.read_versions(connection, table_versions.quoted_names(sql))
    writers = table_versions.writers_in_flight(connection)
    count = queryset.count()
    if versions and not writers:
        cache.set(key, (versions, count), COUNT_KEPT_SECONDS)
    return count
