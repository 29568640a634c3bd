from io import BytesIO

from django import forms as djforms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Q, Sum
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.styles import Font

from jeonju_center.common import spreadsheets
from jeonju_center.common.admin_mixins import (
    PortalImportExportAdmin,
    PortalModelAdmin,
    ReadOnlyAdminMixin,
    ServiceAdminMixin,
)
from jeonju_center.common.forms import add_service_errors
from jeonju_center.common.queries import count_of

from . import members, profiles, reports, selectors, services, surveys
from .forms import (
    ProfileChangeRejectForm,
    StoreListingAddForm,
    SurveyReviewForm,
)
from .models import (
    NEW_PRODUCT,
    ConsultingCase,
    ConsultingRequest,
    ConsultingSession,
    Network,
    NetworkMembership,
    Organization,
    OrganizationMember,
    Product,
    ProductCertification,
    ProfileChange,
    ProfileFieldPolicy,
    SalesChannel,
    Store,
    StoreListing,
    SupportNeed,
    SurveyCampaign,
    SurveyProductItem,
    SurveyResponse,
)
from .resources import OrganizationResource, ProductResource

# --- Lookups ------------------------------------------------------------------------------------------


class LookupAdmin(PortalModelAdmin):
    list_display = ["name", "code", "display_order", "is_active"]
    list_editable = ["display_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


admin.site.register(SalesChannel, LookupAdmin)
admin.site.register(SupportNeed, LookupAdmin)
admin.site.register(ProductCertification, LookupAdmin)


# --- Excel/CSV import and export ---------------------------------------------------------------------


class ImportTemplateMixin:
    """This app's import screens on ``PortalImportExportAdmin``: a preview with its counts (created /
    updated / unchanged / left out), a downloadable template with the Korean headers, and CSV in Excel's
    encoding; exports follow the changelist filters."""

    import_template_name = "admin/social_economy/import.html"
    import_export_change_list_template = "admin/social_economy/change_list_import_export.html"
    from_encoding = "utf-8-sig"  # Excel saves CSV with a BOM
    to_encoding = "utf-8-sig"

    def get_urls(self):
        info = self.get_model_info()
        return [
            path(
                "import-template/",
                self.admin_site.admin_view(self.import_template_view),
                name="{}_{}_import_template".format(*info),
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request):
        """An empty workbook with the Korean headers, and the accepted values of the choice columns."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource = self.get_import_resource_classes(request)[0]()
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = gettext("입력")
        headers = [field.column_name for field in resource.get_user_visible_fields()]
        sheet.append(spreadsheets.neutralize_row(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        guide = workbook.create_sheet(gettext("입력 안내"))
        guide.append([gettext("열"), gettext("쓸 수 있는 값")])
        for field in resource.get_user_visible_fields():
            choices = getattr(field.widget, "choices", None)
            if choices:
                guide.append(
                    spreadsheets.neutralize_row(
                        [field.column_name, ", ".join(label for _code, label in choices)]
                    )
                )
        guide.append([gettext("날짜"), "YYYY-MM-DD"])
        guide.append([gettext("예/아니요 열"), gettext("예, 아니요")])
        response = HttpResponse(
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        buffer = BytesIO()
        workbook.save(buffer)
        response.write(buffer.getvalue())
        filename = f"{self.model._meta.model_name}-import-template.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "import_template_url": reverse("admin:{}_{}_import_template".format(*self.get_model_info())),
        }
        return super().changelist_view(request, extra_context)


class SocialEconomyImportExportAdmin(ImportTemplateMixin, PortalImportExportAdmin):
    pass


class CertificationExpiryFilter(admin.SimpleListFilter):
    title = _("인증·지정 만료")
    parameter_name = "expiry"

    def lookups(self, request, model_admin):
        return [
            ("soon", _("90일 이내 만료 예정")),
            ("expired", _("이미 만료 (운영 중)")),
        ]

    def queryset(self, request, queryset):
        return selectors.certification_expiry_filter(
            queryset,
            today=timezone.localdate(),
            which=self.value(),
            within_days=services.EXPIRY_WARNING_DAYS,
        )


# --- Organizations ------------------------------------------------------------------------------------


class ProductInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The organization's products at a glance; each is added and edited on its own page, which saves
    through ``profiles`` (photo clean-up, the change log the organization sees)."""

    model = Product
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["name", "kind", "category", "price", "unit", "is_public_procurement", "is_active"]
    show_change_link = True


class OrganizationMembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0
    fields = ["network", "role", "joined_on", "left_on"]
    autocomplete_fields = ["network"]


class NetworkMemberInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0
    fields = ["organization", "role", "joined_on", "left_on"]
    autocomplete_fields = ["organization"]
    ordering = ["organization__name"]


URL_FIELD_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class ConsultingHistoryInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The organization's consulting history (cases are edited on their own page)."""

    model = ConsultingCase
    verbose_name_plural = _("컨설팅 이력")
    extra = 0
    max_num = 0
    can_delete = False
    fields = ["opened_on", "title", "topic", "partner", "consultant", "status", "closed_on"]
    show_change_link = True
    ordering = ["-opened_on", "-pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("partner")


@admin.register(Organization)
class OrganizationAdmin(ServiceAdminMixin, SocialEconomyImportExportAdmin):
    resource_classes = [OrganizationResource]
    formfield_overrides = URL_FIELD_HTTPS
    list_display = [
        "name",
        "org_type",
        "sector",
        "dong",
        "business_registration_number",
        "status",
        "certification_expires_on",
        "product_count",
    ]
    list_filter = [
        CertificationExpiryFilter,
        "org_type",
        "sector",
        "status",
        "social_purpose_type",
        "preliminary_kind",
        "dong__district",
    ]
    list_select_related = ["dong"]
    search_fields = ["name", "business_registration_number", "representative_name", "certification_number"]
    autocomplete_fields = ["dong"]
    readonly_fields = ["representative_anonymised_at"]
    inlines = [ProductInline, OrganizationMembershipInline, ConsultingHistoryInline]

    def get_inlines(self, request, obj):
        # A new organization has no consulting history yet.
        return self.inlines if obj is not None else [ProductInline, OrganizationMembershipInline]

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "org_type",
                    "sector",
                    "status",
                    "closed_on",
                    "description",
                ]
            },
        ),
        (
            _("등록 정보"),
            {
                "fields": [
                    "business_registration_number",
                    "corporate_registration_number",
                    "representative_name",
                    "representative_anonymised_at",
                    "founded_on",
                ]
            },
        ),
        (_("연락처"), {"fields": ["dong", "address", "phone", "email", "website"]}),
        (_("인력"), {"fields": ["employees_count", "vulnerable_employees_count", "members_count"]}),
        (
            _("인증·지정"),
            {
                "fields": [
                    "certification_number",
                    "certified_on",
                    "certification_expires_on",
                    "designating_body",
                    "social_purpose_type",
                    "preliminary_kind",
                ]
            },
        ),
        (
            _("협동조합 설립신고·인가"),
            {"fields": ["cooperative_filing_number", "cooperative_filed_on", "cooperative_authority"]},
        ),
    ]

    def get_queryset(self, request):
        # Counted for the rows on the page only (a Count() join aggregates every product of every organization).
        return (
            super()
            .get_queryset(request)
            .annotate(product_count=count_of(Product.objects.all(), "organization"))
        )

    @admin.display(description=_("생산품·서비스 수"), ordering="product_count")
    def product_count(self, obj):
        return obj.product_count

    def save_through_service(self, request, obj, form, change):
        if not change:
            services.organization_register(organization=obj, actor=request.user)
            return
        # Through the members' service, so a staff edit of a profile field lands in the organization's change
        # log too; the reason typed in the form goes into the history.
        profiles.organization_profile_update(
            organization=Organization.objects.get(pk=obj.pk),
            changes=_changes(form),
            actor=request.user,
            reason=form.cleaned_data.get("history_change_reason") or "",
        )
        obj.refresh_from_db()


