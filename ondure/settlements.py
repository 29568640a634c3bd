"""Grant settlements (보조금 정산), written by a community's leader and decided by the staff.

Every change of a settlement takes its row lock; ``spent_total`` moves with each line in the same
transaction, and the table's CHECK constraint keeps it within the grant even if two submits race."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jeonju_center.common.actors import writes
from jeonju_center.common.outbox import outbox_enqueue_letter, portal_url
from jeonju_center.common.teams import SOCIAL_ECONOMY_TEAM, team_emails
from jeonju_center.common.validators import validate_plain_text

from .models import CommunityMember, ExpenseCategory, ExpenseLine, GrantSettlement, SupportRecord

# The roles that keep a community's books on the portal.
SETTLING_ROLES = (CommunityMember.Role.LEADER, CommunityMember.Role.SECRETARY)


def is_settler(user, community_id):
    """Whether ``user`` is a current leader or secretary (총무) of the community."""
    return CommunityMember.objects.filter(
        community_id=community_id, user=user, role__in=SETTLING_ROLES, left_on__isnull=True
    ).exists()


def _require_settler(actor, community_id):
    # The community keeps its own books: staff decide a settlement, they do not write it for them.
    user = actor.user
    if user is None or not user.is_authenticated or not is_settler(user, community_id):
        raise ValidationError(_("이 공동체의 대표나 총무만 정산할 수 있습니다."))


def _locked(settlement_id):
    settlement = (
        GrantSettlement.objects.select_for_update(of=("self",))
        .select_related("support_record__community", "support_record__program")
        .filter(pk=settlement_id)
        .first()
    )
    if settlement is None:
        raise ValidationError(_("정산을 찾을 수 없습니다."))
    return settlement


def _mail(settlement, *, key, to, subject, paragraphs):
    if not to:
        return None
    return outbox_enqueue_letter(
        dedup_key=f"ondure-settlement-{key}:{settlement.pk}:{timezone.now().timestamp():.0f}",
        to=to,
        subject=subject,
        paragraphs=paragraphs,
    )


@writes(GrantSettlement)
@transaction.atomic
def settlement_start(*, support_record, actor):
    """The settlement of a grant (made on first use, with the grant's amount)."""
    if support_record.kind != SupportRecord.Kind.GRANT:
        raise ValidationError(_("보조금만 정산합니다."))
    _require_settler(actor, support_record.community_id)
    settlement, _created = GrantSettlement.objects.get_or_create(
        support_record=support_record, defaults={"granted_amount": support_record.amount}
    )
    return settlement


def _clean_line(settlement, *, spent_on, vendor, purpose, category, amount, now):
    errors = {}
    vendor, purpose = (vendor or "").strip(), (purpose or "").strip()
    record = settlement.support_record
    if spent_on is None:
        errors["spent_on"] = _("집행일을 적어 주세요.")
    elif spent_on < record.supported_on or spent_on > timezone.localdate(now):
        errors["spent_on"] = _("집행일은 지원일(%(start)s)부터 오늘까지여야 합니다.") % {
            "start": record.supported_on.isoformat()
        }
    for field, value, label in (("vendor", vendor, _("거래처")), ("purpose", purpose, _("용도"))):
        if not value:
            errors[field] = _("%(label)s을(를) 적어 주세요.") % {"label": label}
            continue
        try:
            validate_plain_text(value)
        except ValidationError as error:
            errors[field] = error.messages[0]
    if category not in ExpenseCategory.values:
        errors["category"] = _("비목을 골라 주세요.")
    if amount is None or amount <= 0:
        errors["amount"] = _("금액은 0원보다 커야 합니다.")
    elif settlement.spent_total + amount > settlement.granted_amount:
        errors["amount"] = _(
            "이 금액을 더하면 집행액(%(total)s원)이 교부액(%(granted)s원)을 넘습니다. 남은 금액은 %(left)s원입니다."
        ) % {
            "total": f"{settlement.spent_total + amount:,}",
            "granted": f"{settlement.granted_amount:,}",
            "left": f"{settlement.balance:,}",
        }
    if errors:
        raise ValidationError(errors)
    return vendor, purpose


@writes(ExpenseLine, GrantSettlement)
@transaction.atomic
def expense_add(*, settlement_id, actor, spent_on, vendor, purpose, category, amount, receipt=None, now=None):
    """Add an expense line; the running total can never pass the grant (checked here under the row lock,
    and by the database)."""
    now = now or timezone.now()
    settlement = _locked(settlement_id)
    _require_settler(actor, settlement.support_record.community_id)
    if not settlement.is_editable:
        raise ValidationError(_("제출했거나 승인된 정산은 고칠 수 없습니다."))
    vendor, purpose = _clean_line(
        settlement,
        spent_on=spent_on,
        vendor=vendor,
        purpose=purpose,
        category=category,
        amount=amount,
        now=now,
    )
    line = ExpenseLine(
        settlement=settlement,
        spent_on=spent_on,
        vendor=vendor,
        purpose=purpose,
        category=category,
        amount=amount,
    )
    if receipt:
        line.receipt = receipt
    line.full_clean(exclude=["settlement"])
    line.save()
    try:
        with transaction.atomic():
            GrantSettlement.objects.filter(pk=settlement.pk).update(
                spent_total=F("spent_total") + amount, updated_at=now
            )
    except IntegrityError:
        raise ValidationError({"amount": _("집행액 합계가 교부액을 넘을 수 없습니다.")}) from None
    return line


@writes(ExpenseLine, GrantSettlement)
@transaction.atomic
def expense_remove(*, settlement_id, line_id, actor, now=None):
    settlement = _locked(settlement_id)
    _require_settler(actor, settlement.support_record.community_id)
    if not settlement.is_editable:
        raise ValidationError(_("제출했거나 승인된 정산은 고칠 수 없습니다."))
    line = ExpenseLine.objects.filter(pk=line_id, settlement=settlement).first()
    if line is None:
        raise ValidationError(_("집행 내역을 찾을 수 없습니다."))
    amount = line.amount
    if line.receipt:
        line.receipt.delete(save=False)
    line.delete()
    GrantSettlement.objects.filter(pk=settlement.pk).update(
        spent_total=F("spent_total") - amount, updated_at=now or timezone.now()
    )


@writes(GrantSettlement, SupportRecord)
@transaction.atomic
def settlement_submit(*, settlement_id, actor, now=None):
    """Hand the settlement to the staff; the grant shows 정산 중."""
    now = now or timezone.now()
    settlement = _locked(settlement_id)
    _require_settler(actor, settlement.support_record.community_id)
    if not settlement.is_editable:
        raise ValidationError(_("이미 제출했거나 승인된 정산입니다."))
    if not settlement.lines.exists():
        raise ValidationError(_("집행 내역을 하나 이상 적은 뒤 제출해 주세요."))
    settlement.status = GrantSettlement.Status.SUBMITTED
    settlement.submitted_at, settlement.submitted_by = now, actor.user
    settlement.save()
    record = settlement.support_record
    record.settlement_status = SupportRecord.Settlement.IN_PROGRESS
    record.save(update_fields=["settlement_status", "updated_at"])
    settlement.refresh_from_db()
    _mail(
        settlement,
        key="submitted",
        to=", ".join(team_emails(SOCIAL_ECONOMY_TEAM)),
        subject=_("보조금 정산 제출: %(community)s") % {"community": record.community.name},
        paragraphs=[
            _("교부액 %(granted)s원, 집행액 %(spent)s원, 잔액 %(balance)s원")
            % {
                "granted": f"{settlement.granted_amount:,}",
                "spent": f"{settlement.spent_total:,}",
                "balance": f"{settlement.balance:,}",
            },
            portal_url(reverse("admin:ondure_grantsettlement_change", args=[settlement.pk])),
        ],
    )
    return settlement


def _tell_settlers(settlement, *, key, subject, paragraphs):
    emails = sorted(
        set(
            CommunityMember.objects.filter(
                community_id=settlement.support_record.community_id,
                role__in=SETTLING_ROLES,
                left_on__isnull=True,
                user__isnull=False,
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )
    link = portal_url(reverse("community:settlement", args=[settlement.support_record_id]))
    return _mail(settlement, key=key, to=", ".join(emails), subject=subject, paragraphs=[*paragraphs, link])


@writes(GrantSettlement, SupportRecord)
@transaction.atomic
def settlement_approve(*, settlement_id, actor, now=None):
    """Approve: the grant is settled, or — with money left — 반환 with the unspent balance to return."""
    actor.require_staff()
    now = now or timezone.now()
    settlement = _locked(settlement_id)
    if settlement.status != GrantSettlement.Status.SUBMITTED:
        raise ValidationError(_("제출된 정산만 승인할 수 있습니다."))
    settlement.status = GrantSettlement.Status.APPROVED
    settlement.decided_at, settlement.decided_by = now, actor.user
    settlement.save()
    record = settlement.support_record
    balance = settlement.balance
    record.settlement_status = (
        SupportRecord.Settlement.RETURNED if balance else SupportRecord.Settlement.SETTLED
    )
    record.returned_amount = balance
    record.settled_on = timezone.localdate(now)
    record.save(update_fields=["settlement_status", "returned_amount", "settled_on", "updated_at"])
    lines = [_("보조금 정산이 승인되었습니다.")]
    if balance:
        lines.append(_("쓰지 않은 %(balance)s원은 안내에 따라 반환해 주세요.") % {"balance": f"{balance:,}"})
    _tell_settlers(settlement, key="approved", subject=_("보조금 정산이 승인되었습니다"), paragraphs=lines)
    return settlement


@writes(GrantSettlement)
@transaction.atomic
def settlement_return(*, settlement_id, actor, comment, now=None):
    """Send it back to the community with what to fix (보완 요청)."""
    actor.require_staff()
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"review_comment": _("무엇을 고쳐야 하는지 의견을 적어 주세요.")})
    settlement = _locked(settlement_id)
    if settlement.status != GrantSettlement.Status.SUBMITTED:
        raise ValidationError(_("제출된 정산만 돌려보낼 수 있습니다."))
    settlement.status = GrantSettlement.Status.RETURNED
    settlement.review_comment = comment
    settlement.decided_at, settlement.decided_by = now or timezone.now(), actor.user
    settlement.save()
    _tell_settlers(
        settlement,
        key="returned",
        subject=_("보조금 정산 보완 요청"),
        paragraphs=[_("정산을 보완해 다시 제출해 주세요."), _("의견: %(comment)s") % {"comment": comment}],
    )
    return settlement
