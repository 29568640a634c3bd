"""Every FilterSet of the portal stands on ``PortalFilterSet`` and accounts for every field of its model (after
NetBox's ``test_missing_filters``).

The rule: every concrete field of the FilterSet's model (its columns, foreign keys and many-to-many fields) has
a filter (a filter on it or through it, or ``q`` searching it) or an entry in ``Meta.unfiltered_fields`` with
the reason. Every field rather than the fields of the API output: a field added to a model then fails here
until someone decides, and a new personal field cannot become filterable by accident. Two more rules keep
filters from revealing what a list does not show: no filter or search reaches a model's
``PERSONAL_DATA_FIELDS``, and an API list filters and searches only on fields its output shows."""

import importlib

import django_filters
import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models.constants import LOOKUP_SEP

from jeonju_center.api.routes import all_routes
from jeonju_center.common.filters import BOOKKEEPING_FIELDS, PortalFilterSet, Unfiltered

# The modules that define the portal's FilterSets: each app's filters.py and its API views.
FILTERSET_MODULES = ("filters", "api.views", "views")


def _import_filterset_modules():
    for config in apps.get_app_configs():
        if not config.path.startswith(str(settings.BASE_DIR)) or "site-packages" in config.path:
            continue
        for name in FILTERSET_MODULES:
            module_name = f"{config.name}.{name}"
            try:
                importlib.import_module(module_name)
            except ModuleNotFoundError as error:
                if not module_name.startswith(error.name):
                    raise


def _subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _subclasses(subclass)


def _is_portal_code(cls):
    module = cls.__module__
    return not module.startswith(("django_filters", "rest_framework", "tests.")) and module != __name__


_import_filterset_modules()
# Every FilterSet of the project, found as subclasses of django-filter's base rather than listed, so a new one
# is checked without being added here.
PROJECT_FILTERSETS = sorted(
    {cls for cls in _subclasses(django_filters.FilterSet) if _is_portal_code(cls)},
    key=lambda cls: f"{cls.__module__}.{cls.__name__}",
)
FILTERSETS = [cls for cls in PROJECT_FILTERSETS if cls is not PortalFilterSet]
API_LISTS = [
    (prefix, viewset) for prefix, viewset, *_rest in all_routes() if getattr(viewset, "filterset_class", None)
]


def _name(cls):
    return f"{cls.__module__}.{cls.__name__}"


def _model_fields(model):
    """The fields the rule covers: columns and foreign keys, and forward many-to-many fields."""
    return [*model._meta.concrete_fields, *model._meta.many_to_many]


def _steps(model, path):
    """(model, field) for each step of ``path`` that is a model field; stops at the first one that is not (a
    method filter's own name)."""
    steps = []
    for part in path.split(LOOKUP_SEP):
        if model is None:
            break
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            break
        steps.append((model, field))
        model = field.related_model
    return steps


def _filtered_paths(filterset):
    """Every model path a FilterSet reads: its filters' fields and its search fields."""
    paths = [filter_.field_name for filter_ in filterset.base_filters.values()]
    return [*paths, *filterset.search_fields()]


def test_the_project_has_filtersets_and_all_stand_on_the_portal_base():
    assert len(FILTERSETS) >= 16, [_name(cls) for cls in FILTERSETS]
    not_portal = [_name(cls) for cls in PROJECT_FILTERSETS if not issubclass(cls, PortalFilterSet)]
    assert not_portal == []


def test_every_api_list_filters_with_a_portal_filterset():
    lists = [prefix for prefix, viewset, *_rest in all_routes() if hasattr(viewset, "list")]
    assert sorted(prefix for prefix, _viewset in API_LISTS) == sorted(lists)
    assert [
        prefix for prefix, viewset in API_LISTS if not issubclass(viewset.filterset_class, PortalFilterSet)
    ] == []
    # README, Partner API: every list takes ?id= and ?q=.
    assert [
        prefix
        for prefix, viewset in API_LISTS
        if not {"id", "q"} <= set(viewset.filterset_class.base_filters)
    ] == []


