"""The back office of partner centers and their API keys (history with reasons), and the read-only
technical logs of the API (change feed, idempotency records)."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import APIKey
from simple_history.utils import update_change_reason

from jeonju_center.common.admin_mixins import ChangeReasonForm, PortalModelAdmin, ServiceAdminMixin

from . import selectors
from .models import ChangeEvent, IdempotencyRecord, PartnerAPIKey, PartnerCenter
from .scopes import SCOPE_CHOICES
from .services import partner_key_create, partner_key_revoke, partner_key_update

# The library's own key model is not used: partner keys carry a partner and scopes.
admin.site.unregister(APIKey)


class PartnerAPIKeyInline(admin.TabularInline):
    model = PartnerAPIKey
    fields = ["prefix", "name", "scopes", "expiry_date", "revoked", "last_used_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(PartnerCenter)
class PartnerCenterAdmin(PortalModelAdmin):
    list_display = ["name", "kind", "contact_email", "contact_phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    inlines = [PartnerAPIKeyInline]


class PartnerAPIKeyForm(admin.options.forms.ModelForm):
    scopes = admin.options.forms.MultipleChoiceField(
        label=_("권한(scope)"),
        choices=SCOPE_CHOICES,
        widget=admin.widgets.FilteredSelectMultiple(_("권한"), False),
    )

    class Meta:
        model = PartnerAPIKey
        fields = ["partner", "name", "scopes", "expiry_date", "rate_limit_per_minute"]


class KeyExpiryFilter(admin.SimpleListFilter):
    """Keys to renew soon and keys already expired (the dashboard links to the first)."""

    title = _("만료")
    parameter_name = "expiry"

    def lookups(self, request, model_admin):
        return [
            ("soon", _("%(days)d일 이내 만료") % {"days": selectors.EXPIRY_WARNING_DAYS}),
            ("expired", _("만료됨(폐기 안 됨)")),
        ]

    def queryset(self, request, queryset):
        if self.value() == "soon":
            return queryset.filter(selectors.api_keys_expiring_q())
        if self.value() == "expired":
            return queryset.filter(selectors.api_keys_expired_q())
        return queryset


@admin.register(PartnerAPIKey)
class PartnerAPIKeyAdmin(ServiceAdminMixin, PortalModelAdmin):
    # Not the library's APIKeyModelAdmin: keys are issued through our service (partner, scopes), and the
    # shared base gives the change history with reasons.
    form = PartnerAPIKeyForm
    list_display = [
        "prefix",
        "name",
        "partner",
        "scope_list",
        "expiry_date",
        "_has_expired",
        "revoked",
        "last_used_at",
    ]
    list_filter = ["partner", "revoked", KeyExpiryFilter, "created"]
    list_select_related = ["partner"]
    search_fields = ["name", "prefix", "partner__name"]
    actions = ["revoke_keys"]

    @admin.display(description=_("권한(scope)"))
    def scope_list(self, obj):
        return ", ".join(obj.scopes)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["prefix"]
        return ["prefix", "partner", "scopes", "revoked", "revoked_at", "last_used_at", "created"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["partner", "name", "scopes", "expiry_date", "rate_limit_per_minute"]
        return ["prefix", "partner", "name", "scopes", "expiry_date", "rate_limit_per_minute", "revoked",
                "revoked_at", "last_used_at", "created"]  # fmt: skip

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None:
            # A plain form (the scopes are read-only once issued) that still takes the change reason.
            kwargs["form"] = ChangeReasonForm
        return super().get_form(request, obj, **kwargs)

    def save_through_service(self, request, obj, form, change):
        if change:
            partner_key_update(api_key=obj, actor=request.user)
            return
        api_key, raw_key = partner_key_create(
            partner=form.cleaned_data["partner"],
            scopes=form.cleaned_data["scopes"],
            name=form.cleaned_data["name"],
            expires_at=form.cleaned_data["expiry_date"],
            rate_limit_per_minute=form.cleaned_data["rate_limit_per_minute"],
            actor=request.user,
        )
        if obj._change_reason:
            update_change_reason(api_key, obj._change_reason)
        self.adopt(obj, api_key)
        self.message_user(
            request,
            _("API 키가 발급되었습니다. 이 화면에서 한 번만 보여 주므로 지금 안전하게 전달하세요: %(key)s")
            % {"key": raw_key},
            messages.WARNING,
        )

    @admin.action(description=_("선택한 API 키 폐기"))
    def revoke_keys(self, request, queryset):
        for api_key in queryset:
            partner_key_revoke(api_key=api_key, actor=request.user)
        self.message_user(request, _("%(count)d개의 키를 폐기했습니다.") % {"count": queryset.count()})


# The API's technical logs: written by the system, read-only here, without personal data or history (see
# the models), hence plain ModelAdmins rather than PortalModelAdmin (whose history screen needs a history).
@admin.register(ChangeEvent)
class ChangeEventAdmin(admin.ModelAdmin):
    list_display = ["id", "resource", "object_id", "action", "occurred_at", "transaction_id"]
    list_filter = ["resource", "action"]
    search_fields = ["object_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(IdempotencyRecord)
class IdempotencyRecordAdmin(admin.ModelAdmin):
    list_display = ["key", "api_key", "status_code", "created_at"]
    list_select_related = ["api_key"]
    search_fields = ["key"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
