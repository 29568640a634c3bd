from drf_spectacular.utils import extend_schema, extend_schema_view

from jeonju_center.api.views import PartnerReadOnlyViewSet

from ..filters import DongFilterSet
from ..models import Dong
from .serializers import DistrictSerializer


@extend_schema_view(
    list=extend_schema(summary="행정동 목록", tags=["districts"]),
    retrieve=extend_schema(summary="행정동", tags=["districts"]),
)
class DistrictViewSet(PartnerReadOnlyViewSet):
    """Jeonju's administrative dongs, the key every other resource's ``dong`` refers to. Public."""

    queryset = Dong.objects.all()
    serializer_class = DistrictSerializer
    filterset_class = DongFilterSet
    public_read = True
    ordering_fields = ["name", "district", "display_order", "updated_at"]
    ordering = ["district", "display_order", "id"]
