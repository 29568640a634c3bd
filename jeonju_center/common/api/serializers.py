from rest_framework import serializers

from ..models import Dong


class DistrictSerializer(serializers.ModelSerializer):
    """An administrative dong (행정동) of Jeonju."""

    class Meta:
        model = Dong
        fields = ["id", "name", "district", "is_active", "display_order", "updated_at"]