def _require_decision(form):
    if not form.cleaned_data.get("decision"):
        raise ValidationError({"decision": _("처리 방법을 고르세요.")})


def _changes(form):
    """What the staff member changed on the form (the change reason is not a field of the row)."""
    return {
        name: form.cleaned_data[name]
        for name in form.changed_data
        if name in form.cleaned_data and name != "history_change_reason"
    }


# --- Products -----------------------------------------------------------------------------------------


@admin.register(Product)
class ProductAdmin(ServiceAdminMixin, SocialEconomyImportExportAdmin):
    resource_classes = [ProductResource]
    actions = ["add_to_store"]
    list_display = [
        "name",
        "organization",
        "kind",
        "category",
        "price",
        "unit",
        "is_public_procurement",
        "is_active",
    ]
    list_filter = ["kind", "category", "is_public_procurement", "is_active", "certifications"]
    list_select_related = ["organization"]
    search_fields = ["name", "organization__name"]
    autocomplete_fields = ["organization"]
    filter_horizontal = ["certifications"]
    # By the product's own name (index name, id): the model's default, by the organization's name, sorts a
    # join of every product on every page (1.6 s at 300,000 products); the organization stays a sortable column.
    ordering = ["name", "id"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # A product stays with its organization: its change log and history belong to it.
        return [*readonly, "organization"] if obj is not None else readonly

    def save_through_service(self, request, obj, form, change):
        reason = form.cleaned_data.get("history_change_reason") or ""
        if not change:
            values = {
                name: value for name, value in form.cleaned_data.items() if name != "history_change_reason"
            }
            organization = values.pop("organization")
            if not values.get("image"):
                values.pop("image", None)
            created = profiles.product_create(
                organization=organization, values=values, actor=request.user, reason=reason
            )
            self.adopt(obj, created.product)
            return
        values = _changes(form)
        active = values.pop("is_active", None)
        product = Product.objects.get(pk=obj.pk)
        profiles.product_update(product=product, changes=values, actor=request.user, reason=reason)
        if active is not None:
            profiles.product_set_active(product=product, active=active, actor=request.user)
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)  # certifications: the service set them

    @admin.action(description=_("선택한 상품을 매장에 입점"))
    def add_to_store(self, request, queryset):
        """Pick a store, a date and (optionally) one shelf price, then list every selected product."""
        form = StoreListingAddForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            added, refused = 0, []
            for product in queryset.select_related("organization"):
                shelf_price = form.cleaned_data["shelf_price"]
                try:
                    services.store_listing_create(
                        actor=request.user,
                        store=form.cleaned_data["store"],
                        product=product,
                        listed_on=form.cleaned_data["listed_on"],
                        shelf_price=shelf_price if shelf_price is not None else product.price,
                    )
                    added += 1
                except ValidationError as error:
                    refused.append(f"{product.name}: {' '.join(error.messages)}")
            if added:
                self.message_user(
                    request,
                    ngettext("%(count)d개 상품을 입점했습니다.", "%(count)d개 상품을 입점했습니다.", added)
                    % {"count": added},
                    messages.SUCCESS,
                )
            for reason in refused:
                self.message_user(request, reason, messages.ERROR)
            return None
        return TemplateResponse(
            request,
            "admin/social_economy/product/add_to_store.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("매장에 입점"),
                "opts": self.model._meta,
                "form": form,
                "products": queryset,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


# --- Survey -------------------------------------------------------------------------------------------


@admin.register(SurveyCampaign)
class SurveyCampaignAdmin(ServiceAdminMixin, PortalModelAdmin):
    list_display = [
        "name",
        "year",
        "status",
        "response_count",
        "contacted_count",
        "completed_count",
        "verified_count",
        "declined_count",
        "online_count",
        "staff_entered_count",
        "progress",
        "reminder_round",
        "analysis_link",
    ]
    list_filter = ["status", "year"]
    search_fields = ["name"]
    date_hierarchy = "starts_on"
    readonly_fields = ["reminder_round", "reminder_round_sent_at", "analysis_link"]
    actions = ["open_campaign", "send_reminders"]

    def get_queryset(self, request):
        status = SurveyResponse.Status
        return (
            super()
            .get_queryset(request)
            .annotate(
                response_count=Count("responses"),
                contacted_count=Count(
                    "responses",
                    filter=Q(
                        responses__status__in=[status.CONTACTING, status.IN_PROGRESS, status.UNREACHABLE]
                    ),
                ),
                completed_count=Count(
                    "responses", filter=Q(responses__status__in=SurveyResponse.COMPLETED_STATUSES)
                ),
                verified_count=Count("responses", filter=Q(responses__status=status.VERIFIED)),
                declined_count=Count("responses", filter=Q(responses__status=status.DECLINED)),
                online_count=Count(
                    "responses",
                    filter=Q(
                        responses__status__in=SurveyResponse.COMPLETED_STATUSES,
                        responses__channel=SurveyResponse.Channel.ONLINE,
                    ),
                ),
            )
        )

    @admin.display(description=_("응답 대상"), ordering="response_count")
    def response_count(self, obj):
        return obj.response_count

    @admin.display(description=_("연락 중"), ordering="contacted_count")
    def contacted_count(self, obj):
        return obj.contacted_count

    @admin.display(description=_("제출·검증 완료"), ordering="completed_count")
    def completed_count(self, obj):
        return obj.completed_count

    @admin.display(description=_("검증 완료"), ordering="verified_count")
    def verified_count(self, obj):
        return obj.verified_count

    @admin.display(description=_("거절"), ordering="declined_count")
    def declined_count(self, obj):
        return obj.declined_count

    @admin.display(description=_("온라인 응답"), ordering="online_count")
    def online_count(self, obj):
        return obj.online_count

    @admin.display(description=_("직원 입력"))
    def staff_entered_count(self, obj):
        return obj.completed_count - obj.online_count

    @admin.display(description=_("진척도"))
    def progress(self, obj):
        total = getattr(obj, "response_count", 0)
        done = getattr(obj, "completed_count", 0)
        percent = round(done * 100 / total) if total else 0
        return format_html(
            '<progress max="100" value="{}" aria-label="{}">{}%</progress> {}%',
            percent,
            gettext("응답률"),
            percent,
            percent,
        )

    @admin.display(description=_("상품 분석"))
    def analysis_link(self, obj):
        if not obj.pk:
            return "-"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:social_economy_surveycampaign_analysis", args=[obj.pk]),
            gettext("상품 분석 보고서"),
        )

    def save_through_service(self, request, obj, form, change):
        services.survey_campaign_save(campaign=obj, actor=request.user)

    @admin.action(description=_("조사 시작 (운영 중인 모든 조직의 응답 기록 만들기)"))
    def open_campaign(self, request, queryset):
        for campaign in queryset:
            try:
                created = services.survey_campaign_open(campaign=campaign, actor=request.user)
            except ValidationError as error:
                self.message_user(request, f"{campaign}: {' '.join(error.messages)}", messages.ERROR)
                continue
            self.message_user(
                request,
                gettext("%(campaign)s: 응답 기록 %(count)d건을 만들었습니다.")
                % {"campaign": campaign, "count": created},
                messages.SUCCESS,
            )

    @admin.action(description=_("미제출 조직에 독려 메일 보내기 (새 차수)"))
    def send_reminders(self, request, queryset):
        for campaign in queryset:
            try:
                round_number = services.survey_reminder_round_start(campaign=campaign, actor=request.user)
            except ValidationError as error:
                self.message_user(request, f"{campaign}: {' '.join(error.messages)}", messages.ERROR)
                continue
            self.message_user(
                request,
                gettext("%(campaign)s: %(number)d차 독려 메일 발송을 시작했습니다.")
                % {"campaign": campaign, "number": round_number},
                messages.SUCCESS,
            )

    def get_urls(self):
        return [
            path(
                "<int:pk>/analysis/",
                self.admin_site.admin_view(self.analysis_view),
                name="social_economy_surveycampaign_analysis",
            ),
            path(
                "<int:pk>/analysis.xlsx",
                self.admin_site.admin_view(self.analysis_export_view),
                name="social_economy_surveycampaign_analysis_export",
            ),
            *super().get_urls(),
        ]

    def _campaign(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(SurveyCampaign, pk=pk)

    def analysis_view(self, request, pk):
        campaign = self._campaign(request, pk)
        analysis = selectors.survey_campaign_analysis(campaign=campaign)
        return TemplateResponse(
            request,
            "admin/social_economy/surveycampaign/analysis.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("상품 분석: %(campaign)s") % {"campaign": campaign.name},
                "opts": self.model._meta,
                "campaign": campaign,
                "analysis": analysis,
                "charts": reports.analysis_charts(analysis),
            },
        )

    def analysis_export_view(self, request, pk):
        campaign = self._campaign(request, pk)
        analysis = selectors.survey_campaign_analysis(campaign=campaign)
        response = HttpResponse(
            reports.analysis_workbook(campaign, analysis),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="survey-analysis-{campaign.pk}.xlsx"'
        return response


class SurveyProductItemInline(admin.TabularInline):
    model = SurveyProductItem
    extra = 0
    fields = ["product", "annual_sales", "unit_price", "notes"]
    autocomplete_fields = ["product"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(ServiceAdminMixin, PortalModelAdmin):
    """Answers taken by phone or on a visit are entered here (channel 직원 입력); online answers are reviewed
    (검토)."""

    list_display = [
        "organization",
        "campaign",
        "status",
        "surveyed_on",
        "surveyor",
        "contacted_on",
        "verified_on",
        "channel",
        "respondent_name",
        "respondent_phone",
        "annual_revenue",
        "employees_count",
    ]
    list_filter = [
        "campaign",
        "status",
        "channel",
        "surveyor",
        "sales_channels",
        "needs",
        "organization__org_type",
    ]
    list_select_related = ["organization", "campaign", "surveyor"]
    readonly_fields = [
        "status",
        "contacted_on",
        "verified_on",
        "last_reminder_round",
        "last_reminded_at",
        "respondent_anonymised_at",
        "channel",
        "first_opened_at",
        "submitted_at",
        "submitted_by",
        "return_comment",
        "review_link",
    ]
    fields = [
        "campaign",
        "organization",
        "status",
        "review_link",
        "channel",
        "first_opened_at",
        "submitted_at",
        "submitted_by",
        "return_comment",
        "surveyor",
        "contacted_on",
        "surveyed_on",
        "verified_on",
        "respondent_name",
        "respondent_phone",
        "respondent_anonymised_at",
        "annual_revenue",
        "employees_count",
        "vulnerable_employees_count",
        "sales_channels",
        "needs",
        "notes",
        "last_reminder_round",
        "last_reminded_at",
    ]
    actions = ["mark_contacting", "mark_submitted", "mark_verified", "mark_declined", "mark_unreachable"]
    search_fields = ["organization__name", "organization__business_registration_number"]
    autocomplete_fields = ["organization"]
    filter_horizontal = ["sales_channels", "needs"]
    date_hierarchy = "surveyed_on"
    inlines = [SurveyProductItemInline]

    def save_through_service(self, request, obj, form, change):
        services.survey_response_record(response=obj, actor=request.user)

    def save_surveyproductitem_through_service(self, request, response, item):
        services.survey_product_item_save(item=item, actor=request.user)

    @admin.display(description=_("검토"))
    def review_link(self, obj):
        if not obj.pk or obj.status != SurveyResponse.Status.SUBMITTED:
            return "-"
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("admin:social_economy_surveyresponse_review", args=[obj.pk]),
            gettext("검증 완료 또는 보완 요청"),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/review/",
                self.admin_site.admin_view(self.review_view),
                name="social_economy_surveyresponse_review",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, pk):
        """A submitted answer side by side with the decision: verify it, or send it back with a comment."""
        response = get_object_or_404(
            SurveyResponse.objects.select_related("campaign", "organization", "submitted_by"), pk=pk
        )
        if not self.has_change_permission(request, response):
            raise PermissionDenied
        form = SurveyReviewForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                if form.cleaned_data["decision"] == "verify":
                    surveys.survey_response_verify(response_id=response.pk, actor=request.user)
                    done = gettext("%(organization)s의 응답을 검증 완료했습니다.")
                else:
                    surveys.survey_response_return(
                        response_id=response.pk, comment=form.cleaned_data["comment"], actor=request.user
                    )
                    done = gettext("%(organization)s에 보완을 요청했습니다 (담당자에게 메일을 보냅니다).")
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                self.message_user(
                    request, done % {"organization": response.organization.name}, messages.SUCCESS
                )
                return HttpResponseRedirect(reverse("admin:social_economy_surveyresponse_change", args=[pk]))
        return TemplateResponse(
            request,
            "admin/social_economy/surveyresponse/review.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("응답 검토: %(organization)s")
                % {"organization": response.organization.name},
                "opts": self.model._meta,
                "original": response,
                "response": response,
                "items": response.product_items.select_related("product").order_by("product__name"),
                "sales_channels": list(response.sales_channels.all()),
                "needs": list(response.needs.all()),
                "form": form,
                "is_submitted": response.status == SurveyResponse.Status.SUBMITTED,
            },
            status=400 if form.errors else 200,
        )

    def _transition(self, request, queryset, to_status):
        moved, refused = 0, []
        for response in queryset.select_related("organization"):
            try:
                services.survey_response_transition(
                    response=response, to_status=to_status, actor=request.user
                )
                moved += 1
            except ValidationError as error:
                refused.append(f"{response.organization}: {' '.join(error.messages)}")
        if moved:
            self.message_user(
                request,
                gettext("%(count)d건을 ‘%(status)s’(으)로 바꿨습니다.")
                % {"count": moved, "status": SurveyResponse.Status(to_status).label},
                messages.SUCCESS,
            )
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)

    @admin.action(description=_("연락함으로 표시"))
    def mark_contacting(self, request, queryset):
        self._transition(request, queryset, SurveyResponse.Status.CONTACTING)

    @admin.action(description=_("제출로 표시"))
    def mark_submitted(self, request, queryset):
        self._transition(request, queryset, SurveyResponse.Status.SUBMITTED)

    @admin.action(description=_("검증 완료로 표시"))
    def mark_verified(self, request, queryset):
        self._transition(request, queryset, SurveyResponse.Status.VERIFIED)

    @admin.action(description=_("거절로 표시"))
    def mark_declined(self, request, queryset):
        self._transition(request, queryset, SurveyResponse.Status.DECLINED)

    @admin.action(description=_("연락 불가로 표시"))
    def mark_unreachable(self, request, queryset):
        self._transition(request, queryset, SurveyResponse.Status.UNREACHABLE)


