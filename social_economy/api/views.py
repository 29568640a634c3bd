from django.db.models import OuterRef, Subquery
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from jeonju_center.api.views import IdempotentCreateMixin, PartnerReadOnlyViewSet
from jeonju_center.partners.models import PartnerAPIKey
from jeonju_center.partners.permissions import PartnerScopePermission

from .. import selectors, services
from ..filters import (
    ConsultingCaseFilterSet,
    NetworkFilterSet,
    OrganizationFilterSet,
    ProductFilterSet,
    StoreFilterSet,
    SurveyCampaignFilterSet,
)
from ..models import Organization, Product
from .serializers import (
    ConsultingCaseCSVSerializer,
    ConsultingCaseInputSerializer,
    ConsultingCaseSerializer,
    ConsultingSessionInputSerializer,
    ConsultingSessionSerializer,
    NetworkCSVSerializer,
    NetworkSerializer,
    OrganizationSerializer,
    ProductCSVSerializer,
    ProductSerializer,
    StoreCSVSerializer,
    StoreSerializer,
    SurveyCampaignSerializer,
    SurveyCampaignSummarySerializer,
)

READ_SCOPE = "social_economy:read"
ERROR_RESPONSES = {
    400: OpenApiResponse(description="입력값 오류 ({code, detail, errors})"),
    403: OpenApiResponse(description="권한(scope) 없음"),
}
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description="재시도해도 한 번만 등록되게 하는 요청별 고유 값 (같은 키의 재요청은 첫 응답을 돌려받습니다).",
)


class CSVSerializerMixin:
    """``?format=csv`` rows use ``csv_serializer_class``, which folds nested lists into flat columns."""

    csv_serializer_class = None

    def get_serializer_class(self):
        renderer = getattr(getattr(self, "request", None), "accepted_renderer", None)
        if self.csv_serializer_class and getattr(renderer, "format", None) == "csv":
            return self.csv_serializer_class
        return super().get_serializer_class()


@extend_schema_view(
    list=extend_schema(summary="사회적경제조직 목록", tags=["organizations"]),
    retrieve=extend_schema(summary="사회적경제조직", tags=["organizations"]),
)
class OrganizationViewSet(PartnerReadOnlyViewSet):
    """Social-economy organizations with their published contact data, certification or designation and
    number of active products. No representative names."""

    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet
    read_scope = READ_SCOPE
    ordering_fields = ["name", "founded_on", "updated_at", "employees_count"]
    ordering = ["name", "id"]
    cache_pages = True  # the organization, its dong and its products are all in the change feed

    def get_queryset(self):
        return selectors.organization_list()


@extend_schema_view(
    list=extend_schema(summary="생산품·서비스 목록", tags=["products"]),
    retrieve=extend_schema(summary="생산품·서비스", tags=["products"]),
)
class ProductViewSet(CSVSerializerMixin, PartnerReadOnlyViewSet):
    """Products and services of the organizations, with their certification codes."""

    serializer_class = ProductSerializer
    csv_serializer_class = ProductCSVSerializer
    filterset_class = ProductFilterSet
    read_scope = READ_SCOPE
    ordering_fields = ["name", "price", "updated_at"]
    ordering = ["name", "id"]
    cache_pages = True

    def get_queryset(self):
        # The organization's name as one column, and the certification codes in one query per page
        # (ProductListSerializer): model instances and prefetch managers cost more than the SQL here.
        # A subquery rather than a join, so that the page's COUNT(*) does not join 300,000 rows either.
        name = Organization.objects.filter(pk=OuterRef("organization_id")).values("name")[:1]
        return Product.objects.annotate(organization_name=Subquery(name))


@extend_schema_view(
    list=extend_schema(summary="전수조사 목록", tags=["survey-campaigns"]),
    retrieve=extend_schema(summary="전수조사", tags=["survey-campaigns"]),
    summary=extend_schema(
        summary="전수조사 결과 요약",
        tags=["survey-campaigns"],
        responses={200: SurveyCampaignSummarySerializer},
    ),
)
class SurveyCampaignViewSet(PartnerReadOnlyViewSet):
    """Survey campaigns (전수조사) with their number of responses; ``summary`` aggregates the results.
    No respondent data."""

    serializer_class = SurveyCampaignSerializer
    filterset_class = SurveyCampaignFilterSet
    read_scope = READ_SCOPE
    ordering_fields = ["year", "starts_on", "name", "updated_at"]
    ordering = ["-year", "-starts_on", "id"]

    def get_queryset(self):
        return selectors.survey_campaign_list()

    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def summary(self, request, pk=None):
        campaign = self.get_object()
        # The same analysis as the back-office report (상품 분석), so both show the same numbers.
        data = selectors.survey_campaign_analysis(campaign=campaign)
        return Response(SurveyCampaignSummarySerializer(data).data)


