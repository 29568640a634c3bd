import copy

from django.utils.translation import get_language
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

_prototypes = {}


class FastModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer that introspects its model once per class and language.

    DRF rebuilds a ModelSerializer's fields on every request (model introspection, every label and choice
    translated), which costs more than the database work of a detail page. The built fields are kept as a
    prototype and deep-copied, exactly as DRF already does for declared fields.
    """

    def get_fields(self):
        key = (type(self), get_language())
        prototype = _prototypes.get(key)
        if prototype is None:
            prototype = _prototypes[key] = super().get_fields()
        return copy.deepcopy(prototype)


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

    def to_representation(self, value):
        model = self.parent.Meta.model
        key = (model, self.model_field_name, get_language())
        table = _label_tables.get(key)
        if table is None:
            choices = model._meta.get_field(self.model_field_name).flatchoices
            table = _label_tables[key] = {code: str(label) for code, label in choices}
        return table.get(value, value)