@admin.register(SurveyProductItem)
class SurveyProductItemAdmin(ServiceAdminMixin, PortalModelAdmin):
    list_display = ["product", "organization_name", "campaign_name", "annual_sales", "unit_price"]
    list_filter = ["response__campaign", "product__category"]
    list_select_related = ["product", "response__organization", "response__campaign"]
    search_fields = ["product__name", "response__organization__name"]
    autocomplete_fields = ["response", "product"]

    def save_through_service(self, request, obj, form, change):
        services.survey_product_item_save(item=obj, actor=request.user)

    @admin.display(description=_("사회적경제조직"), ordering="response__organization__name")
    def organization_name(self, obj):
        return obj.response.organization.name

    @admin.display(description=_("전수조사"), ordering="response__campaign__name")
    def campaign_name(self, obj):
        return obj.response.campaign.name


# --- Stores -------------------------------------------------------------------------------------------


class StoreListingInline(admin.TabularInline):
    model = StoreListing
    extra = 0
    fields = ["product", "listed_on", "delisted_on", "shelf_price"]
    autocomplete_fields = ["product"]


@admin.register(Store)
class StoreAdmin(ServiceAdminMixin, PortalModelAdmin):
    list_display = ["name", "kind", "dong", "opened_on", "operator", "is_active", "open_listing_count"]
    list_filter = ["kind", "is_active"]
    list_select_related = ["dong"]
    search_fields = ["name", "address", "operator"]
    autocomplete_fields = ["dong"]
    inlines = [StoreListingInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(open_listing_count=Count("listings", filter=Q(listings__delisted_on__isnull=True)))
        )

    def save_storelisting_through_service(self, request, store, listing):
        _save_listing(listing, actor=request.user)

    @admin.display(description=_("판매 중 상품 수"), ordering="open_listing_count")
    def open_listing_count(self, obj):
        return obj.open_listing_count


