"""Public pages of inquiries: ask a team, confirm by e-mail, and one's own inquiries with their answers."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from jeonju_center.common.actors import Actor
from jeonju_center.common.forms import add_service_errors

from . import selectors, services
from .forms import InquiryForm
from .models import QUESTION_MAX_LENGTH


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def inquiry_new(request):
    signed_in = request.user.is_authenticated
    form = InquiryForm(
        request.POST or None, signed_in=signed_in, initial={"team": request.GET.get("team", "")}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inquiry = services.inquiry_submit(
                team=data["team"],
                subject=data["subject"],
                question=data["question"],
                agreed=data["agree"],
                actor=request.user if signed_in else Actor.citizen(None),
                name=data.get("name", ""),
                email=data.get("email", ""),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if signed_in:
                messages.success(
                    request,
                    _("문의를 접수했습니다(접수번호 %(number)s). 답변 기한은 %(date)s입니다.")
                    % {"number": inquiry.receipt_number, "date": inquiry.due_on.isoformat()},
                )
                return redirect("inquiries:detail", pk=inquiry.pk)
            return render(request, "inquiries/sent.html", {"inquiry": inquiry})
    return render(
        request,
        "inquiries/new.html",
        {
            "form": form,
            "question_limit": QUESTION_MAX_LENGTH,
            "answer_days": services.answer_working_days(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def inquiry_confirm(request, token):
    # Confirming takes a POST: mail scanners that open links must not send anyone's inquiry.
    if request.method != "POST":
        return render(request, "inquiries/confirm.html", {"token": token})
    try:
        # The visitor proves the address by the link alone, without an account.
        inquiry = services.inquiry_confirm(token=token, actor=Actor.citizen(None))
    except ValidationError as error:
        return render(
            request, "inquiries/confirm.html", {"token": token, "error": error.messages[0]}, status=400
        )
    return render(request, "inquiries/confirm.html", {"token": token, "inquiry": inquiry})


@login_required
@require_safe
def my_inquiries(request):
    return render(request, "inquiries/mine.html", {"inquiries": list(selectors.my_inquiries(request.user))})


@login_required
@require_safe
def my_inquiry(request, pk):
    inquiry = get_object_or_404(selectors.my_inquiries(request.user), pk=pk)
    return render(request, "inquiries/detail.html", {"inquiry": inquiry, "title": _("나의 문의")})
