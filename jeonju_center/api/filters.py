import datetime

from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, make_aware
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import BaseFilterBackend, OrderingFilter


class UpdatedSinceFilter(BaseFilterBackend):
    """``?updated_since=<ISO 8601>`` on every list: rows changed at or after that time."""

    param = "updated_since"

    def filter_queryset(self, request, queryset, view):
        value = request.query_params.get(self.param)
        if not value:
            return queryset
        moment = self.parse(value)
        # A view whose records include child rows (e.g. a course's sessions) widens what "changed" means.
        custom = getattr(view, "filter_updated_since", None)
        return custom(queryset, moment) if custom else queryset.filter(updated_at__gte=moment)

    def parse(self, value):
        try:
            # A "+" of a UTC offset arrives as a space when the client did not URL-encode it.
            moment = parse_datetime(value.replace(" ", "+"))
        except ValueError:
            moment = None
        if moment is None:
            raise ValidationError(
                {self.param: [_("ISO 8601 일시여야 합니다. 예: 2026-01-31T09:00:00+09:00")]}
            )
        try:
            moment = make_aware(moment) if is_naive(moment) else moment
            # In UTC: PostgreSQL refuses offsets beyond ±15:59 that ISO 8601 (and Python) allow.
            return moment.astimezone(datetime.UTC)
        except (OverflowError, ValueError):  # e.g. 0001-01-01T00:00-05:00 has no UTC equivalent
            raise ValidationError({self.param: [_("지원하는 범위를 벗어난 일시입니다.")]}) from None

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.param,
                "required": False,
                "in": "query",
                "description": "이 일시 이후에 생성·수정된 항목만 (ISO 8601).",
                "schema": {"type": "string", "format": "date-time"},
            }
        ]


class StrictOrderingFilter(OrderingFilter):
    """``?ordering=field,-other``; an unknown field is a 400 instead of being silently ignored.
    The primary key is always the last key so that pages never overlap."""

    def get_ordering(self, request, queryset, view):
        params = request.query_params.get(self.ordering_param)
        if params:
            fields = [param.strip() for param in params.split(",") if param.strip()]
            allowed = {name for name, _label in self.get_valid_fields(queryset, view, {"request": request})}
            unknown = [field for field in fields if field.lstrip("-") not in allowed]
            if unknown:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            _("정렬할 수 없는 필드입니다: %(fields)s. 가능한 필드: %(allowed)s")
                            % {"fields": ", ".join(unknown), "allowed": ", ".join(sorted(allowed))}
                        ]
                    }
                )
        ordering = super().get_ordering(request, queryset, view) or []
        if not any(field.lstrip("-") in {"id", "pk"} for field in ordering):
            ordering = [*ordering, "id"]
        return ordering
