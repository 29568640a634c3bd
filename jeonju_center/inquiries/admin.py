"""The teams' inboxes of inquiries: each team sees its own (센터 관리자 every team's), assigns, keeps an internal
note and answers through the services; the question itself is read-only (staff never retype it)."""

from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.admin_mixins import PortalModelAdmin, ServiceAdminMixin

from . import selectors, services
from .models import Inquiry


class OverdueFilter(admin.SimpleListFilter):
    title = _("답변 기한")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [("overdue", _("기한 지남")), ("open", _("답변 대기"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(selectors.overdue_q())
        if self.value() == "open":
            return queryset.filter(status__in=selectors.OPEN_STATUSES)
        return queryset


class InquiryAdminForm(forms.ModelForm):
    class Meta:
        model = Inquiry
        fields = ["assignee", "internal_note", "answer"]


@admin.register(Inquiry)
class InquiryAdmin(ServiceAdminMixin, PortalModelAdmin):
    personal_data_kind = _("1:1 문의")
    form = InquiryAdminForm
    list_display = ["receipt_number", "subject", "team", "status", "assignee", "received_at", "deadline"]
    list_filter = [OverdueFilter, "team", "status"]
    search_fields = ["receipt_number", "subject", "name", "email"]
    list_select_related = ["assignee"]
    autocomplete_fields = ["assignee"]
    readonly_fields = [
        "receipt_number",
        "team",
        "status",
        "name",
        "email",
        "phone",
        "subject",
        "question_text",
        "received_at",
        "due_on",
        "assigned_at",
        "answered_at",
        "answered_by",
        "anonymised_at",
    ]
    fieldsets = [
        (None, {"fields": ["receipt_number", "team", "status", "received_at", "due_on"]}),
        (_("문의"), {"fields": ["name", "email", "phone", "subject", "question_text"]}),
        (_("처리"), {"fields": ["assignee", "assigned_at", "internal_note"]}),
        (
            _("답변"),
            {
                "fields": ["answer", "answered_at", "answered_by", "anonymised_at"],
                "description": _("저장하면 답변이 문의한 분에게 이메일로 갑니다. 답변은 한 번만 보냅니다."),
            },
        ),
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).exclude(status=Inquiry.Status.PENDING)
        return selectors.inbox_for(request.user, queryset)

    def has_add_permission(self, request):
        return False  # citizens ask on the portal; staff never retype a question

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status == Inquiry.Status.ANSWERED:
            fields.append("answer")
        return fields

    @admin.display(description=_("문의 내용"))
    def question_text(self, inquiry):
        return format_html('<div style="white-space: pre-wrap">{}</div>', inquiry.question)

    @admin.display(description=_("답변 기한"), ordering="due_on")
    def deadline(self, inquiry):
        if inquiry.due_on is None:
            return "-"
        if inquiry.status != Inquiry.Status.ANSWERED and inquiry.due_on < timezone.localdate():
            return format_html(
                '<strong class="errornote">{} ({})</strong>', inquiry.due_on, gettext("기한 지남")
            )
        return inquiry.due_on

    def save_through_service(self, request, obj, form, change):
        """Each change goes through its service (assignment, note, answer), in that order; a refusal undoes
        all of them and shows on the form."""
        changed = set(form.changed_data)
        if "assignee" in changed:
            services.inquiry_assign(inquiry_id=obj.pk, assignee=obj.assignee, actor=request.user)
        if "internal_note" in changed:
            services.inquiry_note(inquiry_id=obj.pk, note=obj.internal_note, actor=request.user)
        if "answer" in changed:
            services.inquiry_answer(inquiry_id=obj.pk, answer=obj.answer, actor=request.user)
            messages.success(request, gettext("답변을 저장하고 문의한 분에게 이메일로 보냈습니다."))
        obj.refresh_from_db()
