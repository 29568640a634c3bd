"""Output and input serializers of the social-economy partner API.

Public fields only: no representative name, no survey respondent. Choice fields come with their Korean
label (``<field>_label``), foreign keys as ids with a readable name.
"""

from django.db.models import Manager
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jeonju_center.api.serializers import ChoiceLabelField, FastModelSerializer
from jeonju_center.partners.models import PartnerCenter

from ..models import (
    ConsultingCase,
    ConsultingSession,
    Network,
    NetworkMembership,
    Organization,
    Product,
    Store,
    StoreListing,
    SurveyCampaign,
)


def label(field):
    return ChoiceLabelField(field)


def name_of(source):
    return serializers.CharField(source=source, read_only=True, allow_null=True, default=None)


# --- Organizations ------------------------------------------------------------------------------------


class OrganizationSerializer(FastModelSerializer):
    """A social-economy organization with its published contact data and certification/designation."""

    org_type_label = label("org_type")
    sector_label = label("sector")
    dong_name = name_of("dong.name")
    status_label = label("status")
    social_purpose_type_label = label("social_purpose_type")
    preliminary_kind_label = label("preliminary_kind")
    product_count = serializers.IntegerField(read_only=True, help_text="판매 중인 생산품·서비스 수")

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "org_type",
            "org_type_label",
            "sector",
            "sector_label",
            "status",
            "status_label",
            "closed_on",
            "dong",
            "dong_name",
            "address",
            "phone",
            "email",
            "website",
            "description",
            "business_registration_number",
            "corporate_registration_number",
            "founded_on",
            "employees_count",
            "vulnerable_employees_count",
            "members_count",
            "certification_number",
            "certified_on",
            "certification_expires_on",
            "designating_body",
            "social_purpose_type",
            "social_purpose_type_label",
            "preliminary_kind",
            "preliminary_kind_label",
            "cooperative_filing_number",
            "cooperative_filed_on",
            "cooperative_authority",
            "product_count",
            "created_at",
            "updated_at",
        ]


# --- Products -----------------------------------------------------------------------------------------


