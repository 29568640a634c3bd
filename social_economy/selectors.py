"""Reads of the social-economy data shared by the partner API and the public pages.

Each list selector returns the rows with everything its serializers show already joined, prefetched or
annotated, so a list costs the same number of queries whatever its length.
"""

import datetime

from django.db.models import Avg, Count, Exists, Max, Min, OuterRef, Prefetch, Q, Sum

from jeonju_center.common.queries import count_of

from .models import (
    ConsultingCase,
    ConsultingSession,
    Network,
    NetworkMembership,
    Organization,
    OrganizationStatus,
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
        product_count=count_of(Product.objects.filter(is_active=True), "organization")
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


def consulting_case_list(*, partner=None, all_partners=False):
    """Consulting cases of ``partner``; every case only when ``all_partners`` (staff)."""
    cases = ConsultingCase.objects.all()
    if not all_partners:
        if partner is None:
            return cases.none()
        cases = cases.filter(partner=partner)
    return (
        cases.select_related("organization", "partner")
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


# --- Certification / designation expiry ------------------------------------------------------------


def organizations_expiring(*, today, within_days=90):
    """Operating or suspended organizations whose certification/designation expires within
    ``within_days`` of ``today``, or expired already: the soonest first."""
    return (
        Organization.objects.exclude(status=OrganizationStatus.CLOSED)
        .filter(certification_expires_on__lte=today + datetime.timedelta(days=within_days))
        .select_related("dong")
        .order_by("certification_expires_on", "name")
    )


def certification_expiry_filter(queryset, *, today, which, within_days=90):
    """Narrow ``queryset`` to organizations (not closed) whose certification/designation expires within
    ``within_days`` (``which="soon"``) or expired already (``which="expired"``). The admin filter and the
    back-office home count the same rows with it."""
    active = queryset.exclude(status=OrganizationStatus.CLOSED)
    if which == "soon":
        return active.filter(
            certification_expires_on__gte=today,
            certification_expires_on__lte=today + datetime.timedelta(days=within_days),
        )
    if which == "expired":
        return active.filter(certification_expires_on__lt=today)
    return queryset


def survey_campaigns_in_progress():
    """Campaigns being run, each with its number of organizations (responses), completed responses (and how
    many of them came online), submitted responses waiting for staff's review and responses still
    remindable; one query."""
    return (
        SurveyCampaign.objects.filter(status=SurveyCampaign.Status.IN_PROGRESS)
        .annotate(
            response_count=Count("responses"),
            completed_count=Count(
                "responses", filter=Q(responses__status__in=SurveyResponse.COMPLETED_STATUSES)
            ),
            pending_count=Count(
                "responses", filter=Q(responses__status__in=SurveyResponse.REMINDABLE_STATUSES)
            ),
            online_count=Count(
                "responses",
                filter=Q(
                    responses__status__in=SurveyResponse.COMPLETED_STATUSES,
                    responses__channel=SurveyResponse.Channel.ONLINE,
                ),
            ),
            to_review_count=Count("responses", filter=Q(responses__status=SurveyResponse.Status.SUBMITTED)),
        )
        .order_by("ends_on", "pk")
    )


# --- The product analysis (상품 분석) --------------------------------------------------------------


def _median_of_sorted(values):
    if not values:
        return None
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    return (values[middle - 1] + values[middle]) / 2


def _percent(part, whole):
    return round(part * 100 / whole, 1) if whole else 0.0


def pilot_store_candidates(*, campaign):
    """Organizations ready for the pilot store: their response is verified, they operate, they reported at
    least one active priced product (goods) in this campaign, and none of their products is on a pilot
    store's shelf yet. ``ready_product_count`` counts those products."""
    ready_products = Q(
        products__is_active=True,
        products__kind=Product.Kind.GOODS,
        products__price__isnull=False,
        products__survey_items__response__campaign=campaign,
    )
    on_pilot_shelf = StoreListing.objects.filter(
        product__organization=OuterRef("pk"),
        delisted_on__isnull=True,
        store__kind=Store.Kind.PILOT,
        store__is_active=True,
    )
    return (
        Organization.objects.filter(
            status=OrganizationStatus.OPERATING,
            survey_responses__campaign=campaign,
            survey_responses__status=SurveyResponse.Status.VERIFIED,
        )
        .annotate(ready_product_count=Count("products", filter=ready_products, distinct=True))
        .filter(ready_product_count__gt=0)
        .exclude(Exists(on_pilot_shelf))
        .select_related("dong")
        .order_by("-ready_product_count", "name")
    )


def survey_campaign_analysis(*, campaign):
    """The campaign's product analysis: everything of ``survey_campaign_summary`` plus coverage, products
    by category × organization type, price ranges per category, the sales-channel and needs rankings and
    the organizations ready for the pilot store. The back-office report, its Excel export and the API's
    ``summary`` all read this, so they cannot disagree. A fixed number of queries whatever the size."""
    summary = survey_campaign_summary(campaign=campaign)
    by_status = {row["code"]: row["count"] for row in summary["responses_by_status"]}
    total = summary["response_count"]
    responded = summary["completed_count"]
    verified = by_status.get(SurveyResponse.Status.VERIFIED, 0)
    coverage = {
        "total": total,
        "responded": responded,
        "verified": verified,
        "declined": by_status.get(SurveyResponse.Status.DECLINED, 0),
        "not_responded": total - responded,
        "responded_percent": _percent(responded, total),
        "verified_percent": _percent(verified, total),
    }

    items = SurveyProductItem.objects.filter(
        response__campaign=campaign, response__status__in=SurveyResponse.COMPLETED_STATUSES
    )
    matrix_rows = (
        items.values("product__category", "response__organization__org_type")
        .annotate(count=Count("id"))
        .order_by()
    )
    cells = {
        (row["product__category"], row["response__organization__org_type"]): row["count"]
        for row in matrix_rows
    }
    org_types = [{"code": code, "label": str(label)} for code, label in OrganizationType.choices]
    category_by_org_type = []
    for code, label in Product.Category.choices:
        counts = [cells.get((code, org_type["code"]), 0) for org_type in org_types]
        category_by_org_type.append(
            {"code": code, "label": str(label), "counts": counts, "total": sum(counts)}
        )
    column_totals = [sum(row["counts"][i] for row in category_by_org_type) for i in range(len(org_types))]

    # One ordered query of every reported price; the per-category median needs the values anyway.
    prices_by_category = {}
    for category, price in (
        items.filter(unit_price__isnull=False)
        .order_by("product__category", "unit_price")
        .values_list("product__category", "unit_price")
    ):
        prices_by_category.setdefault(category, []).append(price)
    price_by_category = [
        {
            "code": code,
            "label": str(label),
            "count": len(prices_by_category.get(code, [])),
            "min": prices_by_category[code][0] if code in prices_by_category else None,
            "median": _median_of_sorted(prices_by_category.get(code, [])),
            "max": prices_by_category[code][-1] if code in prices_by_category else None,
        }
        for code, label in Product.Category.choices
    ]

    def ranking(rows):
        ranked = sorted(rows, key=lambda row: (-row["count"], row["label"]))
        return [
            {**row, "rank": position, "percent": _percent(row["count"], responded)}
            for position, row in enumerate(ranked, start=1)
        ]

    candidates = [
        {
            "organization": organization.pk,
            "organization_name": organization.name,
            "org_type": organization.org_type,
            "org_type_label": organization.get_org_type_display(),
            "dong_name": organization.dong.name if organization.dong else "",
            "ready_product_count": organization.ready_product_count,
        }
        for organization in pilot_store_candidates(campaign=campaign)
    ]
    return {
        **summary,
        "coverage": coverage,
        "org_types": org_types,
        "products_by_category_and_org_type": category_by_org_type,
        "products_by_org_type_totals": column_totals,
        "price_by_category": price_by_category,
        "sales_channel_ranking": ranking(summary["sales_channels"]),
        "needs_ranking": ranking(summary["needs"]),
        "pilot_store_candidates": candidates,
    }


# --- Public pages ---------------------------------------------------------------------------------


def _open_store_listings():
    return (
        StoreListing.objects.filter(delisted_on__isnull=True, store__is_active=True)
        .select_related("store__dong")
        .order_by("store__kind", "store__name", "id")
    )


def public_organizations():
    """The organizations citizens may see: every one that has not closed (the rule of every public page)."""
    return Organization.objects.exclude(status=OrganizationStatus.CLOSED)


def public_products():
    """The products citizens may see: on sale, of an organization that has not closed."""
    return Product.objects.filter(is_active=True).exclude(organization__status=OrganizationStatus.CLOSED)


def public_organization_list():
    """Organizations citizens see (not closed), with their number of products on sale; organizations
    without products are listed too."""
    return (
        public_organizations()
        .select_related("dong")
        .annotate(product_count=Count("products", filter=Q(products__is_active=True)))
        .order_by("name", "id")
    )


def public_organization_detail(*, pk):
    products = (
        Product.objects.filter(is_active=True)
        .prefetch_related(
            "certifications",
            Prefetch("store_listings", queryset=_open_store_listings(), to_attr="open_listings"),
        )
        .order_by("name", "id")
    )
    return (
        public_organizations()
        .select_related("dong")
        .prefetch_related(
            Prefetch("products", queryset=products, to_attr="public_products"),
            Prefetch(
                "network_memberships",
                queryset=NetworkMembership.objects.filter(left_on__isnull=True).select_related("network"),
                to_attr="current_memberships",
            ),
        )
        .get(pk=pk)
    )


def public_product_list():
    """Products on sale of organizations that are not closed, with their certifications and the stores
    that sell them (``open_listings``)."""
    return (
        public_products()
        .select_related("organization__dong")
        .prefetch_related(
            "certifications",
            Prefetch("store_listings", queryset=_open_store_listings(), to_attr="open_listings"),
        )
        .order_by("name", "id")
    )


def public_product_detail(*, pk):
    return public_product_list().get(pk=pk)


# --- Organization members (/me/organization/) ---------------------------------------------------------


def my_memberships(user):
    """The user's memberships still open (active, requested) and the ended ones, newest first."""
    from .models import OrganizationMember

    return (
        OrganizationMember.objects.filter(user=user)
        .select_related("organization")
        .order_by("-created_at", "-pk")
    )


def member_organizations(user):
    """The organizations ``user`` may act for: an active membership, the organization not closed."""
    from .models import OrganizationMember

    return public_organizations().filter(
        portal_members__user=user, portal_members__status=OrganizationMember.Status.ACTIVE
    )


def organization_consulting(organization):
    """An organization's consulting for its members: its requests (newest first) and its cases with their
    sessions (whether they came from a request or staff opened them)."""
    from .models import ConsultingCase, ConsultingRequest, ConsultingSession

    requests = ConsultingRequest.objects.filter(organization=organization).select_related(
        "case", "preferred_partner"
    )
    cases = (
        ConsultingCase.objects.filter(organization=organization)
        .select_related("partner")
        .prefetch_related(Prefetch("sessions", queryset=ConsultingSession.objects.order_by("held_on", "pk")))
        .order_by("-opened_on", "-pk")
    )
    return list(requests.order_by("-created_at", "-pk")), list(cases)


# --- The survey answered online (surveys.py) -------------------------------------------------------------


def open_survey_responses(organization_ids):
    """The responses of ``organization_ids`` to campaigns being run, for ``/me/organization/``."""
    return (
        SurveyResponse.objects.filter(
            organization_id__in=organization_ids, campaign__status=SurveyCampaign.Status.IN_PROGRESS
        )
        .select_related("campaign")
        .order_by("campaign__ends_on", "pk")
    )


def member_survey_response(user, *, organization_id, campaign_id):
    """The response of an organization ``user`` acts for to ``campaign_id`` (a 404 for anyone else's)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        SurveyResponse.objects.select_related("campaign", "organization"),
        organization__in=member_organizations(user),
        organization_id=organization_id,
        campaign_id=campaign_id,
    )


def previous_survey_response(response):
    """The organization's latest completed answer to an earlier campaign (to prefill a new one), or None."""
    return (
        SurveyResponse.objects.filter(
            organization_id=response.organization_id, status__in=SurveyResponse.COMPLETED_STATUSES
        )
        .exclude(campaign_id=response.campaign_id)
        .filter(campaign__starts_on__lte=response.campaign.starts_on)
        .order_by("-campaign__year", "-campaign__starts_on", "-pk")
        .first()
    )


def survey_answer_initial(response):
    """What the online form shows: the answer saved so far, or else the organization's answer to the last
    campaign, and one row per product — the active products and any already in the answer. Returns
    ``(initial, product_rows, source)`` where ``source`` is ``"saved"``, ``"previous"`` or ``"none"``;
    a constant number of queries."""
    saved = (
        response.status in (SurveyResponse.Status.IN_PROGRESS, *SurveyResponse.COMPLETED_STATUSES)
        or response.product_items.exists()
    )
    source = response if saved else previous_survey_response(response)
    initial = {"respondent_name": response.respondent_name, "respondent_phone": response.respondent_phone}
    items = {}
    if source is not None:
        initial.update(
            annual_revenue=source.annual_revenue,
            employees_count=source.employees_count,
            vulnerable_employees_count=source.vulnerable_employees_count,
            sales_channels=list(source.sales_channels.values_list("pk", flat=True)),
            needs=list(source.needs.values_list("pk", flat=True)),
        )
        items = {item.product_id: item for item in source.product_items.all()}
    products = Product.objects.filter(organization_id=response.organization_id).filter(
        Q(is_active=True) | Q(pk__in=list(items) if saved else [])
    )
    rows = []
    for product in products.order_by("name", "pk"):
        item = items.get(product.pk)
        rows.append(
            {
                "product": product,
                # Nothing saved yet: every product on sale is in the answer until the organization says no.
                "included": item is not None if saved else True,
                "annual_sales": item.annual_sales if item else None,
                "unit_price": item.unit_price if item and item.unit_price is not None else product.price,
                "notes": item.notes if item else "",
            }
        )
    return initial, rows, "saved" if saved else ("previous" if source is not None else "none")


# --- Self-service profile (/me/organization/<id>/profile/, products, history) -------------------------


def organization_pending_changes(organization):
    """The organization's own fields waiting for review, by field name."""
    from .models import ProfileChange

    rows = ProfileChange.objects.filter(
        organization=organization, product__isnull=True, status=ProfileChange.Status.PENDING
    )
    return {change.field_name: change for change in rows}


def member_products(organization):
    """Every product of the organization (retired ones too), with its certifications and its changes
    waiting for review (``pending_changes``): three queries whatever the number of products."""
    from .models import ProfileChange

    pending = ProfileChange.objects.filter(status=ProfileChange.Status.PENDING).order_by("field_name")
    return (
        Product.objects.filter(organization=organization)
        .prefetch_related(
            "certifications", Prefetch("profile_changes", queryset=pending, to_attr="pending_changes")
        )
        .order_by("-is_active", "name", "id")
    )


def organization_change_log(organization, *, limit=200):
    """The organization's change log, newest first (one query): its own fields and its products'."""
    from .models import ProfileChange

    return list(
        ProfileChange.objects.filter(organization=organization)
        .exclude(status=ProfileChange.Status.SUPERSEDED)
        .select_related("product", "submitted_by")
        .order_by("-created_at", "-pk")[:limit]
    )


def profile_changes_pending():
    from .models import ProfileChange

    return ProfileChange.objects.filter(status=ProfileChange.Status.PENDING)
