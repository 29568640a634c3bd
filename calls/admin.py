"""Back office of the calls: staff create and publish calls, and the call's team reviews the applications —
eligibility computed, documents opened with a recorded reason, 보완 요청, scores per reviewer, the draw and the
results, contracts and community registration. Staff never retype what applicants entered."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, FloatField, Q, Sum
from django.db.models.functions import Cast
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.admin_mixins import PortalInlineMixin, PortalModelAdmin, ServiceAdminMixin
from jeonju_center.common.download_reasons import download_reason, personal_file_download
from jeonju_center.common.models import PersonalDataAccess
from jeonju_center.common.personal_data import can_view_personal_data, record_personal_data_access

from . import exports, services
from .eligibility import application_checks
from .forms import DecideForm, RevisionRequestForm
from .models import (
    Application,
    ApplicationDocument,
    ApplicationMember,
    ApplicationStatus,
    Call,
    CallAttachment,
    CallQuestion,
    ConflictOfInterest,
    DocumentRequirement,
    Draw,
    ReviewScore,
    ScoringCriterion,
)


def is_on_team(user, call):
    return user.is_superuser or user.groups.filter(pk=call.team_group_id).exists()


class CallAttachmentInline(admin.TabularInline):
    model = CallAttachment
    extra = 0


class DocumentRequirementInline(admin.TabularInline):
    model = DocumentRequirement
    extra = 0


class CallQuestionInline(admin.TabularInline):
    model = CallQuestion
    extra = 0


class ScoringCriterionInline(admin.TabularInline):
    model = ScoringCriterion
    extra = 0


@admin.register(Call)
class CallAdmin(ServiceAdminMixin, PortalModelAdmin):
    list_display = ["title", "program", "opens_at", "closes_at", "is_published", "applications_link"]
    list_filter = ["program", "is_published", "selection_method"]
    search_fields = ["title", "code"]
    filter_horizontal = ["rooms", "dongs"]
    autocomplete_fields = ["housing_program"]
    inlines = [CallAttachmentInline, DocumentRequirementInline, CallQuestionInline, ScoringCriterionInline]
    readonly_fields = ["receipt_sequence", "decide_link"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "code",
                    "program",
                    "housing_program",
                    "rooms",
                    "team_group",
                    "is_published",
                ]
            },
        ),
        (_("공고"), {"fields": ["summary", "notice", "opens_at", "closes_at", "announce_on"]}),
        (
            _("선정"),
            {"fields": ["places", "reserve_places", "selection_method", "draw_seed_method", "decide_link"]},
        ),
        (
            _("신청 자격"),
            {
                "fields": [
                    "min_age",
                    "max_age",
                    "residence",
                    "dongs",
                    "requires_no_home",
                    "max_income_bracket",
                    "group_min_members",
                ]
            },
        ),
        (
            _("개인정보"),
            {"fields": ["privacy_terms", "privacy_terms_version", "retention_days", "receipt_sequence"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                handed_in=Count("applications", filter=~Q(applications__status=ApplicationStatus.DRAFT))
            )
        )

    def save_through_service(self, request, obj, form, change):
        services.call_save(call=obj, actor=request.user)

    def save_related(self, request, form, formsets, change):
        # The dongs and rooms through their service (frozen once applications are in), not the form's m2m save.
        call = form.instance
        if not change or {"dongs", "rooms"} & set(form.changed_data):
            self._through_service(
                call,
                lambda: services.call_areas_set(
                    call=call,
                    dongs=form.cleaned_data["dongs"],
                    rooms=form.cleaned_data["rooms"],
                    actor=request.user,
                ),
            )
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    @admin.display(description=_("신청서"))
    def applications_link(self, call):
        url = reverse("admin:calls_application_changelist") + f"?call__id__exact={call.pk}"
        return format_html('<a href="{}">{}</a>', url, gettext("%(count)d건") % {"count": call.handed_in})

    @admin.display(description=_("결과 정하기"))
    def decide_link(self, call):
        if call.pk is None:
            return "-"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:calls_call_decide", args=[call.pk]),
            gettext("추첨·결과 정하기"),
            reverse("admin:calls_call_applicants_xlsx", args=[call.pk]),
            gettext("신청자 명단 내려받기 (Excel)"),
        )

    def get_urls(self):
        return [
            path(
                "<int:object_id>/decide/",
                self.admin_site.admin_view(self.decide_view),
                name="calls_call_decide",
            ),
            path(
                "<int:object_id>/applicants.xlsx",
                self.admin_site.admin_view(self.applicants_xlsx_view),
                name="calls_call_applicants_xlsx",
            ),
            *super().get_urls(),
        ]

    def applicants_xlsx_view(self, request, object_id):
        """The applicant list: the call's team only, a reason every time, unmasked only with the permission;
        each export is logged with its row count."""
        call = get_object_or_404(Call, pk=object_id)
        if not (request.user.has_perm("calls.view_application") and is_on_team(request.user, call)):
            raise PermissionDenied
        reason, unmasked, ask = download_reason(
            request,
            title=gettext("신청자 명단"),
            data_kind=gettext("신청인 이름·생년월일·연락처"),
            back_url=reverse("admin:calls_call_change", args=[call.pk]),
        )
        if ask:
            return ask
        rows = exports.applicant_rows(call)
        record_personal_data_access(
            request,
            action=PersonalDataAccess.Action.EXPORT,
            model=Application,
            object_ids=[application.pk for application in rows],
            record_count=len(rows),
            fields=list(exports.PERSONAL_COLUMNS),
            reason=reason,
            masked=not unmasked,
            data_kind=gettext("모집 신청서"),
        )
        response = HttpResponse(
            exports.applicants_xlsx(call, rows, unmasked=unmasked), content_type=exports.XLSX_CONTENT_TYPE
        )
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=f"신청자명단-{call.slug}.xlsx"
        )
        return response

    def decide_view(self, request, object_id):
        call = get_object_or_404(Call, pk=object_id)
        if not (self.has_change_permission(request, call) and is_on_team(request.user, call)):
            raise PermissionDenied
        form = DecideForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.call_decide(
                    call=call,
                    actor=request.user,
                    seed=form.cleaned_data["seed"],
                    witnessed_by=form.cleaned_data["witnessed_by"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, gettext("결과를 정하고 신청자에게 알렸습니다."))
                return redirect(reverse("admin:calls_application_changelist") + f"?call__id__exact={call.pk}")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("추첨·결과 정하기: %(title)s") % {"title": call.title},
            "form": form,
            "call": call,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/calls/form_page.html", context, status=400 if form.errors else 200
        )


class DocumentInline(PortalInlineMixin, admin.TabularInline):
    model = ApplicationDocument
    extra = 0
    fields = ["requirement", "original_name", "uploaded_at", "download"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("열기"))
    def download(self, document):
        url = reverse("admin:calls_application_document", args=[document.application_id, document.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("내려받기 (기록됨)"))


class MemberInline(PortalInlineMixin, admin.TabularInline):
    model = ApplicationMember
    extra = 0
    fields = ["name", "dong"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ScoreForm(forms.Form):
    conflict_reason = forms.CharField(
        label=_("이해충돌 신고 사유"), required=False, max_length=200,
        help_text=_("적으면 이 신청서의 심사에서 빠지고, 이미 매긴 점수는 지워집니다."),
    )  # fmt: skip

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[f"criterion_{criterion.pk}"] = forms.IntegerField(
                label=f"{criterion.name} (0~{criterion.max_points})",
                min_value=0,
                max_value=criterion.max_points,
                required=False,
            )


class ContractForm(forms.Form):
    room = forms.ModelChoiceField(label=_("호실"), queryset=None, required=False)
    starts_on = forms.DateField(label=_("입주일"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("계약 종료일"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    deposit = forms.IntegerField(label=_("보증금(원)"), min_value=0, initial=0)
    monthly_rent = forms.IntegerField(label=_("월 임대료(원)"), min_value=0, initial=0)
    market_rent = forms.IntegerField(label=_("월 시세(원)"), min_value=0, required=False)
    household_size = forms.IntegerField(label=_("가구원 수"), min_value=1, initial=1)

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = call.rooms.select_related("house")


@admin.register(Application)
class ApplicationAdmin(PortalModelAdmin):
    personal_data_kind = _("모집 신청서")
    list_display = [
        "receipt_number",
        "applicant_name",
        "call",
        "status",
        "eligible",
        "score",
        "rank",
        "submitted_at",
    ]
    list_filter = ["call", "status"]
    search_fields = ["receipt_number", "applicant_name"]
    list_select_related = ["call"]
    inlines = [DocumentInline, MemberInline]
    actions = ["record_decline", "register_communities"]
    # The applicant's account and answers are theirs (the answers are shown, formatted, below).
    exclude = ["applicant", "answers"]

    def get_queryset(self, request):
        queryset = (
            super()
            .get_queryset(request)
            .exclude(status=ApplicationStatus.DRAFT)
            .prefetch_related("documents", "members", "call__documents", "call__dongs")
            .annotate(
                score_total=Sum("scores__points"),
                reviewers=Count("scores__reviewer", distinct=True),
            )
            .annotate(mean_score=Cast(F("score_total"), FloatField()) / F("reviewers"))
        )
        if request.user.is_superuser:
            return queryset
        # Applicants' data is for the call's own team.
        return queryset.filter(call__team_group__in=request.user.groups.all())

    # Staff review and never retype: every field is read-only (personal ones masked by the mixin).
    readonly_fields = [
        *(
            field.name
            for field in Application._meta.fields
            if field.name not in {"id", "applicant", "answers"}
        ),
        "answers_display",
        "eligibility_details",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("자격"))
    def eligible(self, application):
        checks = application_checks(
            application,
            documents={document.requirement_id for document in application.documents.all()},
            members=len(application.members.all()),
        )
        return gettext("적격") if all(check.passed for check in checks) else gettext("부적격")

    @admin.display(description=_("자격 확인"))
    def eligibility_details(self, application):
        items = format_html_join(
            "",
            "<li>{} {}{}</li>",
            (
                ("✔" if check.passed else "✘", check.rule, f" – {check.detail}" if check.detail else "")
                for check in application_checks(application)
            ),
        )
        return format_html("<ul>{}</ul>", items)

    @admin.display(description=_("질문 답변"))
    def answers_display(self, application):
        answers = application.answers or {}
        return format_html_join(
            "",
            "<p><strong>{}</strong><br>{}</p>",
            (
                (question.text, answers.get(str(question.pk), "-"))
                for question in application.call.questions.all()
            ),
        )

    @admin.display(description=_("평균 점수"), ordering="mean_score")
    def score(self, application):
        return "-" if application.mean_score is None else f"{application.mean_score:.1f}"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "review_links": [
                (reverse("admin:calls_application_revision", args=[object_id]), gettext("보완 요청")),
                (
                    reverse("admin:calls_application_score", args=[object_id]),
                    gettext("점수 매기기·이해충돌 신고"),
                ),
                (reverse("admin:calls_application_contract", args=[object_id]), gettext("입주 계약 맺기")),
            ],
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:object_id>/documents/<int:document_id>/",
                view(self.document_view),
                name="calls_application_document",
            ),
            path("<int:object_id>/revision/", view(self.revision_view), name="calls_application_revision"),
            path("<int:object_id>/score/", view(self.score_view), name="calls_application_score"),
            path("<int:object_id>/contract/", view(self.contract_view), name="calls_application_contract"),
            *super().get_urls(),
        ]

    def _application(self, request, object_id, *, change=True):
        application = self.get_object(request, str(object_id))
        if application is None:
            raise Http404(_("신청서를 찾을 수 없습니다."))
        allowed = (
            self.has_change_permission(request, application)
            if change
            else self.has_view_permission(request, application)
        )
        if not allowed or not is_on_team(request.user, application.call):
            raise PermissionDenied
        return application

    def _page(self, request, application, title, form, status=200):
        context = {
            **self.admin_site.each_context(request),
            "title": f"{title}: {application}",
            "form": form,
            "application": application,
            "opts": self.model._meta,
            "back_url": reverse("admin:calls_application_change", args=[application.pk]),
        }
        return TemplateResponse(
            request, "admin/calls/form_page.html", context, status=400 if form.errors else status
        )

    def document_view(self, request, object_id, document_id):
        """A submitted document, for the call's team only; every download is logged with its reason."""
        application = self._application(request, object_id, change=False)
        if not can_view_personal_data(request.user):
            raise PermissionDenied(_("제출 서류는 개인정보 열람 권한이 있어야 내려받을 수 있습니다."))
        document = get_object_or_404(ApplicationDocument, pk=document_id, application=application)
        return personal_file_download(
            request,
            file=document.file,
            filename=document.original_name,
            title=gettext("제출 서류"),
            data_kind=gettext("신청인의 제출 서류"),
            back_url=reverse("admin:calls_application_change", args=[application.pk]),
            model=Application,
            object_ids=[application.pk],
            fields=[f"document:{document.requirement.name}"],
            not_found=_("파일을 찾을 수 없습니다."),
            log_kind=self.personal_data_kind,
        )

    def revision_view(self, request, object_id):
        application = self._application(request, object_id)
        form = RevisionRequestForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.application_request_revision(
                    application=application,
                    actor=request.user,
                    message=form.cleaned_data["message"],
                    due_at=form.cleaned_data["due_at"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, gettext("보완을 요청하고 신청인에게 알렸습니다."))
                return redirect("admin:calls_application_change", application.pk)
        return self._page(request, application, gettext("보완 요청"), form)

    def score_view(self, request, object_id):
        application = self._application(request, object_id)
        criteria = list(application.call.criteria.all())
        form = ScoreForm(request.POST or None, criteria=criteria)
        if request.method == "POST" and form.is_valid():
            try:
                if form.cleaned_data["conflict_reason"]:
                    services.conflict_declare(
                        application=application,
                        actor=request.user,
                        reason=form.cleaned_data["conflict_reason"],
                    )
                    messages.success(
                        request, gettext("이해충돌을 신고했습니다. 이 신청서의 심사에서 빠집니다.")
                    )
                else:
                    points = {
                        criterion.pk: form.cleaned_data[f"criterion_{criterion.pk}"]
                        for criterion in criteria
                        if form.cleaned_data.get(f"criterion_{criterion.pk}") is not None
                    }
                    services.score_record(application=application, actor=request.user, points=points)
                    messages.success(request, gettext("점수를 저장했습니다."))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("admin:calls_application_change", application.pk)
        return self._page(request, application, gettext("점수 매기기"), form)

    def contract_view(self, request, object_id):
        application = self._application(request, object_id)
        form = ContractForm(
            request.POST or None, call=application.call, initial={"room": application.first_choice_id}
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.application_contract(
                    application=application, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(request, gettext("입주 계약을 등록했습니다."))
                return redirect("admin:calls_application_change", application.pk)
        return self._page(request, application, gettext("입주 계약 맺기"), form)

    @admin.action(description=_("선택한 선정자의 포기 처리 (다음 예비 순번 선정)"))
    def record_decline(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda application: services.selection_decline(application=application, actor=request.user),
        )

    @admin.action(description=_("선택한 선정 공동체를 온두레 공동체로 등록"))
    def register_communities(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda application: services.application_register_community(
                application=application, actor=request.user
            ),
        )

    def _each(self, request, queryset, work):
        done = 0
        for application in queryset:
            if not is_on_team(request.user, application.call):
                raise PermissionDenied
            try:
                work(application)
            except ValidationError as error:
                self.message_user(request, f"{application}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, gettext("%(count)d건을 처리했습니다.") % {"count": done})


@admin.register(Draw)
class DrawAdmin(admin.ModelAdmin):
    """Published draws: read-only for everyone (a draw is never changed or redone)."""

    list_display = ["call", "algorithm", "seed", "published_at", "performed_by"]
    readonly_fields = [
        "call",
        "algorithm",
        "seed",
        "entries",
        "order",
        "witnessed_by",
        "performed_by",
        "published_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class TeamScopedReadOnlyAdmin(PortalModelAdmin):
    """Rows that belong to an application: listed for audits, read-only, and only the call's team sees them."""

    team_path = "application__call__team_group"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(**{f"{self.team_path}__in": request.user.groups.all()})

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(TeamScopedReadOnlyAdmin):
    list_display = ["application", "requirement", "original_name", "uploaded_at"]
    list_select_related = ["application", "requirement"]
    search_fields = ["application__receipt_number"]
    exclude = ["file"]  # opened from the application, where the download asks for a reason and is logged


@admin.register(ApplicationMember)
class ApplicationMemberAdmin(TeamScopedReadOnlyAdmin):
    personal_data_kind = _("공동체 신청 구성원")
    list_display = ["application", "name", "dong"]
    list_select_related = ["application", "dong"]
    search_fields = ["application__receipt_number"]


@admin.register(ReviewScore)
class ReviewScoreAdmin(TeamScopedReadOnlyAdmin):
    list_display = ["application", "criterion", "reviewer", "points", "scored_at"]
    list_filter = ["application__call"]
    list_select_related = ["application", "criterion", "reviewer"]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(TeamScopedReadOnlyAdmin):
    list_display = ["application", "reviewer", "reason", "declared_at"]
    list_filter = ["application__call"]
    list_select_related = ["application", "reviewer"]


class CallPartAdmin(PortalModelAdmin):
    """Parts of a call, normally edited on the call's own page."""

    list_select_related = ["call"]
    list_filter = ["call"]


@admin.register(DocumentRequirement)
class DocumentRequirementAdmin(CallPartAdmin):
    list_display = ["name", "call", "is_required", "max_mb"]


@admin.register(ScoringCriterion)
class ScoringCriterionAdmin(CallPartAdmin):
    list_display = ["name", "call", "max_points"]


@admin.register(CallAttachment)
class CallAttachmentAdmin(CallPartAdmin):
    list_display = ["title", "call"]


@admin.register(CallQuestion)
class CallQuestionAdmin(CallPartAdmin):
    list_display = ["text", "call", "is_required"]