def _save_listing(listing, *, actor):
    if listing.pk is None:
        created = services.store_listing_create(
            store=listing.store,
            product=listing.product,
            listed_on=listing.listed_on,
            shelf_price=listing.shelf_price,
            actor=actor,
        )
        if listing.delisted_on is not None:
            services.store_listing_end(listing=created, delisted_on=listing.delisted_on, actor=actor)
        return created
    return services.store_listing_update(listing=listing, actor=actor)


@admin.register(StoreListing)
class StoreListingAdmin(ServiceAdminMixin, PortalModelAdmin):
    list_display = ["product", "organization_name", "store", "listed_on", "delisted_on", "shelf_price"]
    list_filter = ["store", ("delisted_on", admin.EmptyFieldListFilter), "product__category"]
    list_select_related = ["store", "product__organization"]
    search_fields = ["product__name", "product__organization__name", "store__name"]
    autocomplete_fields = ["product"]
    date_hierarchy = "listed_on"

    def save_through_service(self, request, obj, form, change):
        self.adopt(obj, _save_listing(obj, actor=request.user))

    @admin.display(description=_("사회적경제조직"), ordering="product__organization__name")
    def organization_name(self, obj):
        return obj.product.organization.name


# --- Consulting ---------------------------------------------------------------------------------------


