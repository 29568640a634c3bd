"""Reads of the social-economy data shared by the partner API and the public pages.

Each list selector returns the rows with everything its serializers show already joined, prefetched or
annotated, so a list costs the same number of queries whatever its length.
"""

from django.db.models import Avg, Count, Max, Min, Prefetch, Q, Sum

from .models import (
    ConsultingCase,
    ConsultingSession,
    Network,
    NetworkMembership,
    Organization,
    OrganizationType,
    Product,
    SalesChannel,
    Sector,
    Store,
    StoreListing,
    SupportNeed,
    SurveyCampaign,
    SurveyProductItem,
    SurveyResponse,
)


def organization_list():
    """Every organization (closed ones too, with their status) and its number of active products."""
    return Organization.objects.select_related("dong").annotate(
        product_count=Count("products", filter=Q(products__is_active=True))
    )


def product_list():
    return Product.objects.select_related("organization").prefetch_related("certifications")


def survey_campaign_list():
    return SurveyCampaign.objects.annotate(
        response_count=Count("responses"),
        completed_count=Count("responses", filter=Q(responses__status__in=SurveyResponse.COMPLETED_STATUSES)),
    )


def store_list():
    """Stores with their open listings (not delisted) in ``open_listings``."""
    open_listings = (
        StoreListing.objects.filter(delisted_on__isnull=True)
        .select_related("product__organization")
        .order_by("-listed_on", "id")
    )
    return Store.objects.select_related("dong").prefetch_related(
        Prefetch("listings", queryset=open_listings, to_attr="open_listings")
    )


def consulting_case_list(*, partner_center=None, all_partners=False):
    """Consulting cases of ``partner_center``; every case only when ``all_partners`` (staff)."""
    cases = ConsultingCase.objects.all()
    if not all_partners:
        if partner_center is None:
            return cases.none()
        cases = cases.filter(partner_center=partner_center)
    return (
        cases.select_related("organization", "partner_center")
        .annotate(session_count=Count("sessions"), total_hours=Sum("sessions__hours"))
        .prefetch_related(Prefetch("sessions", queryset=ConsultingSession.objects.order_by("held_on", "id")))
    )


def network_list():
    memberships = NetworkMembership.objects.select_related("organization").order_by(
        "organization__name", "id"
    )
    return Network.objects.prefetch_related(Prefetch("memberships", queryset=memberships))


# --- The survey summary ---------------------------------------------------------------------------


def _counts(rows, key, choices):
    """Group-by rows → ``[{"code", "label", "count"}]`` in the choices' order, zero counts included."""
    counted = {row[key]: row["count"] for row in rows}
    result = [{"code": code, "label": str(label), "count": counted.pop(code, 0)} for code, label in choices]
    # Values no longer among the choices still count; they are shown with their code as label.
    result += [{"code": code, "label": str(code), "count": count} for code, count in counted.items()]
    return result


def _median(values_queryset, count):
    """Median of a non-empty ordered ``values_list`` of ``count`` rows, read with one query of at most
    two rows (portable: no percentile function needed)."""
    if not count:
        return None
    low, high = (count - 1) // 2, count // 2
    middle = list(values_queryset[low : high + 1])
    return sum(middle) / len(middle)


def survey_campaign_summary(*, campaign):
    """Aggregates of one survey campaign, computed in the database with a fixed number of queries.

    Response counts cover every response; everything else covers the completed (submitted or
    verified) responses only, because the others have no verified data yet. Nothing here identifies
    a respondent.
    """
    responses = SurveyResponse.objects.filter(campaign=campaign)
    completed = responses.filter(status__in=SurveyResponse.COMPLETED_STATUSES)

    by_status = responses.values("status").annotate(count=Count("id")).order_by()
    by_org_type = (
        completed.values("organization__org_type")
        .annotate(count=Count("organization", distinct=True))
        .order_by()
    )
    by_sector = (
        completed.values("organization__sector")
        .annotate(count=Count("organization", distinct=True))
        .order_by()
    )

    items = SurveyProductItem.objects.filter(
        response__campaign=campaign, response__status__in=SurveyResponse.COMPLETED_STATUSES
    )
    by_category = items.values("product__category").annotate(count=Count("id")).order_by()
    priced = items.filter(unit_price__isnull=False)
    # Count/Min/Max/Avg of a column skip its NULLs, so one query covers every item and the priced ones.
    totals = items.aggregate(
        product_count=Count("id"),
        total_annual_sales=Sum("annual_sales"),
        price_count=Count("unit_price"),
        min=Min("unit_price"),
        max=Max("unit_price"),
        average=Avg("unit_price"),
    )
    median = _median(
        priced.order_by("unit_price").values_list("unit_price", flat=True), totals["price_count"]
    )

    completed_filter = Q(
        survey_responses__campaign=campaign,
        survey_responses__status__in=SurveyResponse.COMPLETED_STATUSES,
    )
    channels = (
        SalesChannel.objects.annotate(count=Count("survey_responses", filter=completed_filter))
        .filter(Q(is_active=True) | Q(count__gt=0))
        .order_by("display_order", "name")
    )
    needs = (
        SupportNeed.objects.annotate(count=Count("survey_responses", filter=completed_filter))
        .filter(Q(is_active=True) | Q(count__gt=0))
        .order_by("display_order", "name")
    )

    status_counts = _counts(by_status, "status", SurveyResponse.Status.choices)
    return {
        "campaign": campaign.pk,
        "response_count": sum(row["count"] for row in status_counts),
        "completed_count": sum(
            row["count"] for row in status_counts if row["code"] in SurveyResponse.COMPLETED_STATUSES
        ),
        "responses_by_status": status_counts,
        "organizations_by_org_type": _counts(by_org_type, "organization__org_type", OrganizationType.choices),
        "organizations_by_sector": _counts(by_sector, "organization__sector", Sector.choices),
        "products_by_category": _counts(by_category, "product__category", Product.Category.choices),
        "reported_product_count": totals["product_count"],
        "total_annual_sales": totals["total_annual_sales"],
        "price": {
            "count": totals["price_count"],
            "min": totals["min"],
            "max": totals["max"],
            "average": round(totals["average"], 1) if totals["average"] is not None else None,
            "median": median,
        },
        "sales_channels": [{"code": c.code, "label": c.name, "count": c.count} for c in channels],
        "needs": [{"code": n.code, "label": n.name, "count": n.count} for n in needs],
    }
