"""FilterSets of the regeneration lists, shared by the partner API and the public pages."""

import django_filters
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.filters import StrictBooleanFilter
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


class ActivationAreaFilterSet(django_filters.FilterSet):
    area_type = django_filters.ChoiceFilter(label=_("사업 유형"), choices=AreaType.choices)
    dong = django_filters.ModelChoiceFilter(
        label=_("포함 행정동"), field_name="dongs", queryset=Dong.objects.all()
    )
    q = django_filters.CharFilter(label=_("검색어"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = ActivationArea
        fields = ["area_type", "dong", "q"]


class VacantHouseFilterSet(django_filters.FilterSet):
    dong = django_filters.ModelChoiceFilter(label=_("행정동"), queryset=Dong.objects.all())
    status = django_filters.ChoiceFilter(label=_("진행 상태"), choices=HouseStatus.choices)
    grade_scheme = django_filters.ChoiceFilter(
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


class HousingProgramFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label=_("사업 유형"), choices=ProgramKind.choices)
    year = django_filters.NumberFilter(label=_("사업 연도"))
    q = django_filters.CharFilter(label=_("검색어"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = HousingProgram
        fields = ["kind", "year", "q"]


class ResidentCouncilFilterSet(django_filters.FilterSet):
    area = django_filters.ModelChoiceFilter(
        label=_("도시재생활성화지역"), queryset=ActivationArea.objects.all()
    )
    is_active = StrictBooleanFilter(label=_("활동 중"))
    q = django_filters.CharFilter(label=_("검색어"), field_name="name", lookup_expr="icontains")

    class Meta:
        model = ResidentCouncil
        fields = ["area", "is_active", "q"]


class CouncilMeetingFilterSet(django_filters.FilterSet):
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


PUBLIC_STATUS_CHOICES = [
    (HouseStatus.IN_USE.value, _("활용 중")),
    (HouseStatus.RENOVATION.value, _("정비·리모델링 중")),
    (HouseStatus.CONSENT_OBTAINED.value, _("활용 예정(소유자 동의)")),
]


class PublicHouseFilterSet(django_filters.FilterSet):
    """Filters of the public vacant-house map and its list (public fields only)."""

    dong = django_filters.ModelChoiceFilter(
        label=_("행정동"), field_name="dong", queryset=Dong.objects.order_by("name"), empty_label=_("전체")
    )
    program = django_filters.ChoiceFilter(
        label=_("활용 사업"),
        field_name="current_program__kind",
        choices=ProgramKind.choices,
        empty_label=_("전체"),
    )
    status = django_filters.ChoiceFilter(
        label=_("상태"), choices=PUBLIC_STATUS_CHOICES, empty_label=_("전체")
    )

    class Meta:
        model = VacantHouse
        fields = ["dong", "program", "status"]
