"""Base classes of the partner API and the change feed endpoint."""

import csv
import hashlib
import io
import json

from django.conf import settings
from django.core.cache import cache, caches
from django.db import IntegrityError, router, transaction
from django.http import HttpResponse
from django.utils.cache import set_response_etag
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from jeonju_center.common.db_routing import use_primary
from jeonju_center.common.spreadsheets import neutralize_row
from jeonju_center.partners import changes
from jeonju_center.partners.models import IdempotencyRecord, PartnerAPIKey

from . import feed
from .pagination import request_data_version

PAGE_CACHE_SECONDS = 300

CSV_CHUNK_ROWS = 500


class PartnerReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """List + detail of one resource. Subclasses set ``queryset`` (public rows only, with their
    ``select_related``/``prefetch_related``), ``serializer_class``, ``filterset_class``, ``read_scope``
    and ``ordering_fields``. Lists are ordered by ``ordering`` and end with the primary key so that
    pages never overlap."""

    read_scope: str | None = None
    write_scope: str | None = None
    public_read = False
    ordering = ["id"]
    #: Serve a list page or a record from the cache while the data version is the same
    #: (``pagination.data_version``: the same committed data gives the same answer). Only for resources whose
    #: representation does not depend on the clock (a call's phase does) and whose every shown row, related
    #: ones included, is fed by the change feed (so a change is a new version).
    cache_pages = False

    def filter_queryset(self, queryset):
        # One record asked for by id without query parameters: every list filter would be a no-op, but
        # building the FilterSet (a deep copy of its filters) and its form costs more than the query.
        if self.action == "retrieve" and not self.request.query_params:
            return queryset
        return super().filter_queryset(queryset)

    def list(self, request, *args, **kwargs):
        if getattr(request.accepted_renderer, "format", None) == "csv":
            return self._every_row_as_csv(request)
        return self._cached(
            request, "list", lambda: super(PartnerReadOnlyViewSet, self).list(request, *args, **kwargs)
        )

    def _cached(self, request, part, respond):
        """``respond()``'s answer, from the cache while the data version is the same (``cache_pages``)."""
        renderer = request.accepted_renderer
        if not self.cache_pages or getattr(renderer, "format", None) != "json":
            return respond()
        # The version is read from the database the page is read from (a replica lags the primary); the
        # router's choice for the model, as ``queryset.db`` would give, without building the queryset.
        model = self.get_serializer_class().Meta.model
        key = _page_cache_key(request, f"{self.basename}:{part}", using=router.db_for_read(model))
        # This process's copy first: a key names one version of the committed data, so the copy is the answer
        # the shared cache holds, without its round trip.
        local = caches[settings.LOCAL_PAGE_CACHE]
        cached = local.get(key)
        if cached is not None:
            return self._cached_answer(cached, renderer)
        cached = cache.get(key)
        if cached is None:
            response = respond()
            if response.status_code != 200:
                return response
            # The answer as it goes out (DRF's own JSON), so a cached one is sent without serialising it again.
            content = renderer.render(response.data, request.accepted_media_type, self.get_renderer_context())
            headers = {name: response[name] for name in CACHED_HEADERS if response.has_header(name)}
            # The ETag ConditionalGetMiddleware would compute from the content on every answer (an MD5 of up
            # to 500 rows), computed once.
            headers["ETag"] = set_response_etag(HttpResponse(content))["ETag"]
            cached = (content, headers)
            cache.set(key, cached, PAGE_CACHE_SECONDS)
        local.set(key, cached, PAGE_CACHE_SECONDS)
        return self._cached_answer(cached, renderer)

    @staticmethod
    def _cached_answer(cached, renderer):
        content, headers = cached
        return HttpResponse(content, content_type=renderer.media_type, headers=headers)

    def _every_row_as_csv(self, request):
        """``?format=csv`` is an export: every row that matches the filters, not one page of them, read in chunks
        of ``CSV_CHUNK_ROWS`` (a fixed number of queries per chunk, whatever the total)."""
        queryset = self.filter_queryset(self.get_queryset())
        renderer = request.accepted_renderer

        def lines():
            yield "\ufeff"  # UTF-8 with a BOM: Excel opens Korean text correctly
            header = None
            start = 0
            while True:
                chunk = list(queryset[start : start + CSV_CHUNK_ROWS])
                if not chunk:
                    break
                rows = list(renderer.flatten_data(self.get_serializer(chunk, many=True).data))
                buffer = io.StringIO()
                writer = csv.writer(buffer)
                if header is None:
                    header = list(dict.fromkeys(key for row in rows for key in row))
                    writer.writerow(neutralize_row(header))
                for row in rows:
                    writer.writerow(
                        neutralize_row(["" if row.get(key) is None else row.get(key) for key in header])
                    )
                yield buffer.getvalue()
                start += CSV_CHUNK_ROWS

        # Built chunk by chunk (a fixed number of queries per chunk); sent whole so clients and caches see its
        # length.
        response = HttpResponse("".join(lines()).encode("utf-8"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.basename}.csv"'
        return response

    def retrieve(self, request, *args, **kwargs):
        record = str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field))
        return self._cached(request, f"record:{record}", self._record)

    def _record(self):
        instance = self.get_object()
        response = Response(self.get_serializer(instance).data)
        updated_at = getattr(instance, "updated_at", None)
        if updated_at is not None:
            response["Last-Modified"] = http_date(updated_at.timestamp())
        return response


