import datetime

from allauth.account import admin as allauth_admin
from allauth.account.models import EmailAddress
from axes import admin as axes_admin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .access_log import access_log_month_to_review, access_log_review_record, monthly_access_report
from .admin_mixins import PersonalDataAdminMixin, PortalModelAdmin
from .messaging import messages_resend
from .models import (
    AccessLogReview,
    Dong,
    OutboxEmail,
    OutboxMessage,
    PersonalDataAccess,
    RetentionRun,
    ServiceHeartbeat,
)
from .outbox import outbox_resend
from .personal_data import ACCESS_LOG_REVIEW_PERMISSION, mask_personal_value
from .retention import retention_policies


class AccessLogReviewForm(forms.Form):
    findings = forms.CharField(
        label=_("점검 의견"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("이상 접근이 있었다면 누구의 어떤 접근이었고 어떻게 조치했는지 적습니다."),
    )


@admin.register(Dong)
class DongAdmin(PortalModelAdmin):
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
class OutboxEmailAdmin(PersonalDataAdminMixin, admin.ModelAdmin):
    personal_data_kind = _("발송 메일")
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


@admin.register(OutboxMessage)
class OutboxMessageAdmin(PersonalDataAdminMixin, admin.ModelAdmin):
    personal_data_kind = _("발송 알림톡·문자")
    list_display = ["event", "status", "channel", "attempts", "created_at", "not_before", "sent_at"]
    actions = ["resend"]
    list_filter = ["status", "channel", "event"]
    search_fields = ["dedup_key", "provider_message_id"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("선택한 알림 다시 보내기 (발송 중 확인 필요·실패 건)"))
    def resend(self, request, queryset):
        count = messages_resend(message_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("%(count)d건을 다시 보낼 대기열에 넣었습니다.") % {"count": count})


# The admin index shows each team's "오늘 확인할 일" above the usual list of models.
admin.site.index_template = "admin/portal_index.html"


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """The access log: read-only for everyone (the model and, on PostgreSQL, a trigger refuse changes)."""

    list_display = [
        "accessed_at",
        "staff_username",
        "ip_address",
        "action",
        "data_kind",
        "record_count",
        "masked",
        "reason",
    ]
    list_filter = ["action", "data_kind", "masked", ("accessed_at", admin.DateFieldListFilter)]
    search_fields = ["staff_username", "data_kind", "reason", "ip_address"]
    date_hierarchy = "accessed_at"
    readonly_fields = [field.name for field in PersonalDataAccess._meta.fields]
    list_select_related = False
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.monthly_review_view)
        return [
            path("review/", view, name="common_personaldataaccess_review"),
            path("review/<int:year>-<int:month>/", view, name="common_personaldataaccess_review_month"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_review": request.user.has_perm(ACCESS_LOG_REVIEW_PERMISSION),
        }
        return super().changelist_view(request, extra_context)

    def monthly_review_view(self, request, year=None, month=None):
        if not request.user.has_perm(ACCESS_LOG_REVIEW_PERMISSION):
            raise PermissionDenied
        if year is None:
            month_start = access_log_month_to_review(timezone.localdate())
        else:
            try:
                month_start = datetime.date(year, month, 1)
            except ValueError as error:
                raise Http404(_("없는 달입니다.")) from error
        report = monthly_access_report(month_start)
        review = AccessLogReview.objects.filter(month=month_start).select_related("reviewed_by").first()
        form = AccessLogReviewForm(request.POST or None)
        if request.method == "POST" and review is None and form.is_valid():
            access_log_review_record(
                month=month_start,
                reviewed_by=request.user,
                findings=form.cleaned_data["findings"],
            )
            self.message_user(
                request, _("%(month)s 점검을 기록했습니다.") % {"month": f"{month_start:%Y-%m}"}
            )
            return redirect(request.path)
        context = {
            **self.admin_site.each_context(request),
            "title": _("개인정보 접근 기록 월간 점검 (%(month)s)") % {"month": f"{month_start:%Y-%m}"},
            "opts": self.model._meta,
            "report": report,
            "review": review,
            "form": form,
            "month_start": month_start,
            "previous_month": (month_start - datetime.timedelta(days=1)).replace(day=1),
            "next_month": (month_start + datetime.timedelta(days=32)).replace(day=1),
        }
        return TemplateResponse(request, "admin/common/personaldataaccess/monthly_review.html", context)


@admin.register(AccessLogReview)
class AccessLogReviewAdmin(admin.ModelAdmin):
    list_display = ["month", "reviewed_by", "reviewed_at", "record_count"]
    readonly_fields = ["month", "reviewed_by", "reviewed_at", "record_count", "findings"]

    def has_add_permission(self, request):
        return False  # recorded from the monthly review screen, which counts the month's rows

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RetentionRun)
class RetentionRunAdmin(admin.ModelAdmin):
    list_display = ["ran_at", "policy_label", "cutoff", "processed_count"]
    list_filter = ["policy"]
    date_hierarchy = "ran_at"

    @admin.display(description=_("보존 정책"), ordering="policy")
    def policy_label(self, run):
        policy = retention_policies().get(run.policy)
        return f"{policy.label} ({policy.days}일)" if policy else run.policy

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- Third-party lists that show personal data: the same masking and access log ------------------------
# django-axes keeps the login typed (a citizen's e-mail) and allauth the addresses of every account.
# Their admins are re-registered with the portal's mixin; their models are told which fields are personal.

AccessAttempt.PERSONAL_DATA_FIELDS = AccessLog.PERSONAL_DATA_FIELDS = (
    AccessFailureLog.PERSONAL_DATA_FIELDS
) = ("username",)
EmailAddress.PERSONAL_DATA_FIELDS = ("email",)


def _masked_str(field_name):
    # Their __str__ shows the address or login, and the admin prints it in checkboxes' labels, titles and
    # breadcrumbs: masked there as every personal model's __str__ is.
    def __str__(self):
        return f"{self._meta.verbose_name} #{self.pk} {mask_personal_value(field_name, getattr(self, field_name))}"

    return __str__


for _model, _field in ((AccessAttempt, "username"), (AccessLog, "username"), (AccessFailureLog, "username"),
                       (EmailAddress, "email")):  # fmt: skip
    _model.__str__ = _masked_str(_field)

for _model, _admin_class, _kind in (
    (AccessAttempt, axes_admin.AccessAttemptAdmin, _("로그인 시도")),
    (AccessLog, axes_admin.AccessLogAdmin, _("로그인 기록")),
    (AccessFailureLog, axes_admin.AccessFailureLogAdmin, _("로그인 실패 기록")),
    (EmailAddress, allauth_admin.EmailAddressAdmin, _("회원 이메일 주소")),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(
        _model,
        type(_admin_class.__name__, (PersonalDataAdminMixin, _admin_class), {"personal_data_kind": _kind}),
    )