class ConsultingSessionInline(admin.TabularInline):
    model = ConsultingSession
    extra = 0
    fields = ["held_on", "consultant", "hours", "notes", "outcome"]


@admin.register(ConsultingCase)
class ConsultingCaseAdmin(ServiceAdminMixin, PortalModelAdmin):
    """Consulting through the same services as the partner API: a closed organization gets none, a cancelled
    case takes no session, the first session moves a case to 진행 중; its status changes only by the
    actions (완료 처리, 취소), which keep their rules."""

    list_display = [
        "title",
        "organization",
        "partner",
        "topic",
        "consultant",
        "status",
        "opened_on",
        "closed_on",
        "session_count",
        "total_hours",
    ]
    list_filter = ["status", "topic", "partner"]
    list_select_related = ["organization", "partner"]
    search_fields = ["title", "organization__name", "summary", "consultant"]
    autocomplete_fields = ["organization"]
    date_hierarchy = "opened_on"
    inlines = [ConsultingSessionInline]
    actions = ["complete_today", "cancel_cases"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(session_count=Count("sessions"), total_hours=Sum("sessions__hours"))
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        extra = ["status", "closed_on"] if obj is None else ["organization", "status", "closed_on"]
        return [*readonly, *extra]

    def save_through_service(self, request, obj, form, change):
        if change:
            services.consulting_case_update(case=obj, actor=request.user)
            return
        created = services.consulting_case_create(
            actor=request.user,
            organization=obj.organization,
            partner=obj.partner,
            topic=obj.topic,
            title=obj.title,
            opened_on=obj.opened_on,
            summary=obj.summary,
            consultant=obj.consultant,
        )
        self.adopt(obj, created)

    def save_consultingsession_through_service(self, request, case, session):
        if session.pk is None:
            services.consulting_session_create(
                actor=request.user,
                case=case,
                held_on=session.held_on,
                consultant=session.consultant,
                hours=session.hours,
                notes=session.notes,
                outcome=session.outcome,
            )
        else:
            services.consulting_session_update(session=session, actor=request.user)

    def _each(self, request, queryset, call, done):
        for case in queryset.order_by("pk"):
            try:
                call(case)
            except ValidationError as error:
                self.message_user(request, f"{case}: {' '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, done % {"case": case.title}, messages.SUCCESS)

    @admin.action(description=_("완료 처리 (오늘 종결)"), permissions=["change"])
    def complete_today(self, request, queryset):
        today = timezone.localdate()
        self._each(
            request,
            queryset,
            lambda case: services.consulting_case_complete(case=case, closed_on=today, actor=request.user),
            gettext("%(case)s: 완료 처리했습니다."),
        )

    @admin.action(description=_("취소"), permissions=["change"])
    def cancel_cases(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda case: services.consulting_case_cancel(case=case, actor=request.user),
            gettext("%(case)s: 취소했습니다."),
        )

    @admin.display(description=_("회차"), ordering="session_count")
    def session_count(self, obj):
        return obj.session_count

    @admin.display(description=_("총 시간"), ordering="total_hours")
    def total_hours(self, obj):
        return obj.total_hours or 0


@admin.register(ConsultingSession)
class ConsultingSessionAdmin(ServiceAdminMixin, PortalModelAdmin):
    list_display = ["held_on", "case", "organization_name", "consultant", "hours"]
    list_filter = ["case__topic", "case__partner"]
    list_select_related = ["case__organization"]
    search_fields = ["consultant", "case__title", "case__organization__name"]
    autocomplete_fields = ["case"]
    date_hierarchy = "held_on"

    @admin.display(description=_("사회적경제조직"), ordering="case__organization__name")
    def organization_name(self, obj):
        return obj.case.organization.name

    def save_through_service(self, request, obj, form, change):
        if change:
            services.consulting_session_update(session=obj, actor=request.user)
            return
        created = services.consulting_session_create(
            actor=request.user,
            case=obj.case,
            held_on=obj.held_on,
            consultant=obj.consultant,
            hours=obj.hours,
            notes=obj.notes,
            outcome=obj.outcome,
        )
        self.adopt(obj, created)


# --- Networks -----------------------------------------------------------------------------------------


@admin.register(Network)
class NetworkAdmin(PortalModelAdmin):
    formfield_overrides = URL_FIELD_HTTPS
    list_display = ["name", "level", "founded_on", "member_count"]
    list_filter = ["level"]
    search_fields = ["name"]
    inlines = [NetworkMemberInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(member_count=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
        )

    @admin.display(description=_("현재 회원 수"), ordering="member_count")
    def member_count(self, obj):
        return obj.member_count


@admin.register(NetworkMembership)
class NetworkMembershipAdmin(PortalModelAdmin):
    list_display = ["organization", "network", "role", "joined_on", "left_on"]
    list_filter = ["network", "role", ("left_on", admin.EmptyFieldListFilter)]
    list_select_related = ["organization", "network"]
    search_fields = ["organization__name", "network__name"]
    autocomplete_fields = ["network", "organization"]


class MemberInviteForm(djforms.ModelForm):
    """Adding a member is inviting one by e-mail (the person accepts from the link)."""

    class Meta:
        model = OrganizationMember
        fields = ["organization", "email", "role"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.instance.status = OrganizationMember.Status.INVITED  # what the service will write

    def clean(self):
        data = super().clean()
        if data.get("organization") and data.get("email"):
            for field, message in members.invite_problems(
                organization=data["organization"], email=data["email"]
            ).items():
                self.add_error(field, message)
        return data


class MemberDecisionForm(djforms.ModelForm):
    decision = djforms.ChoiceField(
        label=_("처리"),
        required=False,
        choices=[
            ("", _("그대로 두기")),
            ("approve", _("가입 승인")),
            ("decline", _("가입 거절")),
            ("revoke", _("권한 해제")),
        ],
    )

    class Meta:
        model = OrganizationMember
        fields = []


@admin.register(OrganizationMember)
class OrganizationMemberAdmin(ServiceAdminMixin, PortalModelAdmin):
    """Who acts for which organization on the portal: invite by e-mail, approve or decline join requests,
    revoke; every write goes through ``members``."""

    personal_data_kind = _("조직 회원")
    list_display = ["organization", "user", "role", "status", "created_at", "decided_at"]
    list_filter = ["status", "role"]
    list_select_related = ["organization", "user"]
    search_fields = ["organization__name", "user__name", "email"]
    autocomplete_fields = ["organization"]
    actions = ["approve_selected"]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["form"] = MemberInviteForm if obj is None else MemberDecisionForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["organization", "email", "role"]
        return [
            "organization",
            "user",
            "email",
            "role",
            "status",
            "invited_by",
            "decided_by",
            "decided_at",
            "decision",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["organization", "user", "email", "role", "status", "invited_by", "decided_by", "decided_at"]

    def get_fieldsets(self, request, obj=None):
        return [(None, {"fields": self.get_fields(request, obj)})]

    def save_through_service(self, request, obj, form, change):
        if not change:
            invited = members.member_invite(
                organization=form.cleaned_data["organization"],
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                actor=request.user,
            )
            self.adopt(obj, invited)
            return
        _require_decision(form)
        decide = {
            "approve": members.member_approve,
            "decline": members.member_decline,
            "revoke": members.member_revoke,
        }[form.cleaned_data["decision"]]
        decide(member_id=obj.pk, actor=request.user)
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        pass  # no related objects; the service wrote the row

    @admin.action(description=_("선택한 가입 신청 승인"))
    def approve_selected(self, request, queryset):
        approved = 0
        for member in queryset.filter(status=OrganizationMember.Status.REQUESTED).order_by("pk"):
            members.member_approve(member_id=member.pk, actor=request.user)
            approved += 1
        messages.success(request, gettext("%(count)d건을 승인했습니다.") % {"count": approved})


class ConsultingRequestDecisionForm(djforms.ModelForm):
    decision = djforms.ChoiceField(
        label=_("처리"),
        required=False,
        choices=[("", _("그대로 두기")), ("accept", _("컨설팅 시작")), ("decline", _("반려 (사유 필요)"))],
    )
    title = djforms.CharField(label=_("컨설팅 제목"), required=False, max_length=200)
    partner = djforms.ModelChoiceField(
        label=_("협력기관"),
        queryset=None,
        required=False,
        help_text=_("비워 두면 신청한 조직이 고른 기관으로 합니다."),
    )
    reason = djforms.CharField(label=_("반려 사유"), required=False, max_length=300)

    class Meta:
        model = ConsultingRequest
        fields = []

    def __init__(self, *args, **kwargs):
        from jeonju_center.partners.models import PartnerCenter

        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = PartnerCenter.objects.filter(is_active=True).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("decision") == "accept" and not (data.get("title") or "").strip():
            self.add_error("title", _("컨설팅 제목을 적어 주세요."))
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("반려 사유를 적어 주세요. 신청한 분에게 그대로 보냅니다."))
        return data


@admin.register(ConsultingRequest)
class ConsultingRequestAdmin(ServiceAdminMixin, PortalModelAdmin):
    """Consulting requests from organizations' members: start a consulting case from one (the consulting
    service) or decline it with a reason."""

    form = ConsultingRequestDecisionForm
    list_display = ["organization", "topic", "status", "preferred_partner", "created_at", "case"]
    list_filter = ["status", "topic"]
    list_select_related = ["organization", "preferred_partner", "case"]
    search_fields = ["organization__name", "description"]
    readonly_fields = [
        "organization",
        "requested_by",
        "topic",
        "description",
        "preferred_partner",
        "status",
        "case",
        "decided_by",
        "decided_at",
        "decline_reason",
    ]

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["organization", "requested_by", "topic", "description", "preferred_partner"]}),
            (_("처리"), {"fields": ["status", "decision", "title", "partner", "reason", "case",
                                   "decided_by", "decided_at", "decline_reason"]}),
        ]  # fmt: skip

    def has_add_permission(self, request):
        return False  # organizations ask on the portal; staff never retype a request

    def save_through_service(self, request, obj, form, change):
        _require_decision(form)
        if form.cleaned_data["decision"] == "accept":
            members.consulting_request_accept(
                request_id=obj.pk,
                actor=request.user,
                title=form.cleaned_data["title"],
                partner=form.cleaned_data.get("partner"),
            )
        else:
            members.consulting_request_decline(
                request_id=obj.pk, actor=request.user, reason=form.cleaned_data["reason"]
            )
        obj.refresh_from_db()


# --- Self-service profile: policies and the review queue ---------------------------------------------------


@admin.register(ProfileFieldPolicy)
class ProfileFieldPolicyAdmin(PortalModelAdmin):
    """Per field: a member's change published at once or after the team's review (no row: the code's
    default, ``profiles.DEFAULT_REVIEW``)."""

    list_display = ["target", "field_name", "requires_review", "updated_at"]
    list_editable = ["requires_review"]
    list_filter = ["target", "requires_review"]


class PendingFirstFilter(admin.SimpleListFilter):
    """The queue opens on what waits for a decision; the other states are one click away."""

    title = _("상태")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("all", _("전체")), *ProfileChange.Status.choices]

    def choices(self, changelist):
        value = self.value() or ProfileChange.Status.PENDING
        for lookup, title in self.lookup_choices:
            yield {
                "selected": value == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or ProfileChange.Status.PENDING
        return queryset if value == "all" else queryset.filter(status=value)


class ProfileChangeDecisionForm(djforms.ModelForm):
    decision = djforms.ChoiceField(
        label=_("처리"),
        required=False,
        choices=[("", _("그대로 두기")), ("approve", _("승인 (공개)")), ("reject", _("반려 (사유 필요)"))],
    )
    comment = djforms.CharField(label=_("반려 사유"), required=False, max_length=300, widget=djforms.Textarea)

    class Meta:
        model = ProfileChange
        fields = []

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("반려 사유를 적어 주세요. 요청한 분에게 그대로 보냅니다."))
        return data


