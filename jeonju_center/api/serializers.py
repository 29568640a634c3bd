import copy

from django.utils.translation import get_language
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
