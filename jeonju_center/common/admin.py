from django.contrib import admin

from .models import Dong, ServiceHeartbeat


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