@extend_schema_view(
    list=extend_schema(summary="매장 목록", tags=["stores"]),
    retrieve=extend_schema(summary="매장", tags=["stores"]),
)
class StoreViewSet(CSVSerializerMixin, PartnerReadOnlyViewSet):
    """Stores (pilot store, Jeonju Food direct stores) with the products on their shelves now."""

    serializer_class = StoreSerializer
    csv_serializer_class = StoreCSVSerializer
    filterset_class = StoreFilterSet
    read_scope = READ_SCOPE
    ordering_fields = ["name", "opened_on", "updated_at"]
    ordering = ["name", "id"]

    def get_queryset(self):
        return selectors.store_list()


class ConsultingCasePermission(PartnerScopePermission):
    """Reading needs ``social_economy:read``, except that a key that writes consulting cases
    (``consulting:write``) may always read its own."""

    def has_permission(self, request, view):
        if (
            request.method in SAFE_METHODS
            and isinstance(request.auth, PartnerAPIKey)
            and request.auth.has_scope(view.write_scope)
        ):
            return True
        return super().has_permission(request, view)


class _RunCreate:
    """Lets ``IdempotentCreateMixin`` wrap any handler, not only a viewset's ``create``."""

    def __init__(self, handler):
        self.handler = handler

    def create(self, request, *args, **kwargs):
        return self.handler(request, *args, **kwargs)


class _IdempotentRun(IdempotentCreateMixin, _RunCreate):
    pass


@extend_schema_view(
    list=extend_schema(summary="컨설팅 목록 (우리 기관)", tags=["consulting-cases"]),
    retrieve=extend_schema(summary="컨설팅 (우리 기관)", tags=["consulting-cases"]),
    create=extend_schema(
        summary="컨설팅 등록",
        tags=["consulting-cases"],
        request=ConsultingCaseInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={201: ConsultingCaseSerializer, **ERROR_RESPONSES},
    ),
    sessions=extend_schema(
        summary="컨설팅 회차 등록",
        tags=["consulting-cases"],
        request=ConsultingSessionInputSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={
            201: ConsultingSessionSerializer,
            **ERROR_RESPONSES,
            404: OpenApiResponse(description="없는 사례"),
        },
    ),
)
class ConsultingCaseViewSet(CSVSerializerMixin, PartnerReadOnlyViewSet):
    """Consulting cases delivered with the key's partner center (staff see every case), with their
    sessions. With ``consulting:write`` a partner creates cases and adds sessions; both accept an
    ``Idempotency-Key`` header so a retried POST does not create a duplicate."""

    serializer_class = ConsultingCaseSerializer
    csv_serializer_class = ConsultingCaseCSVSerializer
    filterset_class = ConsultingCaseFilterSet
    permission_classes = [ConsultingCasePermission]
    read_scope = READ_SCOPE
    write_scope = "consulting:write"
    ordering_fields = ["opened_on", "updated_at"]
    ordering = ["-opened_on", "-id"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return selectors.consulting_case_list(all_partners=True)
        auth = self.request.auth
        if isinstance(auth, PartnerAPIKey):
            return selectors.consulting_case_list(partner=auth.partner)
        user = self.request.user
        return selectors.consulting_case_list(all_partners=bool(user and user.is_staff))

    def _partner(self):
        auth = self.request.auth
        return auth.partner if isinstance(auth, PartnerAPIKey) else None

    def create(self, request, *args, **kwargs):
        return _IdempotentRun(self._create_case).create(request)

    def _create_case(self, request):
        serializer = ConsultingCaseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = services.consulting_case_create(
            partner=self._partner(), actor=request.user, **serializer.validated_data
        )
        case = self.get_queryset().get(pk=case.pk)
        return Response(ConsultingCaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def sessions(self, request, pk=None):
        return _IdempotentRun(self._create_session).create(request)

    def _create_session(self, request):
        case = self.get_object()  # only the partner's own cases: another partner's is a 404
        serializer = ConsultingSessionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        session = services.consulting_session_create(
            case=case, actor=request.user, **serializer.validated_data
        )
        return Response(ConsultingSessionSerializer(session).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(summary="네트워크 목록", tags=["networks"]),
    retrieve=extend_schema(summary="네트워크", tags=["networks"]),
)
class NetworkViewSet(CSVSerializerMixin, PartnerReadOnlyViewSet):
    """Local, provincial and national networks with their member organizations."""

    serializer_class = NetworkSerializer
    csv_serializer_class = NetworkCSVSerializer
    filterset_class = NetworkFilterSet
    read_scope = READ_SCOPE
    ordering_fields = ["name", "founded_on", "updated_at"]
    ordering = ["level", "name", "id"]

    def get_queryset(self):
        return selectors.network_list()
