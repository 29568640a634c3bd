from django.contrib import admin

from .models import PartnerCenter


@admin.register(PartnerCenter)
class PartnerCenterAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "contact_email", "contact_phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
