"""FilterSets of the social-economy lists, shared by the partner API and the public pages."""

import django_filters
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.filters import (
    MultiValueChoiceFilter,
    PortalFilterSet,
    SearchFilter,
    StrictBooleanFilter,
    Unfiltered,
)
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


class OrganizationFilterSet(PortalFilterSet):
    org_type = MultiValueChoiceFilter(label=_("조직 유형"), choices=OrganizationType.choices)
    sector = MultiValueChoiceFilter(label=_("업종"), choices=Sector.choices)
    dong = django_filters.ModelChoiceFilter(label=_("행정동"), queryset=Dong.objects.all())
    status = MultiValueChoiceFilter(label=_("운영 상태"), choices=OrganizationStatus.choices)
    q = SearchFilter(label=_("검색어"), help_text=_("조직명·소개"))
    certification_expires_before = django_filters.DateFilter(
        label=_("인증·지정 만료일 이전"),
        field_name="certification_expires_on",
        lookup_expr="lt",
        help_text=_("이 날짜 전에 인증·지정이 만료되는 조직 (YYYY-MM-DD)"),
    )

    class Meta:
        model = Organization
        fields = ["org_type", "sector", "dong", "status", "q", "certification_expires_before"]
        search_fields = ["name", "description"]
        unfiltered_fields = {
            "representative_name": Unfiltered.PERSONAL,
            "representative_anonymised_at": Unfiltered.ERASURE,
            "business_registration_number": Unfiltered.DETAIL,
            "corporate_registration_number": Unfiltered.DETAIL,
            "certification_number": Unfiltered.DETAIL,
            "cooperative_filing_number": Unfiltered.DETAIL,
            "address": Unfiltered.CONTACT,
            "phone": Unfiltered.CONTACT,
            "email": Unfiltered.CONTACT,
            "website": Unfiltered.CONTACT,
            "founded_on": Unfiltered.DETAIL,
            "closed_on": "status=closed selects the closed ones",
            "certified_on": "certification_expires_before is the date partners select by",
            "cooperative_filed_on": Unfiltered.DETAIL,
            "designating_body": Unfiltered.DETAIL,
            "cooperative_authority": Unfiltered.DETAIL,
            "employees_count": "a figure; an ordering key (ordering=-employees_count)",
            "vulnerable_employees_count": Unfiltered.DETAIL,
            "members_count": Unfiltered.DETAIL,
        }


class ProductFilterSet(PortalFilterSet):
    organization = django_filters.ModelChoiceFilter(
        label=_("사회적경제조직"), queryset=Organization.objects.all()
    )
    category = MultiValueChoiceFilter(label=_("품목 분류"), choices=Product.Category.choices)
    kind = MultiValueChoiceFilter(label=_("구분"), choices=Product.Kind.choices)
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
    org_type = MultiValueChoiceFilter(
        label=_("조직 유형"), field_name="organization__org_type", choices=OrganizationType.choices
    )
    q = SearchFilter(label=_("검색어"), help_text=_("품명·설명·조직명"))
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
        search_fields = ["name", "description", "organization__name"]
        unfiltered_fields = {
            "unit": Unfiltered.DETAIL,
            "image": "a file",
        }

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


class SurveyCampaignFilterSet(PortalFilterSet):
    year = django_filters.NumberFilter(label=_("조사 연도"))
    status = MultiValueChoiceFilter(label=_("상태"), choices=SurveyCampaign.Status.choices)

    class Meta:
        model = SurveyCampaign
        fields = ["year", "status"]
        search_fields = ["name", "description"]
        unfiltered_fields = {
            "starts_on": "year selects a campaign; its dates are shown on it",
            "ends_on": "year selects a campaign; its dates are shown on it",
            "reminder_round": Unfiltered.NOT_PUBLIC,
            "reminder_round_started_at": Unfiltered.NOT_PUBLIC,
            "reminder_round_sent_at": Unfiltered.NOT_PUBLIC,
        }


class StoreFilterSet(PortalFilterSet):
    kind = MultiValueChoiceFilter(label=_("매장 유형"), choices=Store.Kind.choices)
    dong = django_filters.ModelChoiceFilter(label=_("행정동"), queryset=Dong.objects.all())
    is_active = StrictBooleanFilter(label=_("운영 중"))

    class Meta:
        model = Store
        fields = ["kind", "dong", "is_active"]
        search_fields = ["name", "address", "operator"]
        unfiltered_fields = {
            "phone": Unfiltered.CONTACT,
            "opened_on": Unfiltered.DETAIL,
        }


class ConsultingCaseFilterSet(PortalFilterSet):
    organization = django_filters.ModelChoiceFilter(
        label=_("사회적경제조직"), queryset=Organization.objects.all()
    )
    topic = MultiValueChoiceFilter(label=_("분야"), choices=ConsultingCase.Topic.choices)
    status = MultiValueChoiceFilter(label=_("상태"), choices=ConsultingCase.Status.choices)
    opened_after = django_filters.DateFilter(
        label=_("접수일 이후"), field_name="opened_on", lookup_expr="gte", help_text=_("YYYY-MM-DD")
    )

    class Meta:
        model = ConsultingCase
        fields = ["organization", "topic", "status", "opened_after"]
        search_fields = ["title", "summary", "organization__name"]
        unfiltered_fields = {
            "partner": "a key reads its own center's cases and no other's",
            "closed_on": "status=closed selects the closed ones",
            "consultant": Unfiltered.NOT_PUBLIC,
            "outcome": "long text shown on the case; q searches the title and summary",
        }


class NetworkFilterSet(PortalFilterSet):
    level = MultiValueChoiceFilter(label=_("수준"), choices=Network.Level.choices)
    organization = django_filters.ModelChoiceFilter(
        label=_("회원 조직"),
        field_name="memberships__organization",
        queryset=Organization.objects.all(),
        help_text=_("이 조직이 회원인 네트워크"),
    )

    class Meta:
        model = Network
        fields = ["level", "organization"]
        search_fields = ["name", "description"]
        unfiltered_fields = {
            "founded_on": Unfiltered.DETAIL,
            "website": Unfiltered.CONTACT,
        }
