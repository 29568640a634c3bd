"""Reads of the calls app: what the public sees (never an applicant's data), what an applicant sees of their
own, and the review figures staff rank by."""

from collections import defaultdict

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import IN_REVIEW, Application, ApplicationStatus, Call, ReviewScore

PHASES = {"open": _("접수 중"), "upcoming": _("접수 예정"), "closed": _("마감")}

# Everything handed in counts as "applied" on the public page (drafts and withdrawals do not).
COUNTED = (*IN_REVIEW, ApplicationStatus.SELECTED, ApplicationStatus.RESERVE, ApplicationStatus.NOT_SELECTED,
           ApplicationStatus.DECLINED)  # fmt: skip


def public_calls():
    """Published calls with how many applied, newest first (the list and the API narrow them with
    ``CallFilterSet``)."""
    calls = Call.objects.filter(is_published=True).annotate(
        applied_count=Count("applications", filter=Q(applications__status__in=COUNTED))
    )
    return calls.order_by("-opens_at", "pk")


def calls_in_phase(calls, phase, *, now=None):
    """``calls`` in ``phase`` (a key of ``PHASES``; anything else: all of them) at ``now``."""
    now = now or timezone.now()
    if phase == "open":
        return calls.filter(opens_at__lte=now, closes_at__gt=now)
    if phase == "upcoming":
        return calls.filter(opens_at__gt=now)
    if phase == "closed":
        return calls.filter(closes_at__lte=now)
    return calls


def public_call(*, slug):
    return (
        public_calls()
        .select_related("housing_program")
        .prefetch_related("attachments", "documents", "rooms__house", "dongs")
        .get(slug=slug)
    )


def published_results(call):
    """The result list as published: selected, reserve and declined by receipt number with a masked name, by
    rank (no other data; those not selected are told privately)."""
    shown = (ApplicationStatus.SELECTED, ApplicationStatus.RESERVE, ApplicationStatus.DECLINED)
    decided = call.applications.filter(decided_at__isnull=False, status__in=shown)
    return list(decided.order_by("rank", "receipt_number").only("receipt_number", "applicant_name", "status", "rank",
                                                                 "reserve_number", "anonymised_at"))  # fmt: skip


def my_applications(*, user):
    return Application.objects.filter(applicant=user).select_related("call").order_by("-created_at")


def application_scores(call):
    """Each application's score: the mean over reviewers of each reviewer's total (a reviewer with a conflict
    of interest has no scores on that application)."""
    totals = defaultdict(lambda: defaultdict(int))
    for application_id, reviewer_id, points in ReviewScore.objects.filter(application__call=call).values_list(
        "application_id", "reviewer_id", "points"
    ):
        totals[application_id][reviewer_id] += points
    return {
        application_id: sum(by_reviewer.values()) / len(by_reviewer)
        for application_id, by_reviewer in totals.items()
    }
