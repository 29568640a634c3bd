from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.admin_mixins import (
    PortalImportExportAdmin,
    PortalInlineMixin,
    PortalModelAdmin,
    ReadOnlyAdminMixin,
    ServiceAdminMixin,
)
from jeonju_center.common.download_reasons import stored_file_response
from jeonju_center.common.models import PersonalDataAccess
from jeonju_center.common.personal_data import record_personal_data_access

from . import exports, selectors, services, settlements
from .forms import (
    GraduationForm,
    OndureEducationCourseAdminForm,
    StageReviewForm,
    SupportRecordAdminForm,
)
from .models import (
    Community,
    CommunityGraduation,
    CommunityMember,
    CommunityStageRecord,
    ExpenseLine,
    GrantSettlement,
    OndureEducationCourse,
    SupportProgram,
    SupportRecord,
)
from .resources import CommunityResource


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


class CommunityMemberInline(PortalInlineMixin, admin.TabularInline):
    model = CommunityMember
    extra = 0
    fields = ["name", "phone", "role", "user", "joined_on", "left_on"]
    autocomplete_fields = ["user"]

    def has_add_permission(self, request, obj=None):
        # Without the personal-data permission the name and phone columns are masked and read-only, so a
        # new row could not get a name here: such staff add members on the member page instead.
        if self.masks_personal_data(request):
            return False
        return super().has_add_permission(request, obj)


class CommunityStageRecordInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Written by the yearly review and the graduation."""

    model = CommunityStageRecord
    extra = 0
    show_change_link = True
    fields = ["year", "stage", "decision", "decided_on", "reason"]
    ordering = ["year"]


class SupportRecordInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Each record is entered on its own page, which checks the program's budget under its lock."""

    model = SupportRecord
    extra = 0
    show_change_link = True
    fields = ["supported_on", "kind", "program", "amount", "settlement_status", "returned_amount", "evidence"]
    ordering = ["-supported_on"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("program")


@admin.register(Community)
class CommunityAdmin(ServiceAdminMixin, PortalImportExportAdmin):
    resource_classes = [CommunityResource]
    import_template_name = "admin/ondure/community/import.html"
    change_list_template = "admin/ondure/community/change_list.html"
    change_form_template = "admin/ondure/community/change_form.html"
    list_display = [
        "name",
        "cohort_year",
        "kind",
        "activity_field",
        "dong",
        "status",
        "current_stage",
        "leader_name",
        "members_count",
        "member_rows",
        "grant_total",
        "graduated_organization",
    ]
    list_filter = ["cohort_year", "kind", "status", "current_stage", "activity_field", "is_public", "dong"]
    list_select_related = ["dong", "graduated_organization"]
    search_fields = ["name", "apartment_complex", "description", "graduated_organization__name"]
    autocomplete_fields = ["dong"]
    date_hierarchy = "selected_on"
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    inlines = [CommunityMemberInline, CommunityStageRecordInline, SupportRecordInline]
    actions = ["review_action"]
    readonly_fields = [
        "status",
        "current_stage",
        "dissolved_on",
        "graduated_organization",
        "graduated_on",
        "support_totals",
        "leader_anonymised_at",
    ]
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
        (
            _("진행 상황"),
            {
                "fields": ["status", "current_stage", "dissolved_on"],
                "description": _("단계와 상태는 목록의 '연말 심사' 작업과 '졸업 처리'로 바뀝니다."),
            },
        ),
        (_("졸업"), {"fields": ["graduated_organization", "graduated_on"]}),
        (_("지원 합계"), {"fields": ["support_totals"]}),
        (_("대표자 (개인정보)"), {"fields": ["leader_name", "leader_phone", "leader_anonymised_at"]}),
        (_("내부 메모"), {"fields": ["staff_notes"]}),
    ]
    add_fieldsets_exclude = {_("진행 상황"), _("졸업"), _("지원 합계")}

    def get_fieldsets(self, request, obj=None):
        # Through super(): the shared mixins mask the leader's fields and add the "변경 사유" fieldset.
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return [fs for fs in fieldsets if fs[0] not in self.add_fieldsets_exclude]
        return fieldsets

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                member_rows_count=Count("members", filter=Q(members__left_on__isnull=True)),
                grant_total_amount=_grant_total_subquery(community=OuterRef("pk")),
            )
        )

    def save_through_service(self, request, obj, form, change):
        if change:
            services.community_update(community=obj, actor=request.user)
        else:
            services.community_select(community=obj, actor=request.user)

    def save_communitymember_through_service(self, request, community, member):
        services.community_member_save(member=member, actor=request.user)

    def _log_object_view(self, request, response):
        """Besides the leader (logged by the shared mixin), the member inline shows the members' names
        and phones unmasked to viewers with the permission: one more row names those members."""
        super()._log_object_view(request, response)
        if request.method != "GET" or response.status_code != 200 or self.masks_personal_data(request):
            return
        context = getattr(response, "context_data", None) or {}
        community = context.get("original")
        if community is None:
            return
        member_ids = list(community.members.order_by("pk").values_list("pk", flat=True))
        if member_ids:
            record_personal_data_access(
                request,
                action=PersonalDataAccess.Action.VIEW,
                model=CommunityMember,
                object_ids=member_ids,
                fields=list(CommunityMember.PERSONAL_DATA_FIELDS),
            )

    @admin.display(description=_("등록 구성원"), ordering="member_rows_count")
    def member_rows(self, obj):
        return obj.member_rows_count

    @admin.display(description=_("보조금 합계(원)"), ordering="grant_total_amount")
    def grant_total(self, obj):
        return f"{obj.grant_total_amount:,}"

    @admin.display(description=_("지원 유형별 합계"))
    def support_totals(self, obj):
        if obj is None or obj.pk is None:
            return "-"
        summary = selectors.community_support_summary(obj)
        items = format_html_join(
            "",
            "<li>{}: {}건, {}원 (반환 {}원)</li>",
            (
                (row["label"], row["count"], f"{row['amount']:,}", f"{row['returned']:,}")
                for row in summary.values()
            ),
        )
        return format_html("<ul>{}</ul>", items)

    # --- Yearly review ---------------------------------------------------------------------------

    @admin.action(description=_("연말 심사 (진급·유지·종료)"), permissions=["change"])
    def review_action(self, request, queryset):
        communities = list(queryset.order_by("pk"))
        form = StageReviewForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            data = form.cleaned_data
            try:
                services.stage_review_bulk(
                    communities=communities,
                    year=data["year"],
                    decision=data["decision"],
                    reason=data["reason"],
                    decided_on=data["decided_on"],
                    actor=request.user,
                    end_status=data["end_status"],
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                self.message_user(
                    request,
                    _("%(count)s개 공동체의 심사 결과를 기록했습니다.") % {"count": len(communities)},
                    messages.SUCCESS,
                )
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("연말 심사"),
            "opts": self.model._meta,
            "form": form,
            "communities": communities,
            "action_name": "review_action",
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        }
        return TemplateResponse(request, "admin/ondure/community/review.html", context)

    # --- Graduation and dashboard ----------------------------------------------------------------

    def get_urls(self):
        urls = [
            path(
                "dashboard/",
                self.admin_site.admin_view(self.dashboard_view),
                name="ondure_community_dashboard",
            ),
            path(
                "<int:pk>/graduate/",
                self.admin_site.admin_view(self.graduate_view),
                name="ondure_community_graduate",
            ),
        ]
        return urls + super().get_urls()

    def dashboard_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("온두레 졸업 현황"),
            "opts": self.model._meta,
            "dashboard": selectors.graduation_dashboard(),
        }
        return TemplateResponse(request, "admin/ondure/community/dashboard.html", context)

    def graduate_view(self, request, pk):
        community = get_object_or_404(Community, pk=pk)
        if not self.has_change_permission(request, community):
            raise PermissionDenied
        form = GraduationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    graduation = services.community_graduate(
                        community=community,
                        graduated_on=data["graduated_on"],
                        reason=data["reason"],
                        organization=data["organization"],
                        new_organization_name=data["new_organization_name"]
                        if not data["organization"]
                        else "",
                        new_organization_type=data["new_organization_type"],
                        actor=request.user,
                    )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        for e in errors:
                            form.add_error(field if field in form.fields else None, e)
                else:
                    for message in error.messages:
                        form.add_error(None, message)
            else:
                self.message_user(
                    request,
                    _("'%(name)s'이(가) '%(org)s'(으)로 졸업했습니다.")
                    % {"name": community.name, "org": graduation.organization_name},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:ondure_community_change", args=[community.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": _("졸업 처리: %(name)s") % {"name": community.name},
            "opts": self.model._meta,
            "original": community,
            "form": form,
        }
        return TemplateResponse(request, "admin/ondure/community/graduate.html", context)


@admin.register(CommunityMember)
class CommunityMemberAdmin(ServiceAdminMixin, PortalModelAdmin):
    list_display = [
        "name",
        "phone",
        "community",
        "role",
        "has_account",
        "joined_on",
        "left_on",
        "anonymised_at",
    ]
    list_filter = ["role", "community__cohort_year", ("anonymised_at", admin.EmptyFieldListFilter)]
    list_select_related = ["community"]
    search_fields = ["name", "phone", "community__name"]
    autocomplete_fields = ["community", "user"]
    readonly_fields = ["anonymised_at"]

    def save_through_service(self, request, obj, form, change):
        services.community_member_save(member=obj, actor=request.user)

    @admin.display(description=_("회원 계정"), boolean=True)
    def has_account(self, obj):
        return obj.user_id is not None


