"""The regeneration team's back office.

Every admin derives from the portal's shared bases: personal fields (``PERSONAL_DATA_FIELDS``: council
members, owners and house addresses, tenants, consent documents) are listed by their plain names and masked
unless the viewer holds the 개인정보 열람 permission; unmasked views, searches on personal fields and the
custom screens below (the status report, consent document downloads) write the access log.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.admin_mixins import (
    PortalImportExportAdmin,
    PortalInlineMixin,
    PortalModelAdmin,
    ReadOnlyAdminMixin,
    ServiceAdminMixin,
)
from jeonju_center.common.download_reasons import personal_file_download
from jeonju_center.common.models import PersonalDataAccess
from jeonju_center.common.personal_data import (
    can_view_personal_data,
    personal_fields_of,
    personal_value_for,
    record_personal_data_access,
)

from . import selectors, services
from .forms import HouseTransitionForm, TenancyAdminForm
from .models import (
    GRADE_LABELS,
    ActivationArea,
    CouncilMeeting,
    CouncilMember,
    CouncilSupport,
    GradeScheme,
    HouseStatusChange,
    HousingProgram,
    MeetingAttachment,
    MeetingAttendance,
    OwnerConsent,
    Renovation,
    ResidentCouncil,
    Room,
    Tenancy,
    VacantHouse,
    VacantHouseGrade,
    grade_label,
)
from .resources import VacantHouseResource


class InlinePersonalDataLogMixin:
    """Logs the personal data an unmasked change view shows in its inlines (members of a council,
    tenants and consent documents of a house): the shared mixin logs the parent's own fields only."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200 and can_view_personal_data(request.user):
            for inline_formset in getattr(response, "context_data", {}).get("inline_admin_formsets", []):
                self._log_inline(request, inline_formset)
        return response

    def _log_inline(self, request, inline_formset):
        model = inline_formset.opts.model
        personal = personal_fields_of(model)
        listed = set(flatten_fieldsets(inline_formset.fieldsets))
        shown_fields = [name for name in personal if name in listed]
        shown_per_object = {
            form.instance.pk: {
                name for name in shown_fields if getattr(form.instance, name, None) not in (None, "")
            }
            for form in inline_formset.formset.initial_forms
        }
        revealed = [pk for pk, names in shown_per_object.items() if names]
        if revealed:
            record_personal_data_access(
                request,
                action=PersonalDataAccess.Action.VIEW,
                model=model,
                object_ids=revealed,
                fields=sorted(set().union(*shown_per_object.values())),
            )


class _DocumentLink:
    """What the file widget links to: the logged download view instead of the media URL."""

    def __init__(self, value, url):
        self.value, self.url = value, url

    def __str__(self):
        return self.value.name.rsplit("/", 1)[-1]


class ConsentDocumentInput(forms.ClearableFileInput):
    def format_value(self, value):
        value = super().format_value(value)
        instance = getattr(value, "instance", None)
        if value and instance is not None and instance.pk:
            return _DocumentLink(
                value, reverse("admin:regeneration_ownerconsent_document", args=[instance.pk])
            )
        return value


# --- Areas and councils -----------------------------------------------------------------------------


class ResidentCouncilInline(admin.StackedInline):
    model = ResidentCouncil
    extra = 0
    max_num = 1
    fields = ["name", "founded_on", "is_active", "public_description"]
    show_change_link = True


