"""The course catalogue filters, shared by the partner API and the public ``/courses/`` page."""

import datetime
import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from jeonju_center.common.filters import (
    MultiValueChoiceFilter,
    PortalFilterSet,
    SearchFilter,
    StrictBooleanFilter,
    Unfiltered,
)

from .models import Course, CourseAudience, CourseSession, CourseStatus, Track
from .selectors import enrollment_open_q


class MonthField(forms.Field):
    """``YYYY-MM`` (what ``<input type="month">`` sends) → the first day of that month."""

    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"})
    default_error_messages = {"invalid": _("YYYY-MM 형식의 연월이어야 합니다. 예: 2026-03")}
    pattern = re.compile(r"^(\d{4})-(\d{2})$")

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        match = self.pattern.match(value)
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        year, month = (int(part) for part in match.groups())
        try:
            return datetime.date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-03"})
class MonthFilter(django_filters.Filter):
    field_class = MonthField


class CourseFilterSet(PortalFilterSet):
    track = django_filters.ModelChoiceFilter(
        label=_("분야"),
        field_name="track",
        to_field_name="slug",
        queryset=Track.objects.all(),
        empty_label=_("전체 분야"),
    )
    status = MultiValueChoiceFilter(label=_("상태"), choices=CourseStatus.choices, empty_label=_("전체"))
    month = MonthFilter(label=_("진행 월"), method="filter_month", help_text=_("그 달에 회차가 있는 강좌"))
    open = StrictBooleanFilter(label=_("신청 가능"), method="filter_open")
    audience = MultiValueChoiceFilter(
        label=_("수강 대상"), choices=CourseAudience.choices, empty_label=_("전체")
    )
    q = SearchFilter(label=_("검색어"), help_text=_("강좌명, 소개, 강사명"))

    class Meta:
        model = Course
        fields = ["track", "status", "month", "open", "audience", "q"]
        search_fields = ["title", "summary", "instructor_name"]
        unfiltered_fields = {
            "slug": "the course's address (/courses/<slug>/); id selects courses",
            "description": "long text shown on the course; q searches its title, summary and instructor",
            "instructor_bio": Unfiltered.DETAIL,
            "place": Unfiltered.DETAIL,
            "capacity": Unfiltered.DETAIL,
            "waitlist_limit": Unfiltered.DETAIL,
            "enrollment_opens_at": "open=true selects the courses taking enrolments now",
            "enrollment_closes_at": "open=true selects the courses taking enrolments now",
            "cancellation_deadline": Unfiltered.DETAIL,
            "fee": Unfiltered.DETAIL,
            "completion_percent": Unfiltered.DETAIL,
            "image": "a file",
            "image_alt": "the image's text alternative",
            "is_published": "the catalogue and the API list only published courses",
            "audience_dongs": "audience selects residents-only courses; the dongs are shown on the course",
        }

    def filter_month(self, queryset, name, value):
        if value is None:
            return queryset
        next_month = (value.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        sessions = CourseSession.objects.filter(course=OuterRef("pk"), date__gte=value, date__lt=next_month)
        return queryset.filter(Exists(sessions))

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        is_open = enrollment_open_q()
        return queryset.filter(is_open if value else ~is_open)
