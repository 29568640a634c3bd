"""The back office of space booking: the spaces with their closed days, and the requests, decided through the
services (approve, decline or cancel with a reason, record a no-show); staff never edit a request's time."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.admin_mixins import PortalModelAdmin, ServiceAdminMixin

from . import services
from .models import Booking, BookingStatus, Space, SpaceClosure


class SpaceClosureInline(admin.TabularInline):
    model = SpaceClosure
    extra = 0


@admin.register(Space)
class SpaceAdmin(PortalModelAdmin):
    list_display = ["name", "kind", "capacity", "opens_at", "closes_at", "open_weekdays", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "location"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["vacant_house"]
    inlines = [SpaceClosureInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "vacant_house", "location", "description", "is_active"]}),
        (_("시설"), {"fields": ["capacity", "equipment", "photo", "photo_alt", "rules"]}),
        (
            _("운영 시간"),
            {"fields": ["opens_at", "closes_at", "open_weekdays", "closed_on_holidays", "slot_minutes"]},
        ),
        (
            _("신청 규칙"),
            {"fields": ["max_hours", "min_notice_days", "book_ahead_days", "cancel_until_days"]},
        ),
    ]


@admin.register(SpaceClosure)
class SpaceClosureAdmin(PortalModelAdmin):
    """Closed days; normally added on the space's own page."""

    list_display = ["space", "date", "reason"]
    list_filter = ["space"]
    list_select_related = ["space"]
    search_fields = ["reason", "space__name"]
    date_hierarchy = "date"


class Decision:
    APPROVE = "approve"
    DECLINE = "decline"
    CANCEL = "cancel"
    NO_SHOW = "no_show"


class BookingDecisionForm(forms.ModelForm):
    decision = forms.ChoiceField(
        label=_("처리"),
        required=False,
        choices=[
            ("", _("그대로 두기")),
            (Decision.APPROVE, _("승인")),
            (Decision.DECLINE, _("거절 (사유 필요)")),
            (Decision.CANCEL, _("승인 취소 (사유 필요)")),
            (Decision.NO_SHOW, _("불참(노쇼) 기록")),
        ],
        help_text=_("처리 결과는 신청한 분에게 이메일로 갑니다(불참 기록 제외)."),
    )
    reason = forms.CharField(label=_("거절·취소 사유"), required=False, max_length=300)

    class Meta:
        model = Booking
        fields = []

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") in (Decision.DECLINE, Decision.CANCEL)
            and not (data.get("reason") or "").strip()
        ):
            self.add_error(
                "reason", _("거절하거나 취소할 때는 사유를 적어 주세요. 신청한 분에게 그대로 보냅니다.")
            )
        if not data.get("decision") and (data.get("reason") or "").strip():
            self.add_error("decision", _("사유를 적었다면 거절 또는 승인 취소를 골라 주세요."))
        return data


@admin.register(Booking)
class BookingAdmin(ServiceAdminMixin, PortalModelAdmin):
    personal_data_kind = _("대관 신청")
    form = BookingDecisionForm
    list_display = ["space", "starts_at", "ends_at", "headcount", "group_name", "status", "decided_at"]
    list_filter = ["status", "space"]
    list_select_related = ["space"]
    search_fields = ["group_name", "space__name"]
    date_hierarchy = "starts_at"
    actions = ["approve_selected"]
    readonly_fields = [
        "space",
        "user",
        "group_name",
        "contact_phone",
        "purpose",
        "headcount",
        "starts_at",
        "ends_at",
        "status",
        "decline_reason",
        "decided_by",
        "decided_at",
        "cancelled_at",
        "anonymised_at",
    ]
    fieldsets = [
        (None, {"fields": ["space", "starts_at", "ends_at", "status"]}),
        (_("신청"), {"fields": ["user", "group_name", "contact_phone", "purpose", "headcount"]}),
        (
            _("처리"),
            {"fields": ["decision", "reason", "decline_reason", "decided_by", "decided_at", "cancelled_at"]},
        ),
    ]

    def has_add_permission(self, request):
        return False  # citizens request on the portal; staff never retype a request

    def save_through_service(self, request, obj, form, change):
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        if decision == Decision.APPROVE:
            services.booking_approve(booking_id=obj.pk, actor=request.user)
        elif decision == Decision.DECLINE:
            services.booking_decline(booking_id=obj.pk, actor=request.user, reason=reason)
        elif decision == Decision.CANCEL:
            services.booking_cancel_by_staff(booking_id=obj.pk, actor=request.user, reason=reason)
        elif decision == Decision.NO_SHOW:
            services.booking_record_no_show(booking_id=obj.pk, actor=request.user)
        obj.refresh_from_db()

    @admin.action(description=_("선택한 신청 승인"))
    def approve_selected(self, request, queryset):
        approved, refused = 0, []
        for booking in queryset.filter(status=BookingStatus.REQUESTED).order_by("created_at"):
            try:
                services.booking_approve(booking_id=booking.pk, actor=request.user)
            except ValidationError as error:
                refused.append(f"{booking}: {' '.join(error.messages)}")
            else:
                approved += 1
        messages.success(request, gettext("%(count)d건을 승인했습니다.") % {"count": approved})
        for message in refused:
            messages.warning(request, message)
