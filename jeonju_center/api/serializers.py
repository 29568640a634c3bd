import copy
from functools import partial
from operator import attrgetter

from django.db import models
from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import fields as drf_fields
from rest_framework import relations, serializers

_prototypes = {}

# Field classes whose instances hold configuration only (no request, no nested serializer), so a shallow copy
# of an unbound prototype is as good as the deep copy DRF makes, and whose value is read from a model field
# with plain attribute access. Exact classes: a subclass may read or convert differently.
_PLAIN_FIELDS = {
    drf_fields.BooleanField,
    drf_fields.CharField,
    drf_fields.ChoiceField,
    drf_fields.DateField,
    drf_fields.DateTimeField,
    drf_fields.DecimalField,
    drf_fields.EmailField,
    drf_fields.FloatField,
    drf_fields.IntegerField,
    drf_fields.SlugField,
    drf_fields.URLField,
    drf_fields.UUIDField,
    relations.PrimaryKeyRelatedField,
}


def _identity(value):
    return value


def _with_blank_choices_declared(model, fields):
    """A choice column that may be blank ("심사 전") sends "" as it is: DRF drops ``allow_blank`` from read-only
    fields, so the schema's enum would not list it. Declaring it puts "" in the schema (a blank enum beside the
    choices) without changing a byte of the responses."""
    concrete = {field.name: field for field in model._meta.concrete_fields}
    for name, field in fields.items():
        model_field = concrete.get(field.source or name)
        if (
            isinstance(field, serializers.ChoiceField)
            and model_field is not None
            and model_field.choices
            and model_field.blank
            and not model_field.null
        ):
            field.allow_blank = True
    return fields


class FastModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer that introspects its model once per class and language.

    DRF rebuilds a ModelSerializer's fields on every request (model introspection, every label and choice
    translated), which costs more than the database work of a detail page. The built fields are kept as a
    prototype and deep-copied, exactly as DRF already does for declared fields.
    """

    # (The docstring above is inherited by serializers without their own and so is part of the committed
    # OpenAPI schema: the details are here.)
    # * Plain fields (``_PLAIN_FIELDS``: configuration only, no request, no nested serializer) are copied
    #   from the prototype shallowly, the others deeply.
    # * ``to_representation`` reads a plain model field with one ``getattr`` and converts it with the field's
    #   own ``to_representation`` (a foreign key: its id; ``ChoiceLabelField``: a prebuilt table), instead of
    #   DRF's generic attribute lookup per field and row; every other field goes through DRF unchanged. The
    #   output is byte for byte DRF's (tests/api/test_fast_serializer.py compares every resource).

    def get_fields(self):
        key = (type(self), get_language())
        prototype = _prototypes.get(key)
        if prototype is None:
            prototype = _prototypes[key] = _with_blank_choices_declared(self.Meta.model, super().get_fields())
        return {
            name: copy.copy(field) if type(field) in _PLAIN_FIELDS else copy.deepcopy(field)
            for name, field in prototype.items()
        }

    def _representation_plan(self):
        plan = getattr(self, "_plan", None)
        if plan is not None:
            return plan
        model = self.Meta.model
        concrete = {field.name: field for field in model._meta.concrete_fields}
        plan = []
        for field in self._readable_fields:
            source = field.source_attrs[0] if len(field.source_attrs) == 1 else None
            model_field = concrete.get(source)
            if isinstance(field, ChoiceLabelField) and model_field is not None:
                table = field.label_table()
                plan.append((field.field_name, attrgetter(source), partial(_label_of, table), None))
            elif (
                type(field) is relations.PrimaryKeyRelatedField
                and model_field is not None
                and model_field.is_relation
            ):
                # DRF reads the id without loading the related row, and shows it as is.
                plan.append((field.field_name, attrgetter(model_field.attname), _identity, None))
            elif type(field) in _PLAIN_FIELDS and model_field is not None and not model_field.is_relation:
                plan.append((field.field_name, attrgetter(source), field.to_representation, None))
            else:
                plan.append((field.field_name, None, None, field))
        self._plan = plan
        return plan

    def to_representation(self, instance):
        if not isinstance(instance, models.Model):
            return super().to_representation(instance)
        ret = {}
        for name, read, convert, field in self._representation_plan():
            if field is None:
                value = read(instance)
                ret[name] = None if value is None else convert(value)
                continue
            # DRF's own path for everything else (method fields, nested serializers, files, dotted sources).
            try:
                attribute = field.get_attribute(instance)
            except drf_fields.SkipField:
                continue
            check_for_none = attribute.pk if isinstance(attribute, relations.PKOnlyObject) else attribute
            ret[name] = None if check_for_none is None else field.to_representation(attribute)
        return ret


_label_tables = {}


@extend_schema_field(OpenApiTypes.STR)
class ChoiceLabelField(serializers.Field):
    """The label of a model field's choice value (``"cooperative"`` → ``"일반협동조합"``), read-only.

    Same result as ``get_FOO_display()``, but looked up in a table built once per model field and language:
    ``get_FOO_display`` rebuilds its choices mapping on every call, which dominated long lists.
    """

    def __init__(self, field_name, **kwargs):
        self.model_field_name = field_name
        super().__init__(source=field_name, read_only=True, **kwargs)

    def label_table(self):
        """``{value: label}`` of the current language; unknown values are shown as they are."""
        model = self.parent.Meta.model
        key = (model, self.model_field_name, get_language())
        table = _label_tables.get(key)
        if table is None:
            choices = model._meta.get_field(self.model_field_name).flatchoices
            table = _label_tables[key] = {code: str(label) for code, label in choices}
        return table

    def to_representation(self, value):
        return _label_of(self.label_table(), value)


def _label_of(table, value):
    # ``get_FOO_display()`` shows a value without a label as the value itself.
    return table.get(value, value)