class StageReviewDueFilter(admin.SimpleListFilter):
    """Open stage records of active communities whose year-end review is due (see the selector)."""

    title = _("연말 심사")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("due", _("심사 대기"))]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return selectors.stage_reviews_due(queryset, today=timezone.localdate())
        return queryset


@admin.register(CommunityStageRecord)
class CommunityStageRecordAdmin(PortalModelAdmin):
    """The stage history; decisions are taken with the review action and the graduation, not typed here."""

    list_display = ["community", "year", "stage", "decision", "decided_on"]
    list_filter = [StageReviewDueFilter, "year", "stage", "decision", "community__cohort_year"]
    list_select_related = ["community"]
    search_fields = ["community__name", "reason"]
    readonly_fields = ["community", "year", "stage", "decision", "decided_on", "decided_by", "reason"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SupportProgram)
class SupportProgramAdmin(ServiceAdminMixin, PortalModelAdmin):
    list_display = [
        "name",
        "year",
        "kind",
        "budget_display",
        "granted_display",
        "returned_display",
        "remaining_display",
        "record_count",
    ]
    list_filter = ["year", "kind"]
    search_fields = ["name", "description"]

    def get_queryset(self, request):
        return selectors.support_program_list()

    def save_through_service(self, request, obj, form, change):
        # The budget may not drop below what the program committed (checked under its row lock).
        services.support_program_save(program=obj, actor=request.user)

    @admin.display(description=_("예산(원)"), ordering="budget")
    def budget_display(self, obj):
        return f"{obj.budget:,}"

    @admin.display(description=_("보조금 지급액(원)"), ordering="total_grant_amount")
    def granted_display(self, obj):
        return f"{obj.total_grant_amount:,}"

    @admin.display(description=_("반환액(원)"), ordering="total_returned_amount")
    def returned_display(self, obj):
        return f"{obj.total_returned_amount:,}"

    @admin.display(description=_("남은 예산(원)"), ordering="remaining_budget")
    def remaining_display(self, obj):
        return f"{obj.remaining_budget:,}"

    @admin.display(description=_("지원 건수"), ordering="records_count")
    def record_count(self, obj):
        return obj.records_count


@admin.register(SupportRecord)
class SupportRecordAdmin(ServiceAdminMixin, PortalModelAdmin):
    form = SupportRecordAdminForm
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

    def save_through_service(self, request, obj, form, change):
        # The program's row is locked while its budget is checked and the record written.
        services.support_record_save(record=obj, actor=request.user)

    @admin.display(description=_("금액(원)"), ordering="amount")
    def amount_display(self, obj):
        return f"{obj.amount:,}"

    @admin.display(description=_("증빙"), boolean=True)
    def has_evidence(self, obj):
        return bool(obj.evidence)


