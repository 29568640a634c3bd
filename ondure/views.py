"""Public pages: the community directory and profiles. Published communities only, and never a member's,
a leader's or a reviewer's personal data (the templates get nothing else to show)."""

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors
from .filters import CommunityFilterSet
from .models import FIRST_COHORT_YEAR

PAGE_SIZE = 20
HIDDEN_FIELDS = ("leader_name", "leader_phone", "staff_notes")
DIRECTORY_FILTERS = ("kind", "stage", "dong", "cohort_year", "graduated", "q")


def organization_profile_url(organization):
    """The public profile of a social-economy organization (DESIGN §4: ``/social-economy/<id>/``)."""
    if organization is None:
        return ""
    for name in ("social_economy:organization_detail", "social_economy:detail", "social_economy:profile"):
        try:
            return reverse(name, args=[organization.pk])
        except NoReverseMatch:
            continue
    return f"/social-economy/{organization.pk}/"


def _directory_filterset(request):
    filterset = CommunityFilterSet(
        request.GET or None, queryset=selectors.community_list().defer(*HIDDEN_FIELDS)
    )
    form = filterset.form
    years = range(timezone.localdate().year, FIRST_COHORT_YEAR - 1, -1)
    form.fields["cohort_year"].widget = forms.Select(
        choices=[("", _("전체"))] + [(year, _("%(year)s년") % {"year": year}) for year in years]
    )
    for name in ("kind", "stage", "dong", "graduated"):
        form.fields[name].empty_label = _("전체")
    # The shared FilterSet also serves the API; the public form shows (and applies) the filters citizens
    # asked for.
    for name in list(form.fields):
        if name not in DIRECTORY_FILTERS:
            del form.fields[name]
    return filterset


def directory(request):
    filterset = _directory_filterset(request)
    invalid = filterset.is_bound and not filterset.is_valid()
    communities = filterset.queryset.none() if invalid else filterset.qs
    page = Paginator(communities.order_by("-cohort_year", "name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "ondure/directory.html",
        {
            "filterset": filterset,
            "form": filterset.form,
            "invalid": invalid,
            "page": page,
            "communities": page.object_list,
            "query": query.urlencode(),
            "is_filtered": any(value for key, value in request.GET.items() if key != "page"),
        },
        status=400 if invalid else 200,
    )


def community_detail(request, pk):
    community = selectors.community_public_detail(pk)
    if community is None:
        raise Http404(_("공개된 온두레 공동체가 없습니다."))
    graduation = getattr(community, "graduation", None) if community.graduated_on else None
    return render(
        request,
        "ondure/community_detail.html",
        {
            "community": community,
            "stage_records": list(community.stage_records.all()),
            "activity_years": selectors.community_activity_years(community),
            "graduation": graduation,
            "organization": community.graduated_organization,
            "organization_url": organization_profile_url(community.graduated_organization),
        },
    )