@admin.register(ActivationArea)
class ActivationAreaAdmin(PortalModelAdmin):
    list_display = [
        "name",
        "area_type",
        "designated_on",
        "ends_on",
        "dong_names",
        "size_m2",
        "project_budget",
    ]
    list_filter = ["area_type", "dongs"]
    search_fields = ["name", "description", "dongs__name"]
    date_hierarchy = "designated_on"
    filter_horizontal = ["dongs"]
    inlines = [ResidentCouncilInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("dongs")

    @admin.display(description=_("포함 행정동"))
    def dong_names(self, obj):
        return ", ".join(dong.name for dong in obj.dongs.all())


class CouncilMemberInline(PortalInlineMixin, admin.TabularInline):
    model = CouncilMember
    extra = 0
    fields = ["name", "phone", "position", "started_on", "ended_on", "note", "anonymised_at"]
    readonly_fields = ["anonymised_at"]


class CouncilMeetingInline(admin.TabularInline):
    model = CouncilMeeting
    extra = 0
    # Ticking "회의록 공개" publishes through ``meeting_publish``, which records the time.
    fields = ["title", "held_at", "place", "attendee_count", "is_published"]
    show_change_link = True


class CouncilSupportInline(admin.TabularInline):
    model = CouncilSupport
    extra = 0
    fields = ["kind", "title", "provided_on", "amount", "hours", "provider"]


@admin.register(ResidentCouncil)
class ResidentCouncilAdmin(InlinePersonalDataLogMixin, ServiceAdminMixin, PortalModelAdmin):
    list_display = ["name", "area", "founded_on", "is_active", "current_member_count", "meeting_count"]
    list_filter = ["is_active", "area__area_type"]
    list_select_related = ["area"]
    search_fields = ["name", "area__name"]
    autocomplete_fields = ["area"]
    inlines = [CouncilMemberInline, CouncilMeetingInline, CouncilSupportInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _current_members=Count("members", filter=Q(members__ended_on__isnull=True), distinct=True),
                _meetings=Count("meetings", distinct=True),
            )
        )

    def save_councilmember_through_service(self, request, council, member):
        services.council_member_save(member=member, actor=request.user)

    def save_councilmeeting_through_service(self, request, council, meeting):
        services.council_meeting_save(meeting=meeting, actor=request.user)

    @admin.display(description=_("현재 위원 수"), ordering="_current_members")
    def current_member_count(self, obj):
        return obj._current_members

    @admin.display(description=_("회의 수"), ordering="_meetings")
    def meeting_count(self, obj):
        return obj._meetings


@admin.register(CouncilMember)
class CouncilMemberAdmin(ServiceAdminMixin, PortalModelAdmin):
    list_display = ["name", "phone", "council", "position", "started_on", "ended_on", "anonymised_at"]
    list_filter = [
        "position",
        "council",
        ("ended_on", admin.EmptyFieldListFilter),
        ("anonymised_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["council"]
    search_fields = ["name", "council__name"]
    autocomplete_fields = ["council"]
    readonly_fields = ["anonymised_at"]

    def save_through_service(self, request, obj, form, change):
        services.council_member_save(member=obj, actor=request.user)


class MeetingAttendanceInline(admin.TabularInline):
    model = MeetingAttendance
    extra = 0
    fields = ["member", "attended", "note"]
    autocomplete_fields = ["member"]


class MeetingAttachmentInline(admin.TabularInline):
    model = MeetingAttachment
    extra = 0
    fields = ["title", "file", "is_public"]


@admin.register(CouncilMeeting)
class CouncilMeetingAdmin(ServiceAdminMixin, PortalModelAdmin):
    list_display = [
        "title",
        "council",
        "held_at",
        "place",
        "attendee_count",
        "recorded_attendance",
        "is_published",
        "published_at",
    ]
    list_filter = ["is_published", "council"]
    list_select_related = ["council"]
    search_fields = ["title", "agenda", "minutes", "decisions", "council__name"]
    date_hierarchy = "held_at"
    autocomplete_fields = ["council"]
    inlines = [MeetingAttendanceInline, MeetingAttachmentInline]
    actions = ["publish_minutes", "unpublish_minutes"]
    # Set when the minutes are published (the list's action or the "회의록 공개" box), never typed.
    readonly_fields = ["published_at"]

    def save_through_service(self, request, obj, form, change):
        services.council_meeting_save(meeting=obj, actor=request.user)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_attended=Count("attendances", filter=Q(attendances__attended=True)))
        )

    @admin.action(description=_("선택한 회의의 회의록 공개"), permissions=["change"])
    def publish_minutes(self, request, queryset):
        published = 0
        for meeting in queryset.select_related("council"):
            try:
                services.meeting_publish(meeting=meeting, actor=request.user)
                published += 1
            except ValidationError as error:
                self.message_user(request, f"{meeting}: {' '.join(error.messages)}", messages.ERROR)
        self.message_user(
            request,
            ngettext("회의록 %(n)d건을 공개했습니다.", "회의록 %(n)d건을 공개했습니다.", published)
            % {"n": published},
        )

    @admin.action(description=_("선택한 회의의 회의록 비공개"), permissions=["change"])
    def unpublish_minutes(self, request, queryset):
        for meeting in queryset:
            services.meeting_unpublish(meeting=meeting, actor=request.user)
        self.message_user(request, _("선택한 회의록을 비공개로 바꿨습니다."))

    @admin.display(description=_("출석 기록"), ordering="_attended")
    def recorded_attendance(self, obj):
        return obj._attended


