from django.contrib import admin

from .models import Dong, OutboxEmail, ServiceHeartbeat


@admin.register(Dong)
class DongAdmin(admin.ModelAdmin):
    list_display = ["name", "district", "display_order", "is_active"]
    list_editable = ["display_order", "is_active"]
    list_filter = ["district", "is_active"]
    search_fields = ["name"]


@admin.register(ServiceHeartbeat)
class ServiceHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["component", "last_seen"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["subject", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status"]
    search_fields = ["subject", "dedup_key"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboxEmail._meta.fields]

    def has_add_permission(self, request):
        return False
