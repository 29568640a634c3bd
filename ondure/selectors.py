"""Reads shared by the partner API and the public pages: public rows only, with everything a list shows
loaded up front (related rows joined or prefetched, totals annotated) so a list never runs N+1 queries."""

from django.db.models import BigIntegerField, Count, F, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from .models import Community, CommunityStageRecord, SupportProgram, SupportRecord


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


def community_list():
    """Communities shown to the public and to partners (``is_public``), with their stage history and
    grant totals."""
    return (
        Community.objects.filter(is_public=True)
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