@admin.register(MeetingAttendance)
class MeetingAttendanceAdmin(PortalModelAdmin):
    """Members appear by their masked label (``CouncilMember.__str__``) for everyone; a search by a
    member's name is a search on personal data and is logged."""

    list_display = ["meeting", "council_name", "masked_member", "attended"]
    list_filter = ["attended", "meeting__council"]
    list_select_related = ["meeting__council", "member"]
    search_fields = ["meeting__title", "meeting__council__name", "member__name"]
    autocomplete_fields = ["meeting", "member"]

    @admin.display(description=_("주민협의체"), ordering="meeting__council__name")
    def council_name(self, obj):
        return obj.meeting.council.name

    @admin.display(description=_("위원"), ordering="member__name")
    def masked_member(self, obj):
        return str(obj.member)


# --- Vacant houses ----------------------------------------------------------------------------------


class VacantHouseGradeInline(admin.TabularInline):
    model = VacantHouseGrade
    extra = 0
    fields = ["scheme", "grade", "graded_on", "reason", "note"]


class OwnerConsentInline(PortalInlineMixin, admin.TabularInline):
    model = OwnerConsent
    extra = 0
    fields = ["consented_on", "scope", "expires_on", "withdrawn_on", "document", "note"]
    formfield_overrides = {models.FileField: {"widget": ConsentDocumentInput}}


class HouseStatusChangeInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The life cycle, written by ``house_transition`` (the 상태 변경 page)."""

    model = HouseStatusChange
    extra = 0
    fields = ["from_status", "to_status", "changed_at", "changed_by", "note"]


class RenovationInline(admin.TabularInline):
    model = Renovation
    extra = 0
    fields = ["program", "started_on", "ended_on", "budget", "contractor"]
    show_change_link = True


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0
    fields = ["name", "area_m2", "capacity", "is_available", "note"]


class TenancyInline(ReadOnlyAdminMixin, PortalInlineMixin, admin.TabularInline):
    """Tenancies are let on their own page (``tenancy_save``: age range, rooms, overlaps under the lock)."""

    model = Tenancy
    extra = 0
    fields = ["room", "program", "tenant_name", "starts_on", "ends_on", "moved_out_on", "monthly_rent"]
    show_change_link = True


class CurrentGradeListFilter(admin.SimpleListFilter):
    """By current grade as its scheme names it ("도시 4단계 3 불량"): the grades the schemes define, instead of
    a scan of every house for the grades in use (and a grade number that means different things per scheme)."""

    title = _("현재 등급")
    parameter_name = "grade"

    def lookups(self, request, model_admin):
        return [
            (f"{scheme}:{grade}", f"{GradeScheme(scheme).label.split(' (')[0]} {grade_label(scheme, grade)}")
            for scheme, labels in GRADE_LABELS.items()
            for grade in labels
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        scheme, _colon, grade = self.value().partition(":")
        if not grade.isdigit() or int(grade) not in GRADE_LABELS.get(scheme, {}):
            raise IncorrectLookupParameters(_("등급이 올바르지 않습니다."))
        return queryset.filter(current_grade_scheme=scheme, current_grade=int(grade))


@admin.register(VacantHouse)
class VacantHouseAdmin(InlinePersonalDataLogMixin, ServiceAdminMixin, PortalImportExportAdmin):
    resource_classes = [VacantHouseResource]
    import_template_name = "admin/regeneration/vacanthouse/import.html"
    change_list_template = "admin/regeneration/vacanthouse/change_list.html"
    change_form_template = "admin/regeneration/vacanthouse/change_form.html"
    list_display = [
        "management_number",
        "address",
        "dong",
        "building_type",
        "current_grade_display",
        "status",
        "current_program",
        "owner_name",
        "survey_round",
        "is_public",
    ]
    # The survey date is a period filter rather than a date drill-down, which scans every house for its years
    # and months on every page.
    list_filter = [
        "status",
        "current_grade_scheme",
        CurrentGradeListFilter,
        "building_type",
        "vacancy_cause",
        "survey_round",
        "surveyed_on",
        "is_public",
        "current_program__kind",
        "current_program",
        "dong",
    ]
    list_select_related = ["dong", "current_program"]
    search_fields = ["management_number", "address", "public_title", "owner_name"]
    autocomplete_fields = ["dong", "current_program"]
    inlines = [
        VacantHouseGradeInline,
        OwnerConsentInline,
        HouseStatusChangeInline,
        RenovationInline,
        RoomInline,
        TenancyInline,
    ]
    fieldsets = [
        (
            None,
            {"fields": ["management_number", "address", "dong", ("latitude", "longitude")]},
        ),
        (
            _("건물"),
            {
                "fields": [
                    ("building_type", "structure", "built_year"),
                    ("land_area_m2", "floor_area_m2"),
                    ("vacant_since", "vacancy_cause"),
                ]
            },
        ),
        (
            _("실태조사와 진행 상태"),
            {
                "fields": [
                    ("surveyed_on", "survey_round"),
                    ("current_grade_scheme", "current_grade"),
                    ("status", "current_program"),
                ]
            },
        ),
        (_("소유자 (개인정보)"), {"fields": ["owner_name", "owner_phone", "owner_address"]}),
        (_("공개 지도"), {"fields": ["is_public", "public_title", "public_description", "public_photo"]}),
        (_("내부 메모"), {"fields": ["note"]}),
    ]

    # Status and program move through the life cycle (상태 변경); the grade follows the gradings.
    readonly_fields = ["status", "current_program", "current_grade_scheme", "current_grade"]

    def save_through_service(self, request, obj, form, change):
        if change:
            services.vacant_house_update(house=obj, actor=request.user)
        else:
            services.vacant_house_register(house=obj, actor=request.user)

    def save_vacanthousegrade_through_service(self, request, house, grading):
        services.house_grade_save(grading=grading, actor=request.user)

    def save_ownerconsent_through_service(self, request, house, consent):
        services.owner_consent_save(consent=consent, actor=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A deleted grading leaves the house with the one before it.
        services.house_current_grade_refresh(house=form.instance, actor=request.user)

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

    def get_urls(self):
        dashboard = path(
            "dashboard/",
            self.admin_site.admin_view(self.dashboard_view),
            name="regeneration_vacanthouse_dashboard",
        )
        return [dashboard, *super().get_urls()]

    def dashboard_view(self, request):
        # The report lists tenants as well: it needs the right to view both.
        if not (self.has_view_permission(request) and request.user.has_perm("regeneration.view_tenancy")):
            raise PermissionDenied
        tenancies = list(services.tenancies_ending())
        ending = [
            {
                "tenancy": tenancy,
                "tenant": _("익명")
                if tenancy.is_anonymised
                else personal_value_for(request.user, "tenant_name", tenancy.tenant_name),
            }
            for tenancy in tenancies
        ]
        named = [tenancy.pk for tenancy in tenancies if tenancy.tenant_name]
        if named and can_view_personal_data(request.user):
            record_personal_data_access(
                request,
                action=PersonalDataAccess.Action.VIEW,
                model=Tenancy,
                object_ids=named,
                fields=["tenant_name"],
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("도시재생 현황"),
            "opts": self.model._meta,
            "data": selectors.dashboard(),
            "ending": ending,
            "ending_days": services.ENDING_EMAIL_DAYS,
        }
        response = TemplateResponse(request, "admin/regeneration/dashboard.html", context)
        response["Cache-Control"] = "no-store"
        return response

    @admin.display(description=_("현재 등급"), ordering="current_grade")
    def current_grade_display(self, obj):
        return obj.current_grade_label or "-"


@admin.register(VacantHouseGrade)
class VacantHouseGradeAdmin(ServiceAdminMixin, PortalModelAdmin):
    list_display = ["house", "scheme", "grade_display", "graded_on", "reason"]
    list_filter = ["scheme", "grade", "reason"]
    list_select_related = ["house"]
    search_fields = ["house__management_number", "house__address", "note"]
    autocomplete_fields = ["house"]
    date_hierarchy = "graded_on"

    def save_through_service(self, request, obj, form, change):
        services.house_grade_save(grading=obj, actor=request.user)

    @admin.display(description=_("등급"), ordering="grade")
    def grade_display(self, obj):
        return obj.label


@admin.register(OwnerConsent)
class OwnerConsentAdmin(ServiceAdminMixin, PortalModelAdmin):
    list_display = ["house", "scope", "consented_on", "expires_on", "withdrawn_on", "has_document"]
    list_filter = ["scope", ("withdrawn_on", admin.EmptyFieldListFilter)]
    list_select_related = ["house"]
    search_fields = ["house__management_number", "house__address"]
    autocomplete_fields = ["house"]
    date_hierarchy = "consented_on"
    formfield_overrides = {models.FileField: {"widget": ConsentDocumentInput}}

    def save_through_service(self, request, obj, form, change):
        services.owner_consent_save(consent=obj, actor=request.user)

    @admin.display(description=_("동의서"), boolean=True)
    def has_document(self, obj):
        return bool(obj.document)

    def get_urls(self):
        download = path(
            "<int:object_id>/document/",
            self.admin_site.admin_view(self.document_view),
            name="regeneration_ownerconsent_document",
        )
        return [download, *super().get_urls()]

    def document_view(self, request, object_id):
        """The scanned consent form, for viewers allowed to see personal data; every download is logged."""
        consent = self.get_object(request, str(object_id))
        if consent is None or not self.has_view_permission(request, consent):
            raise PermissionDenied if consent is not None else Http404(_("소유자 동의를 찾을 수 없습니다."))
        if not can_view_personal_data(request.user):
            raise PermissionDenied(_("동의서는 개인정보 열람 권한이 있어야 내려받을 수 있습니다."))
        if not consent.document:
            raise Http404(_("동의서 파일이 없습니다."))
        return personal_file_download(
            request,
            file=consent.document,
            filename=consent.document.name.rsplit("/", 1)[-1],
            title=gettext("소유자 동의서"),
            data_kind=gettext("소유자 성명·연락처·주소"),
            back_url=reverse("admin:regeneration_ownerconsent_change", args=[consent.pk]),
            model=OwnerConsent,
            object_ids=[consent.pk],
            fields=["document"],
            not_found=_("동의서 파일을 찾을 수 없습니다."),
        )


@admin.register(HouseStatusChange)
class HouseStatusChangeAdmin(ServiceAdminMixin, PortalModelAdmin):
    """Adding a row here is the life-cycle transition (상태 변경); recorded rows cannot be edited."""

    form = HouseTransitionForm
    list_display = ["house", "from_status", "to_status", "changed_at", "changed_by"]
    list_filter = ["to_status", "from_status"]
    list_select_related = ["house", "changed_by"]
    search_fields = ["house__management_number", "note"]
    date_hierarchy = "changed_at"

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["house", "to_status", "program", "note"]
        return ["house", "from_status", "to_status", "changed_at", "changed_by", "note"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_through_service(self, request, obj, form, change):
        record = services.house_transition(
            house=form.cleaned_data["house"],
            to_status=form.cleaned_data["to_status"],
            program=form.cleaned_data.get("program"),
            note=form.cleaned_data.get("note", ""),
            actor=request.user,
            reason=form.cleaned_data.get("history_change_reason") or "",
        )
        self.adopt(obj, record)

    def get_changeform_initial_data(self, request):
        return {"house": request.GET.get("house")}


# --- Programs, renovations and tenancies ------------------------------------------------------------


@admin.register(HousingProgram)
class HousingProgramAdmin(PortalModelAdmin):
    list_display = [
        "name",
        "kind",
        "year",
        "operating_partner",
        "budget",
        "tenant_age_range",
        "starts_on",
        "ends_on",
        "house_count",
        "tenancy_count",
    ]
    list_filter = ["kind", "year"]
    search_fields = ["name", "operating_partner", "description"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _houses=Count("current_houses", distinct=True), _tenancies=Count("tenancies", distinct=True)
            )
        )

    @admin.display(description=_("입주 나이"))
    def tenant_age_range(self, obj):
        if obj.tenant_min_age is None and obj.tenant_max_age is None:
            return "-"
        return f"{obj.tenant_min_age or ''}~{obj.tenant_max_age or ''}"

    @admin.display(description=_("활용 중 빈집"), ordering="_houses")
    def house_count(self, obj):
        return obj._houses

    @admin.display(description=_("입주 계약"), ordering="_tenancies")
    def tenancy_count(self, obj):
        return obj._tenancies


@admin.register(Renovation)
class RenovationAdmin(PortalModelAdmin):
    list_display = ["house", "program", "started_on", "ended_on", "budget", "contractor"]
    list_filter = ["program__kind", "program"]
    list_select_related = ["house", "program"]
    search_fields = ["house__management_number", "contractor", "description"]
    autocomplete_fields = ["house", "program"]
    date_hierarchy = "started_on"


@admin.register(Room)
class RoomAdmin(PortalModelAdmin):
    list_display = ["name", "house", "area_m2", "capacity", "is_available"]
    list_filter = ["is_available", "capacity"]
    list_select_related = ["house"]
    search_fields = ["name", "house__management_number"]
    autocomplete_fields = ["house"]


@admin.register(Tenancy)
class TenancyAdmin(ServiceAdminMixin, PortalModelAdmin):
    form = TenancyAdminForm
    list_display = [
        "house",
        "room",
        "program",
        "tenant_name",
        "tenant_phone",
        "tenant_birth_date",
        "household_type",
        "monthly_rent",
        "market_rent",
        "half_rent",
        "starts_on",
        "ends_on",
        "anonymised_at",
    ]
    list_filter = [
        "program__kind",
        "program",
        "household_type",
        "half_rent",
        ("anonymised_at", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["house", "room__house", "program"]
    search_fields = ["house__management_number", "room__name", "tenant_name"]
    autocomplete_fields = ["house", "room", "program"]
    date_hierarchy = "starts_on"
    # The anonymisation time is set by the retention job only.
    readonly_fields = ["half_rent", "anonymised_at"]

    def save_through_service(self, request, obj, form, change):
        services.tenancy_save(tenancy=obj, actor=request.user)  # under the house's row lock


@admin.register(MeetingAttachment)
class MeetingAttachmentAdmin(PortalModelAdmin):
    list_display = ["title", "meeting", "council_name", "is_public"]
    list_filter = ["is_public", "meeting__council"]
    list_select_related = ["meeting__council"]
    search_fields = ["title", "meeting__title", "meeting__council__name"]
    autocomplete_fields = ["meeting"]

    @admin.display(description=_("주민협의체"), ordering="meeting__council__name")
    def council_name(self, obj):
        return obj.meeting.council.name


@admin.register(CouncilSupport)
class CouncilSupportAdmin(PortalModelAdmin):
    list_display = ["council", "kind", "title", "provided_on", "amount_display", "hours", "provider"]
    list_filter = ["kind", "council"]
    list_select_related = ["council"]
    search_fields = ["title", "provider", "council__name"]
    autocomplete_fields = ["council"]
    date_hierarchy = "provided_on"

    @admin.display(description=_("지원 금액(원)"), ordering="amount")
    def amount_display(self, obj):
        return f"{obj.amount:,}" if obj.amount is not None else "-"