class OrganizationNameField(serializers.CharField):
    """The product's organization's name: the ``organization_name`` the API's queryset annotates (one joined
    column instead of a whole organization per row), else read through the relation."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, instance):
        name = getattr(instance, "organization_name", None)
        return name if name is not None else instance.organization.name


def attach_certification_codes(products):
    """Set ``certification_codes`` (sorted) on every product with one query of (product, code) pairs.

    Django's ``prefetch_related`` of a many-to-many builds a related manager and a queryset per product,
    which cost more than the query itself on a page of 100 products.
    """
    codes = {product.pk: [] for product in products}
    if codes:
        pairs = Product.certifications.through.objects.filter(product_id__in=codes).values_list(
            "product_id", "productcertification__code"
        )
        for product_id, code in pairs:
            codes[product_id].append(code)
    for product in products:
        product.certification_codes = sorted(codes[product.pk])
    return products


class ProductListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        products = list(data.all() if isinstance(data, Manager) else data)
        attach_certification_codes(products)
        return [self.child.to_representation(product) for product in products]


class ProductSerializer(FastModelSerializer):
    """A product or service with its organization and certification codes."""

    organization_name = OrganizationNameField()
    kind_label = label("kind")
    category_label = label("category")
    public_procurement = serializers.BooleanField(source="is_public_procurement", read_only=True)
    certifications = serializers.SerializerMethodField(help_text="인증 코드 목록")
    image = serializers.ImageField(read_only=True, use_url=True, allow_null=True)

    class Meta:
        model = Product
        fields = [
            "id",
            "name",
            "organization",
            "organization_name",
            "kind",
            "kind_label",
            "category",
            "category_label",
            "description",
            "price",
            "unit",
            "public_procurement",
            "certifications",
            "image",
            "is_active",
            "created_at",
            "updated_at",
        ]
        list_serializer_class = ProductListSerializer

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_certifications(self, product):
        codes = getattr(product, "certification_codes", None)
        if codes is None:  # a single product (detail): read them directly
            codes = sorted(certification.code for certification in product.certifications.all())
        return codes


class ProductCSVSerializer(ProductSerializer):
    """``?format=csv``: the certification codes in one column, separated by ``;``."""

    @extend_schema_field(OpenApiTypes.STR)
    def get_certifications(self, product):
        return ";".join(super().get_certifications(product))


# --- Survey campaigns ---------------------------------------------------------------------------------


class SurveyCampaignSerializer(FastModelSerializer):
    status_label = label("status")
    response_count = serializers.IntegerField(read_only=True, help_text="응답(조사 대상) 수")
    completed_count = serializers.IntegerField(read_only=True, help_text="제출·검증 완료된 응답 수")

    class Meta:
        model = SurveyCampaign
        fields = [
            "id",
            "name",
            "year",
            "starts_on",
            "ends_on",
            "description",
            "status",
            "status_label",
            "response_count",
            "completed_count",
            "created_at",
            "updated_at",
        ]


class SummaryCountSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()


class SummaryPriceSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="단가를 응답한 생산품 수")
    min = serializers.IntegerField(allow_null=True)
    max = serializers.IntegerField(allow_null=True)
    average = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)


class SummaryCoverageSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="조사 대상(응답 기록) 수")
    responded = serializers.IntegerField(help_text="제출·검증 완료 수")
    verified = serializers.IntegerField(help_text="검증 완료 수")
    declined = serializers.IntegerField(help_text="거절 수")
    not_responded = serializers.IntegerField(help_text="아직 제출하지 않은 수")
    responded_percent = serializers.FloatField()
    verified_percent = serializers.FloatField()


class SummaryOrgTypeSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()


class SummaryCategoryMatrixRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    counts = serializers.ListField(child=serializers.IntegerField(), help_text="org_types 순서의 생산품 수")
    total = serializers.IntegerField()


class SummaryCategoryPriceSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField(help_text="단가를 응답한 생산품 수")
    min = serializers.IntegerField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    max = serializers.IntegerField(allow_null=True)


class SummaryRankingSerializer(SummaryCountSerializer):
    rank = serializers.IntegerField()
    percent = serializers.FloatField(help_text="제출·검증 완료 응답 중 비율(%)")


class SummaryPilotCandidateSerializer(serializers.Serializer):
    organization = serializers.IntegerField()
    organization_name = serializers.CharField()
    org_type = serializers.CharField()
    org_type_label = serializers.CharField()
    dong_name = serializers.CharField()
    ready_product_count = serializers.IntegerField()


class SurveyCampaignSummarySerializer(serializers.Serializer):
    """Aggregates of one survey campaign. Response counts cover every response; the other figures cover
    completed (submitted or verified) responses."""

    campaign = serializers.IntegerField()
    response_count = serializers.IntegerField()
    completed_count = serializers.IntegerField()
    responses_by_status = SummaryCountSerializer(many=True)
    organizations_by_org_type = SummaryCountSerializer(many=True)
    organizations_by_sector = SummaryCountSerializer(many=True)
    products_by_category = SummaryCountSerializer(many=True)
    reported_product_count = serializers.IntegerField()
    total_annual_sales = serializers.IntegerField(allow_null=True)
    price = SummaryPriceSerializer(help_text="응답 단가(원) 통계")
    sales_channels = SummaryCountSerializer(many=True, help_text="판매 경로별 응답 수")
    needs = SummaryCountSerializer(many=True, help_text="지원 필요 분야별 응답 수")
    coverage = SummaryCoverageSerializer(help_text="조사 진척도")
    org_types = SummaryOrgTypeSerializer(many=True, help_text="분류×유형 표의 열 순서")
    products_by_category_and_org_type = SummaryCategoryMatrixRowSerializer(many=True)
    price_by_category = SummaryCategoryPriceSerializer(many=True, help_text="품목 분류별 응답 단가(원)")
    sales_channel_ranking = SummaryRankingSerializer(many=True)
    needs_ranking = SummaryRankingSerializer(many=True)
    pilot_store_candidates = SummaryPilotCandidateSerializer(many=True, help_text="시범매장 입점 후보 조직")


# --- Stores -------------------------------------------------------------------------------------------


class StoreListingSerializer(FastModelSerializer):
    product_name = serializers.CharField(source="product.name", read_only=True)
    organization = serializers.IntegerField(source="product.organization_id", read_only=True)
    organization_name = serializers.CharField(source="product.organization.name", read_only=True)

    class Meta:
        model = StoreListing
        fields = ["product", "product_name", "organization", "organization_name", "shelf_price", "listed_on"]


class StoreSerializer(FastModelSerializer):
    """A store with the products on its shelves now."""

    kind_label = label("kind")
    dong_name = name_of("dong.name")
    listings = StoreListingSerializer(source="open_listings", many=True, read_only=True)

    class Meta:
        model = Store
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "dong",
            "dong_name",
            "address",
            "phone",
            "opened_on",
            "operator",
            "is_active",
            "listings",
            "created_at",
            "updated_at",
        ]


class StoreCSVSerializer(StoreSerializer):
    """``?format=csv``: the number of open listings and the product ids instead of nested rows."""

    listing_count = serializers.SerializerMethodField()
    listings = serializers.SerializerMethodField()

    class Meta(StoreSerializer.Meta):
        fields = [*StoreSerializer.Meta.fields[:-3], "listing_count", "listings", "created_at", "updated_at"]

    @extend_schema_field(OpenApiTypes.INT)
    def get_listing_count(self, store):
        return len(store.open_listings)

    @extend_schema_field(OpenApiTypes.STR)
    def get_listings(self, store):
        return ";".join(str(listing.product_id) for listing in store.open_listings)


# --- Consulting -------------------------------------------------------------------------------------


class ConsultingSessionSerializer(FastModelSerializer):
    class Meta:
        model = ConsultingSession
        fields = ["id", "case", "held_on", "consultant", "hours", "notes", "created_at", "updated_at"]


class ConsultingCaseSerializer(FastModelSerializer):
    """A consulting case of the key's partner center with its sessions."""

    organization_name = serializers.CharField(source="organization.name", read_only=True)
    # The model's foreign key is ``partner``; v1 of the API has always called it ``partner_center``.
    partner_center = serializers.PrimaryKeyRelatedField(
        source="partner",
        queryset=PartnerCenter.objects.all(),
        allow_null=True,
        required=False,
        label=ConsultingCase._meta.get_field("partner").verbose_name,
    )
    partner_center_name = name_of("partner.name")
    topic_label = label("topic")
    status_label = label("status")
    session_count = serializers.IntegerField(read_only=True)
    total_hours = serializers.DecimalField(
        max_digits=8, decimal_places=1, read_only=True, allow_null=True, help_text="회차 시간 합계"
    )
    sessions = ConsultingSessionSerializer(many=True, read_only=True)

    class Meta:
        model = ConsultingCase
        fields = [
            "id",
            "organization",
            "organization_name",
            "partner_center",
            "partner_center_name",
            "topic",
            "topic_label",
            "title",
            "opened_on",
            "closed_on",
            "status",
            "status_label",
            "summary",
            "outcome",
            "session_count",
            "total_hours",
            "sessions",
            "created_at",
            "updated_at",
        ]


