"""``PortalFilterSet``, the one base of every FilterSet of the portal (partner API lists and public list pages).

Every list gets the same filters without code in its app (after NetBox's ``BaseFilterSet``):

* ``id``: one or more ids, ``?id=1&id=2``;
* ``q``: free text, OR-ed ``icontains`` over ``Meta.search_fields``;
* a multi-value filter for every model field with ``choices``, ``?status=a&status=b``;
* ``StrictBooleanFilter`` for yes/no filters.

Each FilterSet names, in ``Meta.unfiltered_fields``, the model fields that deliberately have no filter and
why; tests/common/test_filtersets.py fails when a model field has neither a filter nor a reason there.

``search_fields`` are declared on the FilterSet, not taken from the model's admin: the back office searches
personal and internal fields (representatives' names, registration numbers) that must never be searchable
by partners or citizens, a ``q`` over them would reveal them one guess at a time.

A bad value is a form error of its parameter, so the API answers 400 in its one error shape and a page shows
the message; it never reaches the database as a 500.
"""

import copy

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.db.models.constants import LOOKUP_SEP
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters import fields as filter_fields
from django_filters.conf import settings as filter_settings
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .models import District, Dong

TRUE_VALUES = {"true", "1", "on", "yes"}
FALSE_VALUES = {"false", "0", "off", "no"}

# The largest id the bigint primary keys hold: a larger number would be a database error, not "no match".
MAX_ID = 2**63 - 1
# Values echoed back in an error message are cut to this length (a parameter can be any length).
ECHOED_VALUE_LENGTH = 30
# Kept by every model (TimeStampedModel); no FilterSet needs to say so again.
BOOKKEEPING_FIELDS = {
    "created_at": "bookkeeping; an ordering key where the list offers it",
    "updated_at": "every API list has ?updated_since= (jeonju_center.api.filters.UpdatedSinceFilter)",
}


class Unfiltered:
    """Reasons for ``Meta.unfiltered_fields`` that many FilterSets share, so one decision reads the same."""

    PERSONAL = "personal data (the model's PERSONAL_DATA_FIELDS): never a filter of a partner or public list"
    NOT_PUBLIC = "neither in the API output nor on the public page: a filter would reveal it"
    DETAIL = "shown on the record; not a criterion lists are narrowed by"
    CONTACT = "contact detail shown on the record; not a criterion lists are narrowed by"
    ERASURE = "when personal data was erased: bookkeeping of the retention job"


class StrictBooleanField(forms.Field):
    """A yes/no filter that rejects anything else (django-filter's own silently ignores bad values)."""

    widget = forms.Select(choices=[("", _("전체")), ("true", _("예")), ("false", _("아니요"))])
    default_error_messages = {"invalid": _("true 또는 false여야 합니다.")}

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        lowered = str(value).strip().lower()
        if lowered in TRUE_VALUES:
            return True
        if lowered in FALSE_VALUES:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.Filter):
    """Every app's yes/no filter: ``true``/``false`` (also 1/0, on/off, yes/no); anything else is a 400."""

    field_class = StrictBooleanField


