from jeonju_center.api.serializers import FastModelSerializer

from ..models import Dong


class DistrictSerializer(FastModelSerializer):
    """An administrative dong (행정동) of Jeonju."""

    class Meta:
        model = Dong
        fields = ["id", "name", "district", "is_active", "display_order", "updated_at"]