#: Headers a cached answer keeps (a record's last change).
CACHED_HEADERS = ("Last-Modified",)


def _page_cache_key(request, basename, *, using):
    """A list page's cache key: the resource, the query, who reads (a partner's scopes and own records
    differ), the language of the labels, the site the links point to, and the data version."""
    user = request.user
    if getattr(user, "partner", None) is not None:
        reader = f"partner:{user.partner.pk}:{','.join(sorted(user.api_key.scopes))}"
    elif getattr(user, "is_authenticated", False):
        reader = f"user:{user.pk}"
    else:
        reader = "public"
    query = sorted(request.query_params.lists())
    version = request_data_version(request, using)
    site = request.build_absolute_uri("/")
    digest = hashlib.sha256(
        f"{query!r}\x00{reader}\x00{get_language()}\x00{site}\x00{version}".encode()
    ).hexdigest()
    return f"api:page:v3:{basename}:{digest}"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _request_fingerprint(request):
    body = json.dumps(request.data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


class IdempotentCreateMixin:
    """``Idempotency-Key`` on POST: a retry of the same request gets the first response again instead of
    creating a duplicate; the same key with a different request is a 409."""

    def create(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()
        if not key or not isinstance(request.auth, PartnerAPIKey):
            return super().create(request, *args, **kwargs)
        if len(key) > 255:
            raise exceptions.ValidationError({"Idempotency-Key": [_("255자 이하여야 합니다.")]})
        fingerprint = _request_fingerprint(request)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    # Taking the unique key first makes a concurrent retry wait for this request to finish.
                    record = IdempotencyRecord.objects.create(
                        api_key=request.auth, key=key, request_fingerprint=fingerprint
                    )
            except IntegrityError:
                record = IdempotencyRecord.objects.get(api_key=request.auth, key=key)
                if record.request_fingerprint != fingerprint:
                    raise Conflict(_("이 Idempotency-Key는 다른 요청에 이미 쓰였습니다.")) from None
                return Response(
                    record.response_body, status=record.status_code, headers={"Idempotent-Replayed": "true"}
                )
            response = super().create(request, *args, **kwargs)
            record.status_code = response.status_code
            record.response_body = json.loads(json.dumps(response.data, default=str))
            record.save(update_fields=["status_code", "response_body"])
            return response


FEED_PAGE_DEFAULT = 500
FEED_PAGE_MAX = 1000

CHANGE_EVENT_FIELDS = {
    "resource": serializers.CharField(help_text="리소스 이름 (예: organizations)"),
    "id": serializers.CharField(help_text="대상의 id"),
    "action": serializers.ChoiceField(choices=["created", "updated", "deleted"]),
    "time": serializers.DateTimeField(),
}


class ChangeFeedView(APIView):
    """Created/updated/deleted events of every resource the key may read, in commit order.

    Start without ``since`` (or after a full fetch, from the ``next`` cursor you kept) and call again with
    the returned ``next`` until ``has_more`` is false. Apply ``deleted`` by removing the record;
    ``created``/``updated`` by fetching ``/api/v1/<resource>/<id>/``.
    """

    read_scope = None  # any valid key; events are filtered to the key's scopes below

    def get_permissions(self):
        return []

    def check_permissions(self, request):
        user = request.user
        if not (
            isinstance(request.auth, PartnerAPIKey) or (user and user.is_authenticated and user.is_staff)
        ):
            raise exceptions.NotAuthenticated()

    @extend_schema(
        summary="변경 이력 (증분 동기화)",
        parameters=[
            OpenApiParameter(
                "since", OpenApiTypes.STR, description="이전 응답의 next 커서. 없으면 처음부터."
            ),
            OpenApiParameter("resource", OpenApiTypes.STR, description="한 리소스의 이벤트만."),
            OpenApiParameter(
                "limit", OpenApiTypes.INT, description=f"최대 {FEED_PAGE_MAX}, 기본 {FEED_PAGE_DEFAULT}."
            ),
        ],
        responses={
            200: inline_serializer(
                "ChangeFeed",
                {
                    "results": inline_serializer("ChangeEvent", CHANGE_EVENT_FIELDS, many=True),
                    "next": serializers.CharField(help_text="다음 호출의 since 값"),
                    "has_more": serializers.BooleanField(),
                },
            ),
            400: OpenApiResponse(description="잘못된 커서나 값"),
        },
    )
    # The feed's cursor is the primary's transaction ids and snapshot (partners/changes.py): read on the primary.
    @use_primary()
    def get(self, request):
        since = request.query_params.get("since") or None
        resource = request.query_params.get("resource") or None
        try:
            limit = int(request.query_params.get("limit", FEED_PAGE_DEFAULT))
        except ValueError:
            limit = 0
        if not 1 <= limit <= FEED_PAGE_MAX:
            raise exceptions.ValidationError(
                {"limit": [_("1에서 %(max)d 사이의 정수여야 합니다.") % {"max": FEED_PAGE_MAX}]}
            )
        readable = feed.readable_resources(request)
        if resource is not None and resource not in feed.RESOURCE_SCOPES:
            raise exceptions.ValidationError({"resource": [_("알 수 없는 리소스입니다.")]})
        if resource is not None and resource not in readable:
            raise exceptions.PermissionDenied(_("이 리소스를 읽을 권한(scope)이 없습니다."))
        try:
            events = changes.events_after(
                since,
                limit=limit + 1,
                resources=[resource] if resource else readable,
                partner_id=request.auth.partner_id if isinstance(request.auth, PartnerAPIKey) else None,
                all_partners=not isinstance(request.auth, PartnerAPIKey),
            )
        except changes.InvalidCursor:
            raise exceptions.ValidationError({"since": [_("올바른 커서가 아닙니다.")]}) from None
        has_more = len(events) > limit
        events = events[:limit]
        next_cursor = changes.encode_cursor(events[-1]) if events else (since or "0-0")
        return Response(
            {
                "results": [
                    {"resource": e.resource, "id": e.object_id, "action": e.action, "time": e.occurred_at}
                    for e in events
                ],
                "next": next_cursor,
                "has_more": has_more,
            }
        )
