import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from .models import District, Dong

TRUE_VALUES = {"true", "1", "on", "yes"}
FALSE_VALUES = {"false", "0", "off", "no"}


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


class DongFilterSet(django_filters.FilterSet):
    district = django_filters.ChoiceFilter(label=_("구"), choices=District.choices)
    is_active = StrictBooleanFilter(label=_("사용"))
    q = django_filters.CharFilter(label=_("검색어"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = Dong
        fields = ["district", "is_active", "q"]