class ConsultingCaseCSVSerializer(ConsultingCaseSerializer):
    """``?format=csv``: one row per case; the sessions are summed up by ``session_count``/``total_hours``."""

    class Meta(ConsultingCaseSerializer.Meta):
        fields = [field for field in ConsultingCaseSerializer.Meta.fields if field != "sessions"]


class ConsultingCaseInputSerializer(serializers.Serializer):
    """A new consulting case; the partner center is the API key's, never taken from the request."""

    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    topic = serializers.ChoiceField(choices=ConsultingCase.Topic.choices)
    title = serializers.CharField(max_length=200)
    opened_on = serializers.DateField()
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class ConsultingSessionInputSerializer(serializers.Serializer):
    held_on = serializers.DateField()
    consultant = serializers.CharField(max_length=100)
    hours = serializers.DecimalField(
        max_digits=4, decimal_places=1, help_text="0보다 큰 시간 (소수 첫째 자리까지)"
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


# --- Networks -----------------------------------------------------------------------------------------


class NetworkMembershipSerializer(FastModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    role_label = label("role")

    class Meta:
        model = NetworkMembership
        fields = ["organization", "organization_name", "role", "role_label", "joined_on", "left_on"]


class NetworkSerializer(FastModelSerializer):
    level_label = label("level")
    memberships = NetworkMembershipSerializer(many=True, read_only=True)

    class Meta:
        model = Network
        fields = [
            "id",
            "name",
            "level",
            "level_label",
            "description",
            "founded_on",
            "website",
            "memberships",
            "created_at",
            "updated_at",
        ]


class NetworkCSVSerializer(NetworkSerializer):
    """``?format=csv``: the member count and the current members' organization ids."""

    member_count = serializers.SerializerMethodField()
    memberships = serializers.SerializerMethodField()

    class Meta(NetworkSerializer.Meta):
        fields = [
            *NetworkSerializer.Meta.fields[:-3],
            "member_count",
            "memberships",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(OpenApiTypes.INT)
    def get_member_count(self, network):
        return sum(1 for membership in network.memberships.all() if membership.left_on is None)

    @extend_schema_field(OpenApiTypes.STR)
    def get_memberships(self, network):
        return ";".join(
            str(membership.organization_id)
            for membership in network.memberships.all()
            if membership.left_on is None
        )
