"""The course catalogue filters, shared by the partner API and the public ``/courses/`` page."""

import datetime
import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from jeonju_center.common.filters import StrictBooleanFilter

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


class CourseFilterSet(django_filters.FilterSet):
    track = django_filters.ModelChoiceFilter(
        label=_("분야"),
        field_name="track",
        to_field_name="slug",
        queryset=Track.objects.all(),
        empty_label=_("전체 분야"),
    )
    status = django_filters.ChoiceFilter(label=_("상태"), choices=CourseStatus.choices, empty_label=_("전체"))
    month = MonthFilter(label=_("진행 월"), method="filter_month", help_text=_("그 달에 회차가 있는 강좌"))
    open = StrictBooleanFilter(label=_("신청 가능"), method="filter_open")
    audience = django_filters.ChoiceFilter(
        label=_("수강 대상"), choices=CourseAudience.choices, empty_label=_("전체")
    )
    q = django_filters.CharFilter(label=_("검색어"), method="filter_q", help_text=_("강좌명, 소개, 강사명"))

    class Meta:
        model = Course
        fields = ["track", "status", "month", "open", "audience", "q"]

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

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(summary__icontains=value) | Q(instructor_name__icontains=value)
        )
