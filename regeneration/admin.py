from django.contrib import admin
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.masking import mask_birth_date, mask_name, mask_phone

from .models import (
    ActivationArea,
    CouncilMeeting,
    CouncilMember,
    HouseStatusChange,
    HousingProgram,
    MeetingAttendance,
    OwnerConsent,
    Renovation,
    ResidentCouncil,
    Room,
    Tenancy,
    VacantHouse,
    VacantHouseGrade,
)

# --- Areas and councils -----------------------------------------------------------------------------


class ResidentCouncilInline(admin.StackedInline):
    model = ResidentCouncil
    extra = 0
    max_num = 1
    fields = ["name", "founded_on", "is_active", "public_description"]
    show_change_link = True


@admin.register(ActivationArea)
class ActivationAreaAdmin(admin.ModelAdmin):
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


class CouncilMemberInline(admin.TabularInline):
    model = CouncilMember
    extra = 0
    fields = ["name", "phone", "position", "started_on", "ended_on", "note"]


class CouncilMeetingInline(admin.TabularInline):
    model = CouncilMeeting
    extra = 0
    fields = ["title", "held_at", "place", "attendee_count", "is_published"]
    show_change_link = True


@admin.register(ResidentCouncil)
class ResidentCouncilAdmin(admin.ModelAdmin):
    list_display = ["name", "area", "founded_on", "is_active", "current_member_count", "meeting_count"]
    list_filter = ["is_active", "area__area_type"]
    list_select_related = ["area"]
    search_fields = ["name", "area__name"]
    autocomplete_fields = ["area"]
    inlines = [CouncilMemberInline, CouncilMeetingInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _current_members=Count("members", filter=Q(members__ended_on__isnull=True), distinct=True),
                _meetings=Count("meetings", distinct=True),
            )
        )

    @admin.display(description=_("현재 위원 수"), ordering="_current_members")
    def current_member_count(self, obj):
        return obj._current_members

    @admin.display(description=_("회의 수"), ordering="_meetings")
    def meeting_count(self, obj):
        return obj._meetings


@admin.register(CouncilMember)
class CouncilMemberAdmin(admin.ModelAdmin):
    list_display = ["masked_name", "masked_phone", "council", "position", "started_on", "ended_on"]
    list_filter = ["position", "council", ("ended_on", admin.EmptyFieldListFilter)]
    list_select_related = ["council"]
    search_fields = ["name", "council__name"]
    autocomplete_fields = ["council"]

    @admin.display(description=_("이름"), ordering="name")
    def masked_name(self, obj):
        return mask_name(obj.name)

    @admin.display(description=_("연락처"))
    def masked_phone(self, obj):
        return mask_phone(obj.phone)


class MeetingAttendanceInline(admin.TabularInline):
    model = MeetingAttendance
    extra = 0
    fields = ["member", "attended", "note"]
    autocomplete_fields = ["member"]


@admin.register(CouncilMeeting)
class CouncilMeetingAdmin(admin.ModelAdmin):
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
    inlines = [MeetingAttendanceInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_attended=Count("attendances", filter=Q(attendances__attended=True)))
        )

    @admin.display(description=_("출석 기록"), ordering="_attended")
    def recorded_attendance(self, obj):
        return obj._attended


@admin.register(MeetingAttendance)
class MeetingAttendanceAdmin(admin.ModelAdmin):
    list_display = ["meeting", "council_name", "masked_member", "attended"]
    list_filter = ["attended", "meeting__council"]
    list_select_related = ["meeting__council", "member"]
    search_fields = ["meeting__title", "meeting__council__name", "member__name"]
    autocomplete_fields = ["meeting", "member"]

    @admin.display(description=_("주민협의체"), ordering="meeting__council__name")
    def council_name(self, obj):
        return obj.meeting.council.name

    @admin.display(description=_("위원"))
    def masked_member(self, obj):
        return str(obj.member)


# --- Vacant houses ----------------------------------------------------------------------------------


class VacantHouseGradeInline(admin.TabularInline):
    model = VacantHouseGrade
    extra = 0
    fields = ["scheme", "grade", "graded_on", "reason", "note"]


class OwnerConsentInline(admin.TabularInline):
    model = OwnerConsent
    extra = 0
    fields = ["consented_on", "scope", "expires_on", "withdrawn_on", "document", "note"]


class HouseStatusChangeInline(admin.TabularInline):
    model = HouseStatusChange
    extra = 0
    fields = ["from_status", "to_status", "changed_at", "changed_by", "note"]
    autocomplete_fields = ["changed_by"]


class RenovationInline(admin.TabularInline):
    model = Renovation
    extra = 0
    fields = ["program", "started_on", "ended_on", "budget", "contractor"]
    show_change_link = True


