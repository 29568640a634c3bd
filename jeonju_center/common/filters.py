import django_filters
from django.utils.translation import gettext_lazy as _

from .models import District, Dong


class DongFilterSet(django_filters.FilterSet):
    district = django_filters.ChoiceFilter(label=_("구"), choices=District.choices)
    is_active = django_filters.BooleanFilter(label=_("사용"))
    q = django_filters.CharFilter(label=_("검색어"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = Dong
        fields = ["district", "is_active", "q"]
