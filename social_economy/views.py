"""Public pages: the organization directory and profiles, and the product catalogue (착한 소비)."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors
from .filters import OrganizationFilterSet, ProductFilterSet
from .models import Organization, Product

PAGE_SIZE = 24

DIRECTORY_FILTERS = ["q", "org_type", "sector", "dong"]
CATALOGUE_FILTERS = [
    "q",
    "category",
    "org_type",
    "dong",
    "sold_at_store",
    "store",
    "certification",
    "public_procurement",
]


def _filtered_page(request, filterset_class, queryset, visible):
    """The FilterSet shared with the API, limited to the fields citizens use; a bad value shows its
    message and an empty list instead of an error page."""
    data = request.GET.copy()
    for name in list(data):
        if name not in visible and name != "page":
            del data[name]
    filterset = filterset_class(data or None, queryset=queryset, request=request)
    for name in list(filterset.form.fields):
        if name not in visible:
            del filterset.form.fields[name]
    rows = queryset.none() if filterset.is_bound and not filterset.is_valid() else filterset.qs
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = data.copy()
    query.pop("page", None)
    return filterset, page, query.urlencode()


@require_safe
def directory(request):
    filterset, page, query = _filtered_page(
        request, OrganizationFilterSet, selectors.public_organization_list(), DIRECTORY_FILTERS
    )
    return render(
        request,
        "social_economy/directory.html",
        {"filter": filterset, "page": page, "query": query},
    )


@require_safe
def organization_detail(request, pk):
    try:
        organization = selectors.public_organization_detail(pk=pk)
    except Organization.DoesNotExist:
        raise Http404 from None
    return render(request, "social_economy/organization_detail.html", {"organization": organization})


@require_safe
def products(request):
    filterset, page, query = _filtered_page(
        request, ProductFilterSet, selectors.public_product_list(), CATALOGUE_FILTERS
    )
    return render(
        request,
        "social_economy/products.html",
        {"filter": filterset, "page": page, "query": query},
    )


@require_safe
def product_detail(request, pk):
    try:
        product = selectors.public_product_detail(pk=pk)
    except Product.DoesNotExist:
        raise Http404 from None
    return render(request, "social_economy/product_detail.html", {"product": product})