@admin.register(ProfileChange)
class ProfileChangeAdmin(ServiceAdminMixin, PortalModelAdmin):
    """The review queue: members' changes waiting for the team, the current value beside the proposed one.
    Approving publishes exactly that field through ``profiles``; rejecting needs a reason."""

    form = ProfileChangeDecisionForm
    list_display = [
        "organization",
        "product",
        "field_column",
        "current_column",
        "proposed_column",
        "submitted_by",
        "created_at",
        "status",
    ]
    list_filter = [PendingFirstFilter, "field_name", "channel"]
    list_select_related = ["organization__dong", "product", "submitted_by"]
    search_fields = ["organization__name", "product__name"]
    actions = ["approve_selected", "reject_selected"]
    readonly_fields = [
        "organization",
        "product",
        "field_column",
        "current_column",
        "proposed_column",
        "old_display",
        "status",
        "channel",
        "submitted_by",
        "created_at",
        "decided_by",
        "decided_at",
        "decision_comment",
    ]

    def get_queryset(self, request):
        # The current value of a product's certifications is shown per row: prefetched, not one query each.
        return super().get_queryset(request).prefetch_related("product__certifications")

    def get_fieldsets(self, request, obj=None):
        return [
            (None, {"fields": ["organization", "product", "field_column", "current_column", "proposed_column",
                               "old_display", "submitted_by", "created_at", "channel"]}),
            (_("처리"), {"fields": ["status", "decision", "comment", "decided_by", "decided_at",
                                   "decision_comment"]}),
        ]  # fmt: skip

    def has_add_permission(self, request):
        return False  # changes come from the services (members' pages, the back office's forms)

    def get_urls(self):
        return [
            path(
                "<int:change_id>/photo/",
                self.admin_site.admin_view(self.photo_view),
                name="social_economy_profilechange_photo",
            ),
            *super().get_urls(),
        ]

    def photo_view(self, request, change_id):
        # Pending photos are in the private storage: staff see them through here only.
        from django.http import Http404

        from jeonju_center.common.storage import private_file_response

        if not self.has_view_permission(request):
            raise PermissionDenied
        change = get_object_or_404(ProfileChange, pk=change_id)
        if not change.new_image:
            raise Http404
        return private_file_response(
            change.new_image,
            not_found=gettext("사진을 찾을 수 없습니다."),
            inline=True,
            content_type="image/" + _image_type(change.new_image.name),
        )

    @admin.display(description=_("항목"), ordering="field_name")
    def field_column(self, obj):
        return obj.field_label

    @admin.display(description=_("현재 값"))
    def current_column(self, obj):
        owner = obj.product if obj.product_id else obj.organization
        if obj.field_name == NEW_PRODUCT:
            return gettext("비공개 (검토 대기)") if not obj.product.is_active else gettext("공개 중")
        if obj.field_name == "image":
            return _thumbnail(owner.image.url if owner.image else "", gettext("현재 사진"))
        if obj.field_name == "certifications":
            return ", ".join(c.name for c in obj.product.certifications.all()) or "-"
        if obj.field_name == "dong":
            return obj.organization.dong.name if obj.organization.dong_id else "-"
        return profiles.display_value(
            obj.target, obj.field_name, profiles.current_value(owner, obj.field_name)
        )

    @admin.display(description=_("요청한 값"))
    def proposed_column(self, obj):
        if obj.field_name == "image" and obj.new_image:
            return _thumbnail(
                reverse("admin:social_economy_profilechange_photo", args=[obj.pk]), gettext("새 사진")
            )
        return obj.new_display or "-"

    def save_through_service(self, request, obj, form, change):
        _require_decision(form)
        if form.cleaned_data["decision"] == "approve":
            profiles.profile_change_approve(change_id=obj.pk, actor=request.user)
        else:
            profiles.profile_change_reject(
                change_id=obj.pk, actor=request.user, comment=form.cleaned_data["comment"]
            )
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        pass  # the service wrote the rows

    @admin.action(description=_("선택한 변경 승인 (공개)"))
    def approve_selected(self, request, queryset):
        approved, refused = 0, []
        for change in queryset.filter(status=ProfileChange.Status.PENDING).select_related("organization"):
            try:
                profiles.profile_change_approve(change_id=change.pk, actor=request.user)
                approved += 1
            except ValidationError as error:
                refused.append(f"{change}: {' '.join(error.messages)}")
        if approved:
            self.message_user(
                request, gettext("%(count)d건을 승인했습니다.") % {"count": approved}, messages.SUCCESS
            )
        for reason in refused:
            self.message_user(request, reason, messages.ERROR)

    @admin.action(description=_("선택한 변경 반려 (사유 입력)"))
    def reject_selected(self, request, queryset):
        form = ProfileChangeRejectForm(request.POST if "apply" in request.POST else None)
        pending = queryset.filter(status=ProfileChange.Status.PENDING).select_related(
            "organization", "product"
        )
        if form.is_bound and form.is_valid():
            rejected = 0
            for change in pending:
                profiles.profile_change_reject(
                    change_id=change.pk, actor=request.user, comment=form.cleaned_data["comment"]
                )
                rejected += 1
            self.message_user(
                request, gettext("%(count)d건을 반려했습니다.") % {"count": rejected}, messages.SUCCESS
            )
            return None
        return TemplateResponse(
            request,
            "admin/social_economy/profilechange/reject.html",
            {
                **self.admin_site.each_context(request),
                "title": gettext("변경 반려"),
                "opts": self.model._meta,
                "form": form,
                "changes": pending,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


def _image_type(name):
    extension = name.rsplit(".", 1)[-1].lower()
    return {"jpg": "jpeg"}.get(extension, extension)


def _thumbnail(url, alt):
    if not url:
        return "-"
    return format_html('<img src="{}" alt="{}" width="120">', url, alt)
