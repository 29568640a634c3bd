from django.contrib import admin
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.masking import mask_name, mask_phone

from .models import Community, CommunityMember, CommunityStageRecord, SupportProgram, SupportRecord


def _grant_total_subquery(**filters):
    """The sum of grant amounts of the rows matching ``filters``, as a subquery (one query per changelist)."""
    grants = (
        SupportRecord.objects.filter(kind=SupportRecord.Kind.GRANT, **filters)
        .order_by()
        .values(*filters.keys())
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(grants), Value(0))


class CommunityMemberInline(admin.TabularInline):
    model = CommunityMember
    extra = 0
    fields = ["name", "phone", "role", "joined_on", "left_on"]


class CommunityStageRecordInline(admin.TabularInline):
    model = CommunityStageRecord
    extra = 0
    fields = ["year", "stage", "decision", "decided_on", "reason"]
    ordering = ["year"]


class SupportRecordInline(admin.TabularInline):
    model = SupportRecord
    extra = 0
    fields = ["supported_on", "kind", "program", "amount", "settlement_status", "evidence"]
    autocomplete_fields = ["program"]
    ordering = ["-supported_on"]


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "cohort_year",
        "kind",
        "activity_field",
        "dong",
        "status",
        "current_stage",
        "masked_leader_name",
        "members_count",
        "member_rows",
        "grant_total",
        "graduated_organization",
    ]
    list_filter = ["cohort_year", "kind", "status", "current_stage", "activity_field", "is_public", "dong"]
    list_select_related = ["dong", "graduated_organization"]
    search_fields = ["name", "apartment_complex", "description", "graduated_organization__name"]
    autocomplete_fields = ["dong", "graduated_organization"]
    date_hierarchy = "selected_on"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [CommunityMemberInline, CommunityStageRecordInline, SupportRecordInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "kind",
                    "cohort_year",
                    "selected_on",
                    "dong",
                    "apartment_complex",
                    "activity_field",
                    "members_count",
                ]
            },
        ),
        (_("공개 정보"), {"fields": ["description", "website", "is_public"]}),
        (_("진행 상황"), {"fields": ["status", "current_stage", "dissolved_on"]}),
        (_("졸업"), {"fields": ["graduated_organization", "graduated_on"]}),
        (_("대표자 (개인정보)"), {"fields": ["leader_name", "leader_phone"]}),
        (_("내부 메모"), {"fields": ["staff_notes"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_rows_count=Count("members", filter=Q(members__left_on__isnull=True)),
                grant_total_amount=_grant_total_subquery(community=OuterRef("pk")),
            )
        )

    @admin.display(description=_("대표자"), ordering="leader_name")
    def masked_leader_name(self, obj):
        return mask_name(obj.leader_name)

    @admin.display(description=_("등록 구성원"), ordering="member_rows_count")
    def member_rows(self, obj):
        return obj.member_rows_count

    @admin.display(description=_("보조금 합계(원)"), ordering="grant_total_amount")
    def grant_total(self, obj):
        return f"{obj.grant_total_amount:,}"


@admin.register(CommunityMember)
class CommunityMemberAdmin(admin.ModelAdmin):
    list_display = ["masked_name", "masked_phone", "community", "role", "joined_on", "left_on"]
    list_filter = ["role", "community__cohort_year"]
    list_select_related = ["community"]
    search_fields = ["name", "phone", "community__name"]
    autocomplete_fields = ["community"]

    @admin.display(description=_("성명"), ordering="name")
    def masked_name(self, obj):
        return mask_name(obj.name)

    @admin.display(description=_("연락처"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)


@admin.register(CommunityStageRecord)
class CommunityStageRecordAdmin(admin.ModelAdmin):
    list_display = ["community", "year", "stage", "decision", "decided_on"]
    list_filter = ["year", "stage", "decision", "community__cohort_year"]
    list_select_related = ["community"]
    search_fields = ["community__name", "reason"]
    autocomplete_fields = ["community", "decided_by"]


@admin.register(SupportProgram)
class SupportProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "kind", "budget_display", "granted_display", "record_count"]
    list_filter = ["year", "kind"]
    search_fields = ["name", "description"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                record_total=Count("records"),
                granted_amount=_grant_total_subquery(program=OuterRef("pk")),
            )
        )

    @admin.display(description=_("예산(원)"), ordering="budget")
    def budget_display(self, obj):
        return f"{obj.budget:,}"

    @admin.display(description=_("보조금 지급액(원)"), ordering="granted_amount")
    def granted_display(self, obj):
        return f"{obj.granted_amount:,}"

    @admin.display(description=_("지원 건수"), ordering="record_total")
    def record_count(self, obj):
        return obj.record_total


@admin.register(SupportRecord)
class SupportRecordAdmin(admin.ModelAdmin):
    list_display = [
        "supported_on",
        "community",
        "kind",
        "program",
        "amount_display",
        "settlement_status",
        "has_evidence",
    ]
    list_filter = ["kind", "settlement_status", "program__year", "program__kind"]
    list_select_related = ["community", "program"]
    search_fields = ["community__name", "program__name", "notes"]
    autocomplete_fields = ["community", "program"]
    date_hierarchy = "supported_on"

    @admin.display(description=_("금액(원)"), ordering="amount")
    def amount_display(self, obj):
        return f"{obj.amount:,}"

    @admin.display(description=_("증빙"), boolean=True)
    def has_evidence(self, obj):
        return bool(obj.evidence)
