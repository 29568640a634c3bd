from django.contrib import admin
from django.db import models
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.masking import mask_name, mask_phone

from .models import (
    ConsultingCase,
    ConsultingSession,
    Network,
    NetworkMembership,
    Organization,
    Product,
    ProductCertification,
    SalesChannel,
    Store,
    StoreListing,
    SupportNeed,
    SurveyCampaign,
    SurveyProductItem,
    SurveyResponse,
)

# --- Lookups ------------------------------------------------------------------------------------------


class LookupAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "display_order", "is_active"]
    list_editable = ["display_order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


admin.site.register(SalesChannel, LookupAdmin)
admin.site.register(SupportNeed, LookupAdmin)
admin.site.register(ProductCertification, LookupAdmin)


# --- Organizations ------------------------------------------------------------------------------------


class ProductInline(admin.TabularInline):
    model = Product
    extra = 0
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


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
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
    inlines = [ProductInline, OrganizationMembershipInline]
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
        return super().get_queryset(request).annotate(product_count=Count("products"))

    @admin.display(description=_("생산품·서비스 수"), ordering="product_count")
    def product_count(self, obj):
        return obj.product_count


# --- Products -----------------------------------------------------------------------------------------


@admin.register(Product)
class ProductAdmin(admin.ModelAdmin):
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


# --- Survey -------------------------------------------------------------------------------------------


@admin.register(SurveyCampaign)
class SurveyCampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "starts_on", "ends_on", "status", "response_count", "completed_count"]
    list_filter = ["status", "year"]
    search_fields = ["name"]
    date_hierarchy = "starts_on"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                response_count=Count("responses"),
                completed_count=Count(
                    "responses", filter=Q(responses__status__in=SurveyResponse.COMPLETED_STATUSES)
                ),
            )
        )

    @admin.display(description=_("응답 대상"), ordering="response_count")
    def response_count(self, obj):
        return obj.response_count

    @admin.display(description=_("제출·검증 완료"), ordering="completed_count")
    def completed_count(self, obj):
        return obj.completed_count


class SurveyProductItemInline(admin.TabularInline):
    model = SurveyProductItem
    extra = 0
    fields = ["product", "annual_sales", "unit_price", "notes"]
    autocomplete_fields = ["product"]


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = [
        "organization",
        "campaign",
        "status",
        "surveyed_on",
        "masked_respondent_name",
        "masked_respondent_phone",
        "annual_revenue",
        "employees_count",
    ]
    list_filter = ["campaign", "status", "sales_channels", "needs", "organization__org_type"]
    list_select_related = ["organization", "campaign"]
    search_fields = ["organization__name", "organization__business_registration_number"]
    autocomplete_fields = ["organization"]
    filter_horizontal = ["sales_channels", "needs"]
    date_hierarchy = "surveyed_on"
    inlines = [SurveyProductItemInline]

    @admin.display(description=_("응답자 이름"))
    def masked_respondent_name(self, obj):
        return mask_name(obj.respondent_name)

    @admin.display(description=_("응답자 연락처"))
    def masked_respondent_phone(self, obj):
        return mask_phone(obj.respondent_phone)


@admin.register(SurveyProductItem)
class SurveyProductItemAdmin(admin.ModelAdmin):
    list_display = ["product", "organization_name", "campaign_name", "annual_sales", "unit_price"]
    list_filter = ["response__campaign", "product__category"]
    list_select_related = ["product", "response__organization", "response__campaign"]
    search_fields = ["product__name", "response__organization__name"]
    autocomplete_fields = ["response", "product"]

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
class StoreAdmin(admin.ModelAdmin):
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

    @admin.display(description=_("판매 중 상품 수"), ordering="open_listing_count")
    def open_listing_count(self, obj):
        return obj.open_listing_count


@admin.register(StoreListing)
class StoreListingAdmin(admin.ModelAdmin):
    list_display = ["product", "organization_name", "store", "listed_on", "delisted_on", "shelf_price"]
    list_filter = ["store", ("delisted_on", admin.EmptyFieldListFilter), "product__category"]
    list_select_related = ["store", "product__organization"]
    search_fields = ["product__name", "product__organization__name", "store__name"]
    autocomplete_fields = ["product"]
    date_hierarchy = "listed_on"

    @admin.display(description=_("사회적경제조직"), ordering="product__organization__name")
    def organization_name(self, obj):
        return obj.product.organization.name


# --- Consulting ---------------------------------------------------------------------------------------


class ConsultingSessionInline(admin.TabularInline):
    model = ConsultingSession
    extra = 0
    fields = ["held_on", "consultant", "hours", "notes"]


@admin.register(ConsultingCase)
class ConsultingCaseAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "organization",
        "partner_center",
        "topic",
        "status",
        "opened_on",
        "closed_on",
        "session_count",
        "total_hours",
    ]
    list_filter = ["status", "topic", "partner_center"]
    list_select_related = ["organization", "partner_center"]
    search_fields = ["title", "organization__name", "summary"]
    autocomplete_fields = ["organization"]
    date_hierarchy = "opened_on"
    inlines = [ConsultingSessionInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(session_count=Count("sessions"), total_hours=Sum("sessions__hours"))
        )

    @admin.display(description=_("회차"), ordering="session_count")
    def session_count(self, obj):
        return obj.session_count

    @admin.display(description=_("총 시간"), ordering="total_hours")
    def total_hours(self, obj):
        return obj.total_hours or 0


@admin.register(ConsultingSession)
class ConsultingSessionAdmin(admin.ModelAdmin):
    list_display = ["held_on", "case", "organization_name", "consultant", "hours"]
    list_filter = ["case__topic", "case__partner_center"]
    list_select_related = ["case__organization"]
    search_fields = ["consultant", "case__title", "case__organization__name"]
    autocomplete_fields = ["case"]
    date_hierarchy = "held_on"

    @admin.display(description=_("사회적경제조직"), ordering="case__organization__name")
    def organization_name(self, obj):
        return obj.case.organization.name


# --- Networks -----------------------------------------------------------------------------------------


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
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
class NetworkMembershipAdmin(admin.ModelAdmin):
    list_display = ["organization", "network", "role", "joined_on", "left_on"]
    list_filter = ["network", "role", ("left_on", admin.EmptyFieldListFilter)]
    list_select_related = ["organization", "network"]
    search_fields = ["organization__name", "network__name"]
    autocomplete_fields = ["network", "organization"]
