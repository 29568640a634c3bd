from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Dong, OutboxEmail, ServiceHeartbeat
from .outbox import outbox_resend


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
    list_display = ["subject", "status", "attempts", "created_at", "sending_started_at", "sent_at"]
    actions = ["resend"]
    list_filter = ["status"]
    search_fields = ["subject", "dedup_key"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboxEmail._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("선택한 메일 다시 보내기 (발송 중 확인 필요·실패 건)"))
    def resend(self, request, queryset):
        count = outbox_resend(email_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("%(count)d건을 다시 보낼 대기열에 넣었습니다.") % {"count": count})
