"""Excel import/export of the community registry (django-import-export), with Korean headers.

Rows are matched on (선정 연도, 공동체명); a new row is a selection into the cohort and goes through
``services.community_select`` (minimum members), a known row through ``services.community_update``.
Status and stage are exported but not imported: they change only through the yearly review and the
graduation. Leaders' and members' personal data are neither exported nor imported here.
"""

from django.utils.translation import gettext_lazy as _
from import_export import fields

from jeonju_center.common.imports import (
    ChoiceLabelWidget,
    DongWidget,
    KoreanDateWidget,
    PortalResource,
    WholeNumberWidget,
    YesNoWidget,
)

from . import services
from .models import ActivityField, Community, CommunityKind, CommunityStatus, Stage


class CommunityResource(PortalResource):
    name = fields.Field("name", column_name="공동체명")
    cohort_year = fields.Field("cohort_year", column_name="선정 연도(기수)", widget=WholeNumberWidget())
    kind = fields.Field("kind", column_name="공동체 유형", widget=ChoiceLabelWidget(CommunityKind.choices))
    selected_on = fields.Field("selected_on", column_name="선정일", widget=KoreanDateWidget())
    dong = fields.Field("dong", column_name="활동 행정동", widget=DongWidget())
    apartment_complex = fields.Field("apartment_complex", column_name="아파트 단지명")
    activity_field = fields.Field(
        "activity_field", column_name="활동 분야", widget=ChoiceLabelWidget(ActivityField.choices)
    )
    members_count = fields.Field("members_count", column_name="구성원 수", widget=WholeNumberWidget())
    description = fields.Field("description", column_name="소개")
    website = fields.Field("website", column_name="홈페이지·SNS")
    is_public = fields.Field("is_public", column_name="공개 목록 게시", widget=YesNoWidget())
    status = fields.Field(
        "status", column_name="상태", widget=ChoiceLabelWidget(CommunityStatus.choices), readonly=True
    )
    current_stage = fields.Field(
        "current_stage", column_name="현재 단계", widget=ChoiceLabelWidget(Stage.choices), readonly=True
    )
    graduated_organization = fields.Field(
        "graduated_organization__name", column_name="졸업 조직", readonly=True
    )

    class Meta:
        model = Community
        fields = [
            "name",
            "cohort_year",
            "kind",
            "selected_on",
            "dong",
            "apartment_complex",
            "activity_field",
            "members_count",
            "description",
            "website",
            "is_public",
            "status",
            "current_stage",
            "graduated_organization",
        ]
        import_id_fields = ["cohort_year", "name"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    @classmethod
    def get_display_name(cls):
        return str(_("온두레 공동체 명부"))

    def get_export_queryset(self, request=None):
        return Community.objects.select_related("dong", "graduated_organization").order_by(
            "-cohort_year", "name"
        )

    def row_key(self, row):
        year, name = str(row.get("선정 연도(기수)") or "").strip(), str(row.get("공동체명") or "").strip()
        return (year, name) if year and name else None

    def import_instance(self, instance, row, **kwargs):
        for key in ("name", "apartment_complex", "description", "website"):
            column = self.fields[key].column_name
            if column in row and row[column] is None:
                row[column] = ""
        super().import_instance(instance, row, **kwargs)

    def save_instance(self, instance, is_create, row, **kwargs):
        if is_create:
            services.community_select(community=instance, actor=kwargs.get("user"))
        else:
            services.community_update(community=instance, actor=kwargs.get("user"))