def _repeated_values(value):
    """The values of a repeatable parameter: a ``QueryDict`` gives a list, a plain dict (a test, an initial
    value) may give one value."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def _echo(values):
    return ", ".join(
        value if len(value) <= ECHOED_VALUE_LENGTH else f"{value[:ECHOED_VALUE_LENGTH]}…" for value in values
    )


class RepeatableSelect(forms.Select):
    """One drop-down on a page, yet every repeat of the parameter in the URL (``?kind=a&kind=b``) counts."""

    def value_from_datadict(self, data, files, name):
        if hasattr(data, "getlist"):
            return data.getlist(name)
        return data.get(name)


class IdListField(forms.Field):
    # Hidden on a page: an id list is for links and programs, not something a citizen types.
    widget = forms.MultipleHiddenInput
    default_error_messages = {
        "invalid": _("1 이상 %(max)s 이하의 정수여야 합니다. 잘못된 값: %(values)s"),
    }

    def to_python(self, value):
        values = [str(item).strip() for item in _repeated_values(value)]
        values = [item for item in values if item]
        # Length first: int() of a very long string is slow or refused, and the bound check needs an int.
        invalid = [
            item
            for item in values
            if not (item.isascii() and item.isdigit() and len(item) <= len(str(MAX_ID)))
            or not 1 <= int(item) <= MAX_ID
        ]
        if invalid:
            raise forms.ValidationError(
                self.error_messages["invalid"],
                code="invalid",
                params={"max": MAX_ID, "values": _echo(invalid)},
            )
        return list(dict.fromkeys(int(item) for item in values))


class InFilter(django_filters.MultipleChoiceFilter):
    """A repeatable parameter as one ``IN`` (not django-filter's OR of equalities followed by DISTINCT): the
    filtered fields hold one value per row, so no row can come back twice."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("distinct", False)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return self.get_method(qs)(**{f"{self.field_name}{LOOKUP_SEP}in": value})


@extend_schema_field(
    {
        "type": "integer",
        "minimum": 1,
        "maximum": MAX_ID,
        "description": "이 id의 항목만. 여러 개는 반복해서: ?id=1&id=2",
    }
)
class IdFilter(InFilter):
    field_class = IdListField


class MultiValueChoiceField(filter_fields.MultipleChoiceField):
    """The choices of a filter, any number of them; on a page one drop-down with an empty "all" choice."""

    widget = RepeatableSelect

    def __init__(self, *args, empty_label=filter_settings.EMPTY_CHOICE_LABEL, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_label = empty_label  # read when the choices are listed, so a view may still change it

    def to_python(self, value):
        return [str(item) for item in _repeated_values(value) if item not in (None, "")]

    def validate(self, value):
        # Django's own message (the one a single choice gave before), for every unknown value, not the first.
        errors = [
            forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": item}
            )
            for item in dict.fromkeys(value)
            if not self.valid_value(item)
        ]
        if errors:
            raise forms.ValidationError(errors)


class MultiValueChoiceFilter(InFilter):
    """``?status=a&status=b``: the rows whose field holds any of the values; an unknown value is a 400."""

    field_class = MultiValueChoiceField


class SearchFilter(django_filters.CharFilter):
    """``q``: rows where any of the FilterSet's ``Meta.search_fields`` contains the text (case-insensitive).

    ``icontains`` is ``UPPER(column) LIKE UPPER('%text%')`` on PostgreSQL, the expression the trigram indexes
    of ``common/indexes.py`` are built on, so a search by name uses them; Korean needs substring matching."""

    search_fields = ()
    through_many = False  # a path through a to-many relation would return a row once per match

    def filter(self, qs, value):
        value = (value or "").strip()
        if not value:
            return qs
        condition = Q()
        for path in self.search_fields:
            condition |= Q(**{f"{path}{LOOKUP_SEP}icontains": value})
        if self.through_many:
            return qs.filter(pk__in=qs.model._default_manager.filter(condition).values("pk"))
        return qs.filter(condition)


def _model_field_path(model, path):
    """The fields a ``a__b__c`` path walks through, or ImproperlyConfigured."""
    fields = []
    for part in path.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            raise ImproperlyConfigured(f"{model.__name__} has no field {part!r} (in {path!r})") from None
        fields.append(field)
        model = field.related_model
    return fields


class PortalFilterSet(django_filters.FilterSet):
    """The base of every FilterSet; see the module's docstring. ``Meta`` takes, besides django-filter's own:

    * ``search_fields``: the paths ``q`` searches (``q`` is added when there are any; declare
      ``q = SearchFilter(...)`` to give it a label, a help text or a place in the form);
    * ``unfiltered_fields``: ``{"field": "why it has no filter"}``; such a field also gets no generated
      choice filter.

    ``Meta.fields`` is optional: declared filters and the generated choice filters need no listing.
    """

    FILTER_DEFAULTS = {
        **django_filters.filterset.FILTER_FOR_DBFIELD_DEFAULTS,
        models.BooleanField: {"filter_class": StrictBooleanFilter},
    }

    id = IdFilter(label=_("ID"), field_name="pk")

    @classmethod
    def search_fields(cls):
        return tuple(getattr(getattr(cls, "Meta", None), "search_fields", ()))

    @classmethod
    def unfiltered_fields(cls):
        """The declared ``Meta.unfiltered_fields`` and the bookkeeping fields every model has."""
        return {**BOOKKEEPING_FIELDS, **getattr(getattr(cls, "Meta", None), "unfiltered_fields", {})}

    @staticmethod
    def model_fields_of(filters):
        """Names of the model fields (first path step) that ``filters`` filter on; ``q`` counts for the
        fields it searches directly."""
        names = set()
        for filter_ in filters.values():
            names.add(filter_.field_name.split(LOOKUP_SEP)[0])
            if isinstance(filter_, SearchFilter):
                names.update(path for path in filter_.search_fields if LOOKUP_SEP not in path)
        return names

    @classmethod
    def get_fields(cls):
        model = cls._meta.model
        # Declared filters and the generated choice filters need no Meta.fields.
        listed = cls._meta.fields is not None or cls._meta.exclude is not None
        fields = super().get_fields() if listed else {}
        taken = set(fields) | set(cls.declared_filters) | cls.model_fields_of(cls.declared_filters)
        taken |= set(cls.unfiltered_fields())
        for field in model._meta.concrete_fields:
            if field.choices and not field.primary_key and field.name not in taken:
                fields[field.name] = [django_filters.conf.settings.DEFAULT_LOOKUP_EXPR]
        return fields

    @classmethod
    def filter_for_lookup(cls, field, lookup_type):
        filter_class, params = super().filter_for_lookup(field, lookup_type)
        if filter_class is django_filters.ChoiceFilter:
            return MultiValueChoiceFilter, {**params, "label": field.verbose_name}
        return filter_class, params

    @classmethod
    def get_filters(cls):
        filters = super().get_filters()
        model = cls._meta.model
        if model is None:
            return filters
        search_fields = cls.search_fields()
        paths = [_model_field_path(model, path) for path in search_fields]
        if search_fields and "q" not in filters:
            names = [path[-1].verbose_name for path in paths]
            filters["q"] = SearchFilter(
                field_name="q",
                label=_("검색어"),
                help_text=format_lazy("·".join(["{}"] * len(names)), *names),
            )
        for name, filter_ in filters.items():
            if isinstance(filter_, SearchFilter):
                if not search_fields:
                    raise ImproperlyConfigured(
                        f"{cls.__name__}.{name} searches nothing: set Meta.search_fields"
                    )
                # A copy: a declared filter is shared with the subclasses, which may search other fields.
                filter_ = filters[name] = copy.deepcopy(filter_)
                filter_.search_fields = search_fields
                filter_.through_many = any(
                    field.many_to_many or field.one_to_many for path in paths for field in path
                )
        return filters


class DongFilterSet(PortalFilterSet):
    district = MultiValueChoiceFilter(label=_("구"), choices=District.choices)
    is_active = StrictBooleanFilter(label=_("사용"))
    q = SearchFilter(label=_("검색어"))

    class Meta:
        model = Dong
        fields = ["district", "is_active", "q"]
        search_fields = ["name"]
        unfiltered_fields = {"display_order": "the list is already ordered by it (ordering=display_order)"}