class RoomInline(admin.TabularInline):
    model = Room
    extra = 0
    fields = ["name", "area_m2", "capacity", "is_available", "note"]


class TenancyInline(admin.TabularInline):
    model = Tenancy
    extra = 0
    fields = ["room", "program", "tenant_name", "starts_on", "ends_on", "monthly_rent", "market_rent"]
    show_change_link = True


@admin.register(VacantHouse)
class VacantHouseAdmin(admin.ModelAdmin):
    list_display = [
        "management_number",
        "address",
        "dong",
        "building_type",
        "current_grade_display",
        "status",
        "current_program",
        "masked_owner_name",
        "survey_round",
        "is_public",
    ]
    list_filter = [
        "status",
        "current_grade_scheme",
        "current_grade",
        "building_type",
        "vacancy_cause",
        "survey_round",
        "is_public",
        "current_program__kind",
        "dong",
    ]
    list_select_related = ["dong", "current_program"]
    search_fields = ["management_number", "address", "public_title"]
    autocomplete_fields = ["dong", "current_program"]
    date_hierarchy = "surveyed_on"
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

    @admin.display(description=_("현재 등급"), ordering="current_grade")
    def current_grade_display(self, obj):
        return obj.current_grade_label or "-"

    @admin.display(description=_("소유자"))
    def masked_owner_name(self, obj):
        return mask_name(obj.owner_name)


@admin.register(VacantHouseGrade)
class VacantHouseGradeAdmin(admin.ModelAdmin):
    list_display = ["house", "scheme", "grade_display", "graded_on", "reason"]
    list_filter = ["scheme", "grade", "reason"]
    list_select_related = ["house"]
    search_fields = ["house__management_number", "house__address", "note"]
    autocomplete_fields = ["house"]
    date_hierarchy = "graded_on"

    @admin.display(description=_("등급"), ordering="grade")
    def grade_display(self, obj):
        return obj.label


@admin.register(OwnerConsent)
class OwnerConsentAdmin(admin.ModelAdmin):
    list_display = ["house", "scope", "consented_on", "expires_on", "withdrawn_on"]
    list_filter = ["scope", ("withdrawn_on", admin.EmptyFieldListFilter)]
    list_select_related = ["house"]
    search_fields = ["house__management_number", "house__address"]
    autocomplete_fields = ["house"]
    date_hierarchy = "consented_on"


@admin.register(HouseStatusChange)
class HouseStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["house", "from_status", "to_status", "changed_at", "changed_by"]
    list_filter = ["to_status", "from_status"]
    list_select_related = ["house", "changed_by"]
    search_fields = ["house__management_number", "note"]
    autocomplete_fields = ["house", "changed_by"]
    date_hierarchy = "changed_at"


# --- Programs, renovations and tenancies ------------------------------------------------------------


@admin.register(HousingProgram)
class HousingProgramAdmin(admin.ModelAdmin):
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
class RenovationAdmin(admin.ModelAdmin):
    list_display = ["house", "program", "started_on", "ended_on", "budget", "contractor"]
    list_filter = ["program__kind", "program"]
    list_select_related = ["house", "program"]
    search_fields = ["house__management_number", "contractor", "description"]
    autocomplete_fields = ["house", "program"]
    date_hierarchy = "started_on"


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ["name", "house", "area_m2", "capacity", "is_available"]
    list_filter = ["is_available", "capacity"]
    list_select_related = ["house"]
    search_fields = ["name", "house__management_number"]
    autocomplete_fields = ["house"]


@admin.register(Tenancy)
class TenancyAdmin(admin.ModelAdmin):
    list_display = [
        "house",
        "room",
        "program",
        "masked_tenant_name",
        "masked_tenant_phone",
        "masked_birth_date",
        "household_type",
        "monthly_rent",
        "market_rent",
        "half_rent",
        "starts_on",
        "ends_on",
        "is_anonymised",
    ]
    list_filter = ["program__kind", "program", "household_type", "half_rent", "is_anonymised"]
    list_select_related = ["house", "room__house", "program"]
    search_fields = ["house__management_number", "room__name"]
    autocomplete_fields = ["house", "room", "program"]
    date_hierarchy = "starts_on"
    readonly_fields = ["half_rent"]

    @admin.display(description=_("입주자"))
    def masked_tenant_name(self, obj):
        return _("익명") if obj.is_anonymised else mask_name(obj.tenant_name)

    @admin.display(description=_("연락처"))
    def masked_tenant_phone(self, obj):
        return mask_phone(obj.tenant_phone)

    @admin.display(description=_("생년월일"))
    def masked_birth_date(self, obj):
        return mask_birth_date(obj.tenant_birth_date)
