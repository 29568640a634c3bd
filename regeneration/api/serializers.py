"""Output serializers of the regeneration resources. Public fields only: no address, owner, tenant or
council-member data, no internal notes and no per-member attendance."""

from decimal import ROUND_HALF_UP

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jeonju_center.api.serializers import ChoiceLabelField, FastModelSerializer

from ..models import (
    GRADE_LABELS,
    ActivationArea,
    CouncilMeeting,
    HousingProgram,
    ResidentCouncil,
    VacantHouse,
)


class ActivationAreaSerializer(FastModelSerializer):
    """도시재생활성화지역."""

    area_type_label = ChoiceLabelField("area_type")
    dongs = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="포함 행정동 id")
    dong_names = serializers.SlugRelatedField(
        source="dongs", slug_field="name", many=True, read_only=True, help_text="포함 행정동 이름"
    )
    council = serializers.IntegerField(
        source="council_ref", read_only=True, allow_null=True, help_text="주민협의체 id (없으면 null)"
    )
    council_name = serializers.CharField(read_only=True, allow_null=True)

    class Meta:
        model = ActivationArea
        fields = [
            "id",
            "name",
            "area_type",
            "area_type_label",
            "designated_on",
            "ends_on",
            "dongs",
            "dong_names",
            "description",
            "size_m2",
            "project_budget",
            "council",
            "council_name",
            "updated_at",
        ]


class RoundedCoordinateField(serializers.DecimalField):
    """Three decimals (about 100 m): enough for statistics and maps, too coarse to point at one house."""

    def __init__(self, **kwargs):
        super().__init__(
            max_digits=6, decimal_places=3, rounding=ROUND_HALF_UP, read_only=True, allow_null=True, **kwargs
        )


class VacantHouseSerializer(FastModelSerializer):
    """빈집 (통계용 공개 대장): no address, owner data or internal note; coordinates rounded to ~100 m."""

    dong_name = serializers.CharField(source="dong.name", read_only=True)
    building_type_label = ChoiceLabelField("building_type")
    structure_label = ChoiceLabelField("structure")
    vacancy_cause_label = ChoiceLabelField("vacancy_cause")
    grade_scheme = serializers.CharField(source="current_grade_scheme", read_only=True)
    grade_scheme_label = ChoiceLabelField("current_grade_scheme")
    grade = serializers.IntegerField(source="current_grade", read_only=True, allow_null=True)
    grade_label = serializers.SerializerMethodField()
    status_label = ChoiceLabelField("status")
    current_program_name = serializers.CharField(
        source="current_program.name", read_only=True, allow_null=True, default=None
    )
    latitude = RoundedCoordinateField(help_text="위도 (소수 셋째 자리로 반올림, 약 100 m)")
    longitude = RoundedCoordinateField(help_text="경도 (소수 셋째 자리로 반올림, 약 100 m)")

    class Meta:
        model = VacantHouse
        fields = [
            "id",
            "management_number",
            "dong",
            "dong_name",
            "building_type",
            "building_type_label",
            "structure",
            "structure_label",
            "built_year",
            "land_area_m2",
            "floor_area_m2",
            "vacant_since",
            "vacancy_cause",
            "vacancy_cause_label",
            "survey_round",
            "grade_scheme",
            "grade_scheme_label",
            "grade",
            "grade_label",
            "status",
            "status_label",
            "current_program",
            "current_program_name",
            "is_public",
            "public_title",
            "public_description",
            "latitude",
            "longitude",
            "updated_at",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_grade_label(self, house):
        """The grade's name in its scheme (e.g. 불량), empty when the house is not graded."""
        return str(GRADE_LABELS.get(house.current_grade_scheme, {}).get(house.current_grade, ""))


class HousingProgramSerializer(FastModelSerializer):
    """빈집 활용 사업, with occupancy as counts only."""

    kind_label = ChoiceLabelField("kind")
    houses_in_use_count = serializers.IntegerField(read_only=True, help_text="이 사업으로 활용 중인 빈집 수")
    active_tenancy_count = serializers.IntegerField(read_only=True, help_text="현재 입주 중인 계약 수")

    class Meta:
        model = HousingProgram
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "year",
            "description",
            "budget",
            "operating_partner",
            "tenant_min_age",
            "tenant_max_age",
            "starts_on",
            "ends_on",
            "houses_in_use_count",
            "active_tenancy_count",
            "updated_at",
        ]


class MembersByPositionSerializer(serializers.Serializer):
    """Current members per position (counts only)."""

    chair = serializers.IntegerField(
        source="current_chair_position_count", read_only=True, help_text="위원장"
    )
    vice_chair = serializers.IntegerField(
        source="current_vice_chair_position_count", read_only=True, help_text="부위원장"
    )
    secretary = serializers.IntegerField(
        source="current_secretary_position_count", read_only=True, help_text="총무"
    )
    member = serializers.IntegerField(
        source="current_member_position_count", read_only=True, help_text="위원"
    )


class ResidentCouncilSerializer(FastModelSerializer):
    """주민협의체, with member counts (no names)."""

    area_name = serializers.CharField(source="area.name", read_only=True)
    current_member_count = serializers.IntegerField(read_only=True, help_text="현재 위원 수")
    members_by_position = MembersByPositionSerializer(source="*", read_only=True)

    class Meta:
        model = ResidentCouncil
        fields = [
            "id",
            "name",
            "area",
            "area_name",
            "founded_on",
            "is_active",
            "public_description",
            "current_member_count",
            "members_by_position",
            "updated_at",
        ]


class CouncilMeetingSerializer(FastModelSerializer):
    """A published council meeting and its minutes; per-member attendance is never shown."""

    council_name = serializers.CharField(source="council.name", read_only=True)

    class Meta:
        model = CouncilMeeting
        fields = [
            "id",
            "council",
            "council_name",
            "title",
            "held_at",
            "place",
            "agenda",
            "minutes",
            "decisions",
            "attendee_count",
            "published_at",
            "updated_at",
        ]
