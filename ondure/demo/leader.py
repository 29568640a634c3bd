"""The demo community leader's grant settlement, filled in and submitted through the services."""

import datetime

from django.contrib.auth import get_user_model
from django.db.models import Case, When

from jeonju_center.demo.base import DEMO_LEADER_USERNAME
from jeonju_center.demo.data import load_demo_data

from .. import services, settlements
from ..models import Community, CommunityMember, CommunityStatus, SupportRecord

DATA = load_demo_data(__package__)


def seed_leader(ctx):
    """The demo community leader (``leader@example.com``): the account of a current leader of an active
    community with an unsettled grant, whose settlement is filled in and submitted through the services."""
    leader = get_user_model().objects.filter(username=DEMO_LEADER_USERNAME).first()
    if leader is None or CommunityMember.objects.filter(user=leader).exists():
        return "demo community leader: 0 created (kept or no account)"
    # This year's grant still to settle; early in the year, before this year's grants, a grant given a month
    # ago (through the support service) so that the leader has something to settle on any day.
    led = Community.objects.filter(
        status=CommunityStatus.ACTIVE,
        members__role=CommunityMember.Role.LEADER,
        members__left_on__isnull=True,
    )
    grant = (
        SupportRecord.objects.filter(
            kind=SupportRecord.Kind.GRANT,
            community__in=led,
            settlement_status__in=[SupportRecord.Settlement.UNSETTLED, SupportRecord.Settlement.IN_PROGRESS],
            supported_on__lte=ctx.today - datetime.timedelta(days=7),
        )
        .select_related("community")
        .order_by(
            Case(When(settlement_status=SupportRecord.Settlement.UNSETTLED, then=0), default=1),
            "-supported_on",
            "pk",
        )
        .first()
    )
    if grant is None:
        fallback = DATA["leader_grant"]
        grant = services.support_record_create(
            community=led.order_by("name", "pk").first(),
            kind=SupportRecord.Kind.GRANT,
            supported_on=ctx.today + datetime.timedelta(days=fallback["days_from_today"]),
            amount=fallback["amount"],
            settlement_status=SupportRecord.Settlement.UNSETTLED,
            notes=fallback["notes"],
            actor=ctx.job,
        )
    leader_member = CommunityMember.objects.get(
        community=grant.community, role=CommunityMember.Role.LEADER, left_on__isnull=True
    )
    leader_member.user = leader
    leader_member.save(update_fields=["user", "updated_at"])
    settlement = settlements.settlement_start(support_record=grant, actor=leader)
    for expense in DATA["demo_expenses"]:
        settlements.expense_add(
            settlement_id=settlement.pk,
            actor=leader,
            spent_on=min(
                grant.supported_on + datetime.timedelta(days=expense["days_after_grant"]), ctx.today
            ),
            vendor=expense["vendor"],
            purpose=expense["purpose"],
            category=expense["category"],
            amount=grant.amount * expense["percent_of_grant"] // 100,
        )
    settlements.settlement_submit(settlement_id=settlement.pk, actor=leader)
    return f"demo community leader: linked to {grant.community.name}, a submitted settlement"
