"""FilterSets of the regeneration lists, shared by the partner API and the public pages."""

import django_filters
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.filters import (
    MultiValueChoiceFilter,
    PortalFilterSet,
    SearchFilter,
    StrictBooleanFilter,
    Unfiltered,
)
from jeonju_center.common.models import Dong

from .models import (
    GRADE_LABELS,
    ActivationArea,
    AreaType,
    CouncilMeeting,
    GradeScheme,
    HouseStatus,
    HousingProgram,
    ProgramKind,
    ResidentCouncil,
    VacantHouse,
)

# Every grade any scheme uses; whether it fits the chosen scheme is the data's business, not a 400.
GRADE_CHOICES = sorted({grade for labels in GRADE_LABELS.values() for grade in labels})


class ActivationAreaFilterSet(PortalFilterSet):
    area_type = MultiValueChoiceFilter(label=_("사업 유형"), choices=AreaType.choices)
    dong = django_filters.ModelChoiceFilter(
        label=_("포함 행정동"), field_name="dongs", queryset=Dong.objects.all()
    )
    q = SearchFilter(label=_("검색어"))

    class Meta:
        model = ActivationArea
        fields = ["area_type", "dong", "q"]
        search_fields = ["name"]
        unfiltered_fields = {
            "designated_on": Unfiltered.DETAIL,
            "ends_on": Unfiltered.DETAIL,
            "description": "long text shown on the area; q searches the name",
            "size_m2": Unfiltered.DETAIL,
            "project_budget": Unfiltered.DETAIL,
        }


class VacantHouseFilterSet(PortalFilterSet):
    dong = django_filters.ModelChoiceFilter(label=_("행정동"), queryset=Dong.objects.all())
    status = MultiValueChoiceFilter(label=_("진행 상태"), choices=HouseStatus.choices)
    grade_scheme = MultiValueChoiceFilter(
        label=_("등급 체계"), field_name="current_grade_scheme", choices=GradeScheme.choices
    )
    grade = django_filters.TypedChoiceFilter(
        label=_("등급"),
        field_name="current_grade",
        choices=[(grade, str(grade)) for grade in GRADE_CHOICES],
        coerce=int,
    )
    program = django_filters.ModelChoiceFilter(
        label=_("현재 활용 사업"), field_name="current_program", queryset=HousingProgram.objects.all()
    )
    survey_round = django_filters.NumberFilter(label=_("실태조사 차수(연도)"))
    built_year_min = django_filters.NumberFilter(
        label=_("준공 연도(부터)"), field_name="built_year", lookup_expr="gte"
    )
    built_year_max = django_filters.NumberFilter(
        label=_("준공 연도(까지)"), field_name="built_year", lookup_expr="lte"
    )
    is_public = StrictBooleanFilter(label=_("지도 공개"))

    class Meta:
        model = VacantHouse
        fields = [
            "dong",
            "status",
            "grade_scheme",
            "grade",
            "program",
            "survey_round",
            "built_year_min",
            "built_year_max",
            "is_public",
        ]
        search_fields = ["management_number", "public_title", "public_description"]
        unfiltered_fields = {
            "address": Unfiltered.PERSONAL,
            "owner_name": Unfiltered.PERSONAL,
            "owner_phone": Unfiltered.PERSONAL,
            "owner_address": Unfiltered.PERSONAL,
            "owner_data_erased_at": Unfiltered.ERASURE,
            "note": Unfiltered.NOT_PUBLIC,
            "surveyed_on": Unfiltered.NOT_PUBLIC,
            "latitude": "a coordinate for a map; dong selects an area",
            "longitude": "a coordinate for a map; dong selects an area",
            "land_area_m2": Unfiltered.DETAIL,
            "floor_area_m2": Unfiltered.DETAIL,
            "vacant_since": Unfiltered.DETAIL,
            "public_photo": "a file",
        }


class HousingProgramFilterSet(PortalFilterSet):
    kind = MultiValueChoiceFilter(label=_("사업 유형"), choices=ProgramKind.choices)
    year = django_filters.NumberFilter(label=_("사업 연도"))
    q = SearchFilter(label=_("검색어"))

    class Meta:
        model = HousingProgram
        fields = ["kind", "year", "q"]
        search_fields = ["name"]
        unfiltered_fields = {
            "description": "long text shown on the program; q searches the name",
            "budget": Unfiltered.DETAIL,
            "operating_partner": Unfiltered.DETAIL,
            "tenant_min_age": Unfiltered.DETAIL,
            "tenant_max_age": Unfiltered.DETAIL,
            "starts_on": "year selects a program's year; its dates are shown on it",
            "ends_on": "year selects a program's year; its dates are shown on it",
        }


