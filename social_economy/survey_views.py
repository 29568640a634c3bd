"""The full survey answered online: from the personal link of an e-mail (no sign-in needed) or by a signed-in
member from ``/me/organization/``. Both show the same form (``surveys.py`` has the rules)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from jeonju_center.common.actors import Actor
from jeonju_center.common.forms import add_service_errors

from . import selectors, surveys
from .forms import SurveyAnswerForm
from .models import SurveyResponse

LINK_PROBLEM_STATUS = {"expired": 410, "closed": 410}


def _problem(request, message, *, code="invalid", response=None):
    return render(
        request,
        "social_economy/survey/problem.html",
        {"message": message, "response": response},
        status=LINK_PROBLEM_STATUS.get(code, 400),
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def answer_by_link(request, token):
    try:
        response, _address = surveys.response_for_link(token)
    except ValidationError as error:
        return _problem(request, error.messages[0], code=error.code)
    member = request.user.is_authenticated and (
        selectors.member_organizations(request.user).filter(pk=response.organization_id).exists()
    )
    return _answer(request, response, actor=Actor.citizen(request.user if member else None))


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer_as_member(request, organization_id, campaign_id):
    response = selectors.member_survey_response(
        request.user, organization_id=organization_id, campaign_id=campaign_id
    )
    return _answer(request, response, actor=Actor.citizen(request.user))


def _answer(request, response, *, actor):
    if response.status in SurveyResponse.COMPLETED_STATUSES:
        return render(request, "social_economy/survey/submitted.html", _summary(response))
    problem = surveys.answerable_problem(response)
    if problem:
        return _problem(request, problem, code="closed", response=response)
    if request.method == "GET" and (
        response.first_opened_at is None or response.status in surveys.OPENABLE_STATUSES
    ):
        # Only the first opening writes (the service re-checks under the row lock); later visits read.
        response = surveys.survey_response_open(response_id=response.pk, actor=actor)
    initial, rows, source = selectors.survey_answer_initial(response)
    form = SurveyAnswerForm(
        request.POST if request.method == "POST" else None, initial=initial, product_rows=rows
    )
    submit = request.POST.get("action") == "submit"
    if request.method == "POST" and form.is_valid():
        try:
            surveys.survey_response_save(
                response_id=response.pk,
                answers=form.answers(),
                product_rows=form.reported_products(),
                submit=submit,
                actor=actor,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if submit:
                messages.success(request, _("응답을 제출했습니다. 센터가 확인한 뒤 필요하면 연락드립니다."))
            else:
                messages.success(
                    request, _("임시 저장했습니다. 조사 기간 안에 언제든 이어서 쓰고 제출할 수 있습니다.")
                )
            return redirect(request.path)
    context = {
        "response": response,
        "campaign": response.campaign,
        "organization": response.organization,
        "form": form,
        "source": source,
        "signed_in_member": actor is not None,
    }
    return render(request, "social_economy/survey/answer.html", context, status=400 if form.errors else 200)


def _summary(response):
    return {
        "response": response,
        "campaign": response.campaign,
        "organization": response.organization,
        "items": list(response.product_items.select_related("product").order_by("product__name")),
        "sales_channels": list(response.sales_channels.all()),
        "needs": list(response.needs.all()),
    }
