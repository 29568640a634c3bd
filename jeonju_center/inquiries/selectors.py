"""Reads of inquiries: a citizen's own, a team's inbox and what is overdue."""

from django.db.models import Q
from django.utils import timezone

from .models import TEAM_GROUPS, Inquiry

OPEN_STATUSES = (Inquiry.Status.RECEIVED, Inquiry.Status.ASSIGNED)


def my_inquiries(user):
    """The citizen's received inquiries, newest first (unconfirmed ones never belong to an account)."""
    return (
        Inquiry.objects.filter(user=user)
        .exclude(status=Inquiry.Status.PENDING)
        .order_by("-received_at", "-id")
    )


def overdue_q(today=None):
    """Open inquiries whose answer deadline has passed."""
    return Q(status__in=OPEN_STATUSES, due_on__lt=today or timezone.localdate())


def inbox_for(user, queryset=None):
    """The inquiries a staff member may see: their teams' (센터 관리자 and superusers: every team's)."""
    queryset = Inquiry.objects.all() if queryset is None else queryset
    if user.is_superuser:
        return queryset
    groups = set(user.groups.values_list("name", flat=True))
    if TEAM_GROUPS["center"] in groups:
        return queryset
    return queryset.filter(team__in=[team for team, group in TEAM_GROUPS.items() if group in groups])
