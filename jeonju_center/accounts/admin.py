from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.admin_mixins import PersonalDataAdminMixin

from .models import ConsentRecord, User


@admin.register(User)
class UserAdmin(PersonalDataAdminMixin, DjangoUserAdmin):
    personal_data_kind = _("회원 정보")
    list_display = ["username", "name", "email", "dong", "is_staff", "is_active", "date_joined"]
    list_filter = ["is_staff", "is_superuser", "is_active", "groups"]
    list_select_related = ["dong"]
    search_fields = ["username", "name", "email"]
    autocomplete_fields = ["dong"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("개인정보"), {"fields": ["name", "email", "phone", "dong"]}),
        (_("권한"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("주요 일시"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "name", "email", "password1", "password2"]}),
    ]


@admin.register(ConsentRecord)
class ConsentRecordAdmin(PersonalDataAdminMixin, admin.ModelAdmin):
    list_display = ["user", "item", "version", "agreed_at", "withdrawn_at"]
    list_filter = ["item", "version"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email"]
    date_hierarchy = "agreed_at"
    readonly_fields = ["user", "item", "version", "agreed_at", "ip_address"]

    def has_add_permission(self, request):
        return False