@admin.register(OndureEducationCourse)
class OndureEducationCourseAdmin(ServiceAdminMixin, PortalModelAdmin):
    form = OndureEducationCourseAdminForm
    list_display = ["course", "program", "record_count", "synced_at"]
    list_select_related = ["course", "program"]
    autocomplete_fields = ["course", "program"]
    search_fields = ["course__title", "program__name"]
    actions = ["sync_attendance"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(records=Count("course__ondure_support_records"))

    def save_through_service(self, request, obj, form, change):
        if change:
            services.education_course_update(education=obj, actor=request.user)
        else:
            marked = services.education_course_mark(
                course=obj.course, program=obj.program, actor=request.user
            )
            self.adopt(obj, marked)

    @admin.display(description=_("반영된 공동체 수"), ordering="records")
    def record_count(self, obj):
        return obj.records

    @admin.action(description=_("출석을 공동체 지원 이력에 반영"), permissions=["change"])
    def sync_attendance(self, request, queryset):
        changed = sum(
            services.education_attendance_sync(education_course_id=pk, actor=request.user)
            for pk in queryset.values_list("pk", flat=True)
        )
        self.message_user(
            request, _("지원 이력 %(count)s건을 반영했습니다.") % {"count": changed}, messages.SUCCESS
        )


@admin.register(CommunityGraduation)
class CommunityGraduationAdmin(PortalModelAdmin):
    list_display = [
        "community",
        "organization_name",
        "organization_type",
        "created_organization",
        "graduated_on",
    ]
    list_filter = ["created_organization", "community__cohort_year"]
    list_select_related = ["community"]
    search_fields = ["community__name", "organization_name"]
    readonly_fields = [
        "community",
        "organization",
        "organization_name",
        "organization_type",
        "created_organization",
        "graduated_on",
        "reason",
        "decided_by",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


# --- Grant settlements -------------------------------------------------------------------------------


def _receipt_link(line):
    if not line.receipt:
        return "-"
    url = reverse("admin:ondure_grantsettlement_receipt", args=[line.settlement_id, line.pk])
    return format_html('<a href="{}">{}</a>', url, _("영수증"))


class ExpenseLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The community enters its own lines (``settlements.expense_add``); staff review, never retype."""

    model = ExpenseLine
    extra = 0
    fields = ["spent_on", "vendor", "purpose", "category", "amount", "receipt_link"]
    readonly_fields = ["receipt_link"]

    @admin.display(description=_("영수증"))
    def receipt_link(self, line):
        # Receipts are private files: the back office hands them out itself (no public media address).
        return _receipt_link(line)


class SettlementDecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(
        label=_("검토"),
        required=False,
        choices=[("", _("그대로 두기")), ("approve", _("승인")), ("return", _("보완 요청 (의견 필요)"))],
    )
    comment = forms.CharField(label=_("검토 의견"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = GrantSettlement
        fields = []


@admin.register(GrantSettlement)
class GrantSettlementAdmin(ServiceAdminMixin, PortalModelAdmin):
    form = SettlementDecisionForm
    list_display = ["support_record", "community", "status", "granted_amount", "spent_total", "submitted_at"]
    list_filter = ["status"]
    list_select_related = ["support_record__community"]
    search_fields = ["support_record__community__name"]
    inlines = [ExpenseLineInline]
    readonly_fields = [
        "support_record",
        "status",
        "granted_amount",
        "spent_total",
        "balance",
        "submitted_at",
        "submitted_by",
        "decided_at",
        "decided_by",
        "review_comment",
        "excel_link",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "support_record",
                    "status",
                    "granted_amount",
                    "spent_total",
                    "balance",
                    "excel_link",
                ]
            },
        ),
        (
            _("검토"),
            {
                "fields": [
                    "decision",
                    "comment",
                    "submitted_at",
                    "submitted_by",
                    "decided_at",
                    "decided_by",
                    "review_comment",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("공동체"), ordering="support_record__community__name")
    def community(self, settlement):
        return settlement.support_record.community

    @admin.display(description=_("잔액(원)"))
    def balance(self, settlement):
        return settlement.balance

    @admin.display(description=_("정산서"))
    def excel_link(self, settlement):
        if not settlement.pk:
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:ondure_grantsettlement_xlsx", args=[settlement.pk]),
            _("엑셀로 내려받기"),
        )

    def get_urls(self):
        return [
            path(
                "<int:settlement_id>/settlement.xlsx",
                self.admin_site.admin_view(self.xlsx_view),
                name="ondure_grantsettlement_xlsx",
            ),
            path(
                "<int:settlement_id>/receipts/<int:line_id>/",
                self.admin_site.admin_view(self.receipt_view),
                name="ondure_grantsettlement_receipt",
            ),
            *super().get_urls(),
        ]

    def xlsx_view(self, request, settlement_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        settlement = get_object_or_404(
            GrantSettlement.objects.select_related("support_record__community"), pk=settlement_id
        )
        response = HttpResponse(exports.settlement_xlsx(settlement), content_type=exports.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"보조금정산서-{settlement.pk}.xlsx"
        )
        return response

    def receipt_view(self, request, settlement_id, line_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        line = get_object_or_404(
            ExpenseLine.objects.exclude(receipt=""), pk=line_id, settlement_id=settlement_id
        )
        return stored_file_response(line.receipt, not_found=_("영수증을 찾을 수 없습니다."), private=True)

    def save_through_service(self, request, obj, form, change):
        # "그대로 두기" with nothing typed leaves the form unchanged: the mixin saves nothing then.
        decision = form.cleaned_data.get("decision")
        if not decision:
            raise ValidationError({"decision": _("처리 방법을 고르세요.")})
        if decision == "approve":
            settlements.settlement_approve(settlement_id=obj.pk, actor=request.user)
        else:
            settlements.settlement_return(
                settlement_id=obj.pk, actor=request.user, comment=form.cleaned_data.get("comment")
            )
        obj.refresh_from_db()


@admin.register(ExpenseLine)
class ExpenseLineAdmin(PortalModelAdmin):
    """Expense lines, read only (the community enters them; staff review them on the settlement)."""

    list_display = ["settlement", "spent_on", "vendor", "category", "amount"]
    list_filter = ["category"]
    list_select_related = ["settlement__support_record__community"]
    search_fields = ["vendor", "purpose"]
    readonly_fields = ["settlement", "spent_on", "vendor", "purpose", "category", "amount", "receipt_link"]
    fields = readonly_fields

    @admin.display(description=_("영수증"))
    def receipt_link(self, line):
        return _receipt_link(line)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
