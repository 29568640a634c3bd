"""FilterSets of the social-economy lists, shared by the partner API and the public pages."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.filters import StrictBooleanFilter
from jeonju_center.common.models import Dong

from .models import (
    ConsultingCase,
    Network,
    Organization,
    OrganizationStatus,
    OrganizationType,
    Product,
    ProductCertification,
    Sector,
    Store,
    StoreListing,
    SurveyCampaign,
)


def _search(queryset, fields, value):
    value = value.strip()
    if not value:
        return queryset
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": value})
    return queryset.filter(condition)


class OrganizationFilterSet(django_filters.FilterSet):
    org_type = django_filters.ChoiceFilter(label=_("조직 유형"), choices=OrganizationType.choices)
    sector = django_filters.ChoiceFilter(label=_("업종"), choices=Sector.choices)
    dong = django_filters.ModelChoiceFilter(label=_("행정동"), queryset=Dong.objects.all())
    status = django_filters.ChoiceFilter(label=_("운영 상태"), choices=OrganizationStatus.choices)
    q = django_filters.CharFilter(label=_("검색어"), method="filter_q", help_text=_("조직명·소개"))
    certification_expires_before = django_filters.DateFilter(
        label=_("인증·지정 만료일 이전"),
        field_name="certification_expires_on",
        lookup_expr="lt",
        help_text=_("이 날짜 전에 인증·지정이 만료되는 조직 (YYYY-MM-DD)"),
    )

    class Meta:
        model = Organization
        fields = ["org_type", "sector", "dong", "status", "q", "certification_expires_before"]

    def filter_q(self, queryset, name, value):
        return _search(queryset, ["name", "description"], value)


class ProductFilterSet(django_filters.FilterSet):
    organization = django_filters.ModelChoiceFilter(
        label=_("사회적경제조직"), queryset=Organization.objects.all()
    )
    category = django_filters.ChoiceFilter(label=_("품목 분류"), choices=Product.Category.choices)
    kind = django_filters.ChoiceFilter(label=_("구분"), choices=Product.Kind.choices)
    public_procurement = StrictBooleanFilter(label=_("공공구매 등록"), field_name="is_public_procurement")
    certification = django_filters.ModelChoiceFilter(
        label=_("인증"),
        field_name="certifications",
        to_field_name="code",
        queryset=ProductCertification.objects.all(),
        help_text=_("인증 코드"),
    )
    min_price = django_filters.NumberFilter(label=_("최저 가격(원)"), field_name="price", lookup_expr="gte")
    max_price = django_filters.NumberFilter(label=_("최고 가격(원)"), field_name="price", lookup_expr="lte")
    dong = django_filters.ModelChoiceFilter(
        label=_("행정동"), field_name="organization__dong", queryset=Dong.objects.all()
    )
    org_type = django_filters.ChoiceFilter(
        label=_("조직 유형"), field_name="organization__org_type", choices=OrganizationType.choices
    )
    q = django_filters.CharFilter(label=_("검색어"), method="filter_q", help_text=_("품명·설명·조직명"))
    is_active = StrictBooleanFilter(label=_("판매 중"))
    sold_at_store = StrictBooleanFilter(
        label=_("매장 판매"),
        method="filter_sold_at_store",
        help_text=_("시범매장·직매장 등 오프라인 매장에서 파는 상품"),
    )
    store = django_filters.ModelChoiceFilter(
        label=_("판매 매장"),
        method="filter_store",
        queryset=Store.objects.filter(is_active=True),
        help_text=_("이 매장에서 판매 중인 상품"),
    )

    class Meta:
        model = Product
        fields = [
            "organization",
            "category",
            "kind",
            "public_procurement",
            "certification",
            "min_price",
            "max_price",
            "dong",
            "org_type",
            "q",
            "is_active",
            "sold_at_store",
            "store",
        ]

    def filter_q(self, queryset, name, value):
        return _search(queryset, ["name", "description", "organization__name"], value)

    def filter_sold_at_store(self, queryset, name, value):
        if value is None:
            return queryset
        on_shelf = Exists(
            StoreListing.objects.filter(
                product=OuterRef("pk"), delisted_on__isnull=True, store__is_active=True
            )
        )
        return queryset.filter(on_shelf) if value else queryset.exclude(on_shelf)

    def filter_store(self, queryset, name, value: int):  # the hint documents the parameter (store id)
        if value is None:
            return queryset
        return queryset.filter(
            Exists(StoreListing.objects.filter(product=OuterRef("pk"), store=value, delisted_on__isnull=True))
        )


class SurveyCampaignFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("조사 연도"))
    status = django_filters.ChoiceFilter(label=_("상태"), choices=SurveyCampaign.Status.choices)

    class Meta:
        model = SurveyCampaign
        fields = ["year", "status"]


class StoreFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("매장 유형"), choices=Store.Kind.choices)
    dong = django_filters.ModelChoiceFilter(label=_("행정동"), queryset=Dong.objects.all())
    is_active = StrictBooleanFilter(label=_("운영 중"))

    class Meta:
        model = Store
        fields = ["kind", "dong", "is_active"]


class ConsultingCaseFilterSet(django_filters.FilterSet):
    organization = django_filters.ModelChoiceFilter(
        label=_("사회적경제조직"), queryset=Organization.objects.all()
    )
    topic = django_filters.ChoiceFilter(label=_("분야"), choices=ConsultingCase.Topic.choices)
    status = django_filters.ChoiceFilter(label=_("상태"), choices=ConsultingCase.Status.choices)
    opened_after = django_filters.DateFilter(
        label=_("접수일 이후"), field_name="opened_on", lookup_expr="gte", help_text=_("YYYY-MM-DD")
    )

    class Meta:
        model = ConsultingCase
        fields = ["organization", "topic", "status", "opened_after"]


class NetworkFilterSet(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(label=_("수준"), choices=Network.Level.choices)
    organization = django_filters.ModelChoiceFilter(
        label=_("회원 조직"),
        field_name="memberships__organization",
        queryset=Organization.objects.all(),
        help_text=_("이 조직이 회원인 네트워크"),
    )

    class Meta:
        model = Network
        fields = ["level", "organization"]