class ResidentCouncilFilterSet(PortalFilterSet):
    area = django_filters.ModelChoiceFilter(
        label=_("도시재생활성화지역"), queryset=ActivationArea.objects.all()
    )
    is_active = StrictBooleanFilter(label=_("활동 중"))
    q = SearchFilter(label=_("검색어"))

    class Meta:
        model = ResidentCouncil
        fields = ["area", "is_active", "q"]
        search_fields = ["name"]
        unfiltered_fields = {
            "founded_on": Unfiltered.DETAIL,
            "public_description": "long text shown on the council; q searches the name",
        }


class CouncilMeetingFilterSet(PortalFilterSet):
    council = django_filters.ModelChoiceFilter(label=_("주민협의체"), queryset=ResidentCouncil.objects.all())
    # A date alone means midnight, so held_after=2025-03-01&held_before=2025-04-01 is the month of March.
    held_after = django_filters.IsoDateTimeFilter(
        label=_("개최 일시(이후, 포함)"), field_name="held_at", lookup_expr="gte"
    )
    held_before = django_filters.IsoDateTimeFilter(
        label=_("개최 일시(이전, 미포함)"), field_name="held_at", lookup_expr="lt"
    )

    class Meta:
        model = CouncilMeeting
        fields = ["council", "held_after", "held_before"]
        search_fields = ["title", "agenda", "decisions"]
        unfiltered_fields = {
            "is_published": "the API lists published minutes only",
            "published_at": "held_after/held_before select by the meeting's time",
            "place": Unfiltered.DETAIL,
            "minutes": "long text shown on the meeting; q searches its title, agenda and decisions",
            "attendee_count": Unfiltered.DETAIL,
        }


PUBLIC_STATUS_CHOICES = [
    (HouseStatus.IN_USE.value, _("활용 중")),
    (HouseStatus.RENOVATION.value, _("정비·리모델링 중")),
    (HouseStatus.CONSENT_OBTAINED.value, _("활용 예정(소유자 동의)")),
]


NOT_ON_THE_MAP = "not shown on the public map: a filter would reveal it"
NOT_ON_THE_MAP_FIELDS = (
    "management_number",
    "structure",
    "vacancy_cause",
    "land_area_m2",
    "floor_area_m2",
    "vacant_since",
    "surveyed_on",
    "survey_round",
    "current_grade_scheme",
    "current_grade",
    "public_photo",
    "note",
)
MAP_FILTERS = "shown on each house; the map filters by what citizens asked for: dong, program and status"


class PublicHouseFilterSet(PortalFilterSet):
    """Filters of the public vacant-house map and its list (public fields only)."""

    dong = django_filters.ModelChoiceFilter(
        label=_("행정동"), field_name="dong", queryset=Dong.objects.order_by("name"), empty_label=_("전체")
    )
    program = MultiValueChoiceFilter(
        label=_("활용 사업"),
        field_name="current_program__kind",
        choices=ProgramKind.choices,
        empty_label=_("전체"),
    )
    status = MultiValueChoiceFilter(label=_("상태"), choices=PUBLIC_STATUS_CHOICES, empty_label=_("전체"))

    class Meta:
        model = VacantHouse
        fields = ["dong", "program", "status"]
        unfiltered_fields = {
            **dict.fromkeys(NOT_ON_THE_MAP_FIELDS, NOT_ON_THE_MAP),
            **dict.fromkeys(VacantHouse.PERSONAL_DATA_FIELDS, Unfiltered.PERSONAL),
            "owner_data_erased_at": Unfiltered.ERASURE,
            "building_type": MAP_FILTERS,
            "built_year": MAP_FILTERS,
            "public_title": MAP_FILTERS,
            "public_description": MAP_FILTERS,
            "latitude": "a coordinate for the map (rounded to about 100 m)",
            "longitude": "a coordinate for the map (rounded to about 100 m)",
            "is_public": "the map shows only the houses staff made public",
        }
