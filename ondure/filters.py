"""FilterSets of the Ondure lists, shared by the partner API and the public pages."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.filters import MultiValueChoiceFilter, PortalFilterSet, SearchFilter, Unfiltered
from jeonju_center.common.models import Dong

from .models import Community, CommunityKind, CommunityStatus, Stage, SupportProgram

YES_NO = (("true", _("예")), ("false", _("아니요")))


class IntegerFilter(django_filters.NumberFilter):
    """A whole number: "2014.5" or "abc" is an error instead of a filter that matches nothing."""

    field_class = forms.IntegerField


class CommunityFilterSet(PortalFilterSet):
    kind = MultiValueChoiceFilter(label=_("공동체 유형"), choices=CommunityKind.choices)
    stage = MultiValueChoiceFilter(label=_("현재 단계"), field_name="current_stage", choices=Stage.choices)
    status = MultiValueChoiceFilter(label=_("상태"), choices=CommunityStatus.choices)
    dong = django_filters.ModelChoiceFilter(label=_("활동 행정동"), queryset=Dong.objects.all())
    cohort_year = IntegerFilter(label=_("선정 연도(기수)"))
    # A choice rather than a BooleanFilter: a typo such as "ture" must be an error, not "no filter".
    graduated = django_filters.ChoiceFilter(label=_("졸업 여부"), choices=YES_NO, method="filter_graduated")
    q = SearchFilter(label=_("검색어"))

    class Meta:
        model = Community
        fields = ["kind", "stage", "status", "dong", "cohort_year", "graduated", "q"]
        search_fields = ["name", "description", "apartment_complex"]
        unfiltered_fields = {
            "leader_name": Unfiltered.PERSONAL,
            "leader_phone": Unfiltered.PERSONAL,
            "leader_anonymised_at": Unfiltered.ERASURE,
            "staff_notes": Unfiltered.NOT_PUBLIC,
            "is_public": "the lists hold only public communities",
            "selected_on": "cohort_year selects a cohort; the date is shown on the community",
            "website": Unfiltered.CONTACT,
            "members_count": Unfiltered.DETAIL,
            "graduated_organization": "graduated=true selects the graduates; the organization is shown on each",
            "graduated_on": "graduated=true selects the graduates; the date is shown on each",
            "dissolved_on": "status=dissolved selects the dissolved ones",
        }

    def filter_graduated(self, queryset, name, value):
        graduated = Q(status=CommunityStatus.GRADUATED)
        return queryset.filter(graduated) if value == "true" else queryset.exclude(graduated)


class SupportProgramFilterSet(PortalFilterSet):
    year = IntegerFilter(label=_("사업 연도"))
    kind = MultiValueChoiceFilter(label=_("사업 유형"), choices=SupportProgram.Kind.choices)

    class Meta:
        model = SupportProgram
        fields = ["year", "kind"]
        search_fields = ["name", "description"]
        unfiltered_fields = {"budget": Unfiltered.DETAIL}
