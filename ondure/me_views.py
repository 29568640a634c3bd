"""A community's own pages: its support and grants, and each grant's settlement (정산), for its current leader
and secretary only. Every object is looked up inside the user's own communities, so another community's id
in a URL is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from jeonju_center.common.download_reasons import stored_file_response
from jeonju_center.common.forms import add_service_errors

from . import selectors, settlements
from .forms import ExpenseLineForm
from .models import ExpenseLine, GrantSettlement, SupportRecord


@never_cache
@login_required
@require_safe
def my_community(request):
    communities = list(selectors.settler_communities(request.user))
    records = list(selectors.settler_support_records(request.user))
    groups = [
        (community, [r for r in records if r.community_id == community.pk]) for community in communities
    ]
    return render(request, "ondure/me/community.html", {"groups": groups})


def _own_grant(request, record_id):
    return get_object_or_404(
        selectors.settler_support_records(request.user).filter(kind=SupportRecord.Kind.GRANT), pk=record_id
    )


def _apply(request, form, call, success):
    try:
        call()
    except ValidationError as error:
        if form is not None and hasattr(error, "error_dict"):
            add_service_errors(form, error)
        else:
            messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def settlement(request, record_id):
    record = _own_grant(request, record_id)
    action = request.POST.get("action") if request.method == "POST" else None
    if action:
        settlement = settlements.settlement_start(support_record=record, actor=request.user)
    else:
        # Reading writes nothing: a grant not settled yet shows an empty settlement.
        settlement = getattr(record, "grant_settlement", None) or GrantSettlement(
            support_record=record, granted_amount=record.amount
        )
    form = (
        ExpenseLineForm(request.POST or None, request.FILES or None) if action == "add" else ExpenseLineForm()
    )
    if action == "add" and form.is_valid():
        data = form.cleaned_data
        done = _apply(
            request,
            form,
            lambda: settlements.expense_add(
                settlement_id=settlement.pk,
                actor=request.user,
                spent_on=data["spent_on"],
                vendor=data["vendor"],
                purpose=data["purpose"],
                category=data["category"],
                amount=data["amount"],
                receipt=data["receipt"],
            ),
            _("집행 내역을 더했습니다."),
        )
        if done:
            return redirect("community:settlement", record_id=record.pk)
    elif action == "remove":
        _apply(
            request,
            None,
            lambda: settlements.expense_remove(
                settlement_id=settlement.pk, line_id=request.POST.get("line"), actor=request.user
            ),
            _("집행 내역을 지웠습니다."),
        )
        return redirect("community:settlement", record_id=record.pk)
    elif action == "submit":
        _apply(
            request,
            None,
            lambda: settlements.settlement_submit(settlement_id=settlement.pk, actor=request.user),
            _("정산을 제출했습니다. 담당 직원이 검토한 뒤 알려 드립니다."),
        )
        return redirect("community:settlement", record_id=record.pk)
    if settlement.pk:
        settlement.refresh_from_db()
    context = {
        "record": record,
        "settlement": settlement,
        "lines": list(settlement.lines.order_by("spent_on", "pk")) if settlement.pk else [],
        "form": form,
    }
    status = 400 if action == "add" and form.errors else 200
    return render(request, "ondure/me/settlement.html", context, status=status)


@never_cache
@login_required
@require_safe
def receipt(request, record_id, line_id):
    record = _own_grant(request, record_id)
    line = (
        ExpenseLine.objects.filter(pk=line_id, settlement__support_record=record).exclude(receipt="").first()
    )
    if line is None:
        raise Http404(_("영수증을 찾을 수 없습니다."))
    return stored_file_response(line.receipt, not_found=_("영수증을 찾을 수 없습니다."), private=True)
