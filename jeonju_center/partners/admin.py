from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from .models import ChangeEvent, IdempotencyRecord, PartnerAPIKey, PartnerCenter
from .scopes import SCOPE_CHOICES
from .services import partner_key_create, partner_key_revoke

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
class PartnerCenterAdmin(admin.ModelAdmin):
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


@admin.register(PartnerAPIKey)
class PartnerAPIKeyAdmin(APIKeyModelAdmin):
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
    list_filter = ["partner", "revoked", "created"]
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
            kwargs["form"] = admin.options.forms.ModelForm
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        try:
            api_key, raw_key = partner_key_create(
                partner=form.cleaned_data["partner"],
                scopes=form.cleaned_data["scopes"],
                name=form.cleaned_data["name"],
                expires_at=form.cleaned_data["expiry_date"],
                rate_limit_per_minute=form.cleaned_data["rate_limit_per_minute"],
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        obj.pk = api_key.pk
        self.message_user(
            request,
            _("API 키가 발급되었습니다. 이 화면에서 한 번만 보여 주므로 지금 안전하게 전달하세요: %(key)s")
            % {"key": raw_key},
            messages.WARNING,
        )

    @admin.action(description=_("선택한 API 키 폐기"))
    def revoke_keys(self, request, queryset):
        for api_key in queryset:
            partner_key_revoke(api_key=api_key)
        self.message_user(request, _("%(count)d개의 키를 폐기했습니다.") % {"count": queryset.count()})


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
