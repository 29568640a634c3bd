"""Reads shared by the partner API and the public pages: public rows only, with everything a list shows
loaded up front (related rows joined or prefetched, totals annotated) so a list never runs N+1 queries."""

import datetime

from django.db.models import BigIntegerField, Count, F, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from .models import Community, CommunityStageRecord, CommunityStatus, SupportProgram, SupportRecord


def _community_grant_total(field):
    """Sum of ``field`` over a community's grants, as a subquery so that joins added later by filters
    cannot multiply it."""
    totals = (
        SupportRecord.objects.filter(community=OuterRef("pk"), kind=SupportRecord.Kind.GRANT)
        .order_by()
        .values("community")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(totals, output_field=BigIntegerField()), Value(0))


def public_communities():
    """The communities citizens and partners may see (``is_public``)."""
    return Community.objects.filter(is_public=True)


def community_list():
    """Communities shown to the public and to partners (``is_public``), with their stage history and
    grant totals."""
    return (
        public_communities()
        .select_related("dong", "graduated_organization")
        .prefetch_related(
            Prefetch("stage_records", queryset=CommunityStageRecord.objects.order_by("year", "pk"))
        )
        .annotate(
            total_grant_amount=_community_grant_total("amount"),
            total_returned_amount=_community_grant_total("returned_amount"),
        )
    )


def support_program_list():
    """Support programs with their totals. The totals count the records of every community, public or
    not: they account for the program's budget and show no community."""
    grant = Q(records__kind=SupportRecord.Kind.GRANT)
    zero = Value(0)
    return SupportProgram.objects.annotate(
        records_count=Count("records"),
        total_grant_amount=Coalesce(Sum("records__amount", filter=grant), zero),
        total_returned_amount=Coalesce(Sum("records__returned_amount", filter=grant), zero),
    ).annotate(
        # Returned grants go back into the program's budget.
        remaining_budget=F("budget") - F("total_grant_amount") + F("total_returned_amount"),
    )


def community_public_detail(pk):
    """One public community for its profile page, or ``None``: stage path, graduation and the organization
    it became. Members, leader, staff notes and review reasons are never loaded for it."""
    return (
        community_list()
        .select_related("graduation")
        .defer("leader_name", "leader_phone", "staff_notes")
        .filter(pk=pk)
        .first()
    )


def community_support_summary(community):
    """Per kind of support: how many records and how much (KRW), grants net of returns; one query."""
    rows = (
        SupportRecord.objects.filter(community=community)
        .order_by()
        .values("kind")
        .annotate(count=Count("pk"), amount=Sum("amount"), returned=Sum("returned_amount"))
    )
    labels = dict(SupportRecord.Kind.choices)
    summary = {kind: {"label": labels[kind], "count": 0, "amount": 0, "returned": 0} for kind in labels}
    for row in rows:
        summary[row["kind"]].update(
            count=row["count"], amount=row["amount"] or 0, returned=row["returned"] or 0
        )
    return summary


def community_activity_years(community):
    """The years of support as the public sees them: per year, how many education sessions, on-site
    visits and consultings the community received (no notes, no amounts)."""
    rows = (
        SupportRecord.objects.filter(community=community)
        .exclude(kind=SupportRecord.Kind.GRANT)
        .annotate(year=ExtractYear("supported_on"))
        .order_by()
        .values("year", "kind")
        .annotate(count=Count("pk"))
    )
    years = {}
    for row in rows:
        years.setdefault(row["year"], {}).setdefault(row["kind"], row["count"])
    return [
        {
            "year": year,
            "education": kinds.get(SupportRecord.Kind.EDUCATION, 0),
            "site_visit": kinds.get(SupportRecord.Kind.SITE_VISIT, 0),
            "consulting": kinds.get(SupportRecord.Kind.CONSULTING, 0),
        }
        for year, kinds in sorted(years.items())
    ]


def community_origin_of(organization):
    """The Ondure community ``organization`` graduated from, for the organization's profile: ``None``
    when it did not come from one or the community is not published. Loads the stage path and the
    graduation record (two queries)."""
    if organization is None or organization.pk is None:
        return None
    return (
        Community.objects.filter(graduated_organization=organization, is_public=True)
        .select_related("dong", "graduation")
        .defer("leader_name", "leader_phone", "staff_notes")
        .prefetch_related(
            Prefetch("stage_records", queryset=CommunityStageRecord.objects.order_by("year", "pk"))
        )
        .first()
    )


