"""Output of the Ondure resources: public fields only. Leader and member names and phones, staff notes,
review reasons and support notes stay in the back office."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from jeonju_center.api.serializers import ChoiceLabelField, FastModelSerializer

from ..models import Community, CommunityStageRecord, Stage, SupportProgram


@extend_schema_field(
    {
        "type": "string",
        "enum": Stage.values,
        "description": "\n".join(f"* `{value}` - {label}" for value, label in Stage.choices),
    }
)
class StageField(serializers.ChoiceField):
    """The stage of one history record. Its schema is spelled out because drf-spectacular warns when one
    choice set (``Stage``) appears under two property names (``current_stage`` and ``stage``); an
    ``ENUM_NAME_OVERRIDES`` entry in the settings would be the alternative."""

    def __init__(self, **kwargs):
        super().__init__(choices=Stage.choices, **kwargs)


class CommunityStageSerializer(FastModelSerializer):
    """One year of a community's path through the stages (디딤 → 이음 → 희망)."""

    stage = StageField(read_only=True)
    stage_label = ChoiceLabelField("stage")
    decision_label = ChoiceLabelField("decision")

    class Meta:
        model = CommunityStageRecord
        fields = ["year", "stage", "stage_label", "decision", "decision_label"]
        read_only_fields = fields
        extra_kwargs = {"decision": {"help_text": "연말 심사 결과. 심사 전이면 빈 문자열입니다."}}


class CommunitySerializer(FastModelSerializer):
    """An Ondure community (온두레 공동체)."""

    kind_label = ChoiceLabelField("kind")
    dong_name = serializers.CharField(source="dong.name", read_only=True)
    activity_field_label = ChoiceLabelField("activity_field")
    status_label = ChoiceLabelField("status")
    current_stage_label = ChoiceLabelField("current_stage")
    graduated_organization_name = serializers.CharField(
        source="graduated_organization.name", read_only=True, allow_null=True
    )
    stage_history = CommunityStageSerializer(source="stage_records", many=True, read_only=True)
    total_grant_amount = serializers.IntegerField(
        read_only=True, help_text="받은 보조금 합계(원, 반환액을 빼지 않은 금액)."
    )
    total_returned_amount = serializers.IntegerField(read_only=True, help_text="반환한 보조금 합계(원).")

    class Meta:
        model = Community
        fields = [
            "id",
            "name",
            "kind",
            "kind_label",
            "cohort_year",
            "selected_on",
            "dong",
            "dong_name",
            "apartment_complex",
            "activity_field",
            "activity_field_label",
            "description",
            "members_count",
            "status",
            "status_label",
            "current_stage",
            "current_stage_label",
            "graduated_organization",
            "graduated_organization_name",
            "graduated_on",
            "stage_history",
            "total_grant_amount",
            "total_returned_amount",
            "updated_at",
        ]
        read_only_fields = fields


class CommunityCSVSerializer(CommunitySerializer):
    """The same community as one flat CSV row: the stage history becomes one readable column instead of a
    varying number of ``stage_history.N.*`` columns."""

    stage_history = serializers.SerializerMethodField()

    @extend_schema_field(OpenApiTypes.STR)
    def get_stage_history(self, community):
        return "; ".join(
            " ".join(
                part
                for part in (str(record.year), record.get_stage_display(), record.get_decision_display())
                if part
            )
            for record in community.stage_records.all()
        )


class SupportProgramSerializer(FastModelSerializer):
    """A yearly support program with its budget and what has been spent from it (KRW)."""

    kind_label = ChoiceLabelField("kind")
    records_count = serializers.IntegerField(
        read_only=True, help_text="이 사업으로 기록된 지원(보조금·교육·현장 방문·컨설팅) 건수."
    )
    total_grant_amount = serializers.IntegerField(
        read_only=True, help_text="지급한 보조금 합계(원, 반환액을 빼지 않은 금액)."
    )
    total_returned_amount = serializers.IntegerField(read_only=True, help_text="반환된 보조금 합계(원).")
    remaining_budget = serializers.IntegerField(
        read_only=True, help_text="남은 예산(원) = 예산 − 보조금 합계 + 반환액 합계."
    )

    class Meta:
        model = SupportProgram
        fields = [
            "id",
            "name",
            "year",
            "kind",
            "kind_label",
            "budget",
            "description",
            "records_count",
            "total_grant_amount",
            "total_returned_amount",
            "remaining_budget",
            "updated_at",
        ]
        read_only_fields = fields