@pytest.mark.parametrize("filterset", FILTERSETS, ids=_name)
def test_every_model_field_has_a_filter_or_a_reason(filterset):
    model = filterset._meta.model
    assert model is not None, "a FilterSet names its model (Meta.model)"
    filtered = PortalFilterSet.model_fields_of(filterset.base_filters)
    unfiltered = filterset.unfiltered_fields()
    missing = [
        field.name
        for field in _model_fields(model)
        if not (field.primary_key and "id" in filterset.base_filters)
        and field.name not in filtered
        and field.name not in unfiltered
    ]
    assert missing == [], (
        f"{_name(filterset)}: give these {model.__name__} fields a filter, or list them in "
        f"Meta.unfiltered_fields with the reason"
    )


@pytest.mark.parametrize("filterset", FILTERSETS, ids=_name)
def test_unfiltered_fields_are_fields_of_the_model_with_a_reason(filterset):
    model = filterset._meta.model
    declared = getattr(filterset.Meta, "unfiltered_fields", {})
    field_names = {field.name for field in _model_fields(model)}
    assert [name for name in declared if name not in field_names] == [], "no such field (renamed or removed?)"
    assert [
        name for name, reason in declared.items() if not (isinstance(reason, str) and reason.strip())
    ] == []
    filtered = PortalFilterSet.model_fields_of(filterset.base_filters)
    assert sorted(set(declared) & filtered) == [], "a field cannot both have a filter and a reason not to"
    assert set(BOOKKEEPING_FIELDS) <= set(filterset.unfiltered_fields())


@pytest.mark.parametrize("filterset", FILTERSETS, ids=_name)
def test_no_filter_or_search_reaches_personal_data(filterset):
    model = filterset._meta.model
    reaching = [
        path
        for path in _filtered_paths(filterset)
        for step_model, field in _steps(model, path)
        if field.name in getattr(step_model, "PERSONAL_DATA_FIELDS", ())
    ]
    assert reaching == []
    unfiltered = filterset.unfiltered_fields()
    personal = getattr(model, "PERSONAL_DATA_FIELDS", ())
    assert {name: unfiltered.get(name) for name in personal} == dict.fromkeys(personal, Unfiltered.PERSONAL)


def _shown_by(serializer_class):
    """The first step of every model path the serializer's output shows (``source`` included)."""
    shown = set()
    for name, field in serializer_class().fields.items():
        shown.add(name)
        if field.source and field.source != "*":
            shown.add(field.source.split(".")[0])
    return shown


@pytest.mark.parametrize(("prefix", "viewset"), API_LISTS, ids=[prefix for prefix, _viewset in API_LISTS])
def test_an_api_list_filters_and_searches_only_what_its_output_shows(prefix, viewset):
    filterset = viewset.filterset_class
    shown = _shown_by(viewset.serializer_class)
    hidden = sorted(
        {
            steps[0][1].name
            for path in _filtered_paths(filterset)
            if (steps := _steps(filterset._meta.model, path))
            and not getattr(steps[0][1], "primary_key", False)
        }
        - shown
    )
    assert hidden == [], f"/api/v1/{prefix}/ filters on fields its output does not show"


def test_a_search_field_that_does_not_exist_fails_when_the_class_is_made():
    from jeonju_center.common.models import Dong

    with pytest.raises(ImproperlyConfigured, match="no field 'nickname'"):

        class Misspelt(PortalFilterSet):
            class Meta:
                model = Dong
                search_fields = ["nickname"]


def test_a_declared_q_without_search_fields_fails_when_the_class_is_made():
    from jeonju_center.common.filters import SearchFilter
    from jeonju_center.common.models import Dong

    with pytest.raises(ImproperlyConfigured, match=r"set Meta\.search_fields"):

        class SearchesNothing(PortalFilterSet):
            q = SearchFilter()

            class Meta:
                model = Dong


def test_the_check_sees_a_field_without_a_filter():
    """The coverage rule is not vacuous: a FilterSet that forgets a field is reported."""
    from jeonju_center.common.models import Dong

    class Forgetful(PortalFilterSet):
        class Meta:
            model = Dong
            unfiltered_fields = {"name": "test"}

    filtered = PortalFilterSet.model_fields_of(Forgetful.base_filters)
    missing = [
        field.name
        for field in _model_fields(Dong)
        if not field.primary_key
        and field.name not in filtered
        and field.name not in Forgetful.unfiltered_fields()
    ]
    # district has choices, so it got a generated filter; is_active and display_order did not.
    assert missing == ["is_active", "display_order"]
    assert type(Forgetful.base_filters["district"]).__name__ == "MultiValueChoiceFilter"