def graduation_dashboard():
    """Per cohort: communities, how many graduated, dissolved and are still active, and the time from
    selection to graduation (days; min/avg/max). Two queries whatever the number of communities."""
    per_cohort = (
        Community.objects.order_by()
        .values("cohort_year")
        .annotate(
            total=Count("pk"),
            graduated=Count("pk", filter=Q(status="graduated")),
            active=Count("pk", filter=Q(status="active")),
            dormant=Count("pk", filter=Q(status="dormant")),
            dissolved=Count("pk", filter=Q(status="dissolved")),
        )
        .order_by("cohort_year")
    )
    durations = {}
    graduated = Community.objects.filter(status="graduated", graduated_on__isnull=False).values_list(
        "cohort_year", "selected_on", "graduated_on"
    )
    for cohort_year, selected_on, graduated_on in graduated:
        start = selected_on or datetime.date(cohort_year, 1, 1)
        durations.setdefault(cohort_year, []).append((graduated_on - start).days)
    rows = []
    for row in per_cohort:
        days = durations.get(row["cohort_year"], [])
        row = dict(row)
        row["rate"] = round(100 * row["graduated"] / row["total"], 1) if row["total"] else 0
        row["days_min"] = min(days) if days else None
        row["days_avg"] = round(sum(days) / len(days)) if days else None
        row["days_max"] = max(days) if days else None
        row["years_avg"] = round(sum(days) / len(days) / 365.25, 1) if days else None
        rows.append(row)
    all_days = [d for days in durations.values() for d in days]
    totals = {
        "total": sum(r["total"] for r in rows),
        "graduated": sum(r["graduated"] for r in rows),
        "years_avg": round(sum(all_days) / len(all_days) / 365.25, 1) if all_days else None,
    }
    totals["rate"] = round(100 * totals["graduated"] / totals["total"], 1) if totals["total"] else 0
    return {"cohorts": rows, "totals": totals}


# --- The back-office home ---------------------------------------------------------------------------


def review_year_due(today):
    """The latest stage year whose year-end review is due on ``today``: reviews happen in December, so
    this year's records are due from 1 December, earlier years' are overdue."""
    return today.year if today.month == 12 else today.year - 1


def stage_reviews_due(queryset, *, today):
    """Undecided stage records of active communities whose review is due (``review_year_due``)."""
    return queryset.filter(
        decision="", community__status=CommunityStatus.ACTIVE, year__lte=review_year_due(today)
    )


OUTSTANDING_SETTLEMENTS = (SupportRecord.Settlement.UNSETTLED, SupportRecord.Settlement.IN_PROGRESS)


def grant_settlement_counts(*, today):
    """Grants not settled yet: all of them, and those given before this year (overdue). One query."""
    start_of_year = datetime.date(today.year, 1, 1)
    return SupportRecord.objects.filter(
        kind=SupportRecord.Kind.GRANT, settlement_status__in=OUTSTANDING_SETTLEMENTS
    ).aggregate(
        outstanding=Count("pk"),
        outstanding_amount=Coalesce(Sum("amount"), Value(0)),
        overdue=Count("pk", filter=Q(supported_on__lt=start_of_year)),
    )


# --- A community's own pages (/me/community/) ---------------------------------------------------------


def settler_communities(user):
    """The communities ``user`` keeps the books of: current leader or secretary (총무)."""
    from .settlements import SETTLING_ROLES

    return (
        Community.objects.filter(
            members__user=user, members__role__in=SETTLING_ROLES, members__left_on__isnull=True
        )
        .distinct()
        .order_by("name", "pk")
    )


def settler_support_records(user):
    """Support records of the user's communities (the only ones their pages may open), with the program
    and the grant's settlement."""
    return (
        SupportRecord.objects.filter(community__in=settler_communities(user))
        .select_related("community", "program", "grant_settlement")
        .order_by("community__name", "-supported_on", "-pk")
    )
