"""Query expressions the apps share."""

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def count_of(queryset, fk):
    """The number of ``queryset`` rows whose ``fk`` is the outer row, as a correlated subquery (0 when none).

    Instead of ``Count()`` over a join: two joined relations would multiply rows, and a join makes the
    database aggregate every related row of the whole table before a page of 100 outer rows is cut, where the
    subquery runs only for the rows on the page."""
    counted = (
        queryset.filter(**{fk: OuterRef("pk")}).order_by().values(fk).annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
