from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from jeonju_center.common.db_routing import use_primary
from jeonju_center.common.download_reasons import stored_file_response
from jeonju_center.common.forms import add_service_errors
from jeonju_center.common.security import client_ip_address

from . import draw as lottery
from . import selectors, services
from .eligibility import application_checks
from .filters import CallFilterSet
from .forms import ApplicationForm, MemberFormSet, RevisionForm, member_rows
from .models import Application, ApplicationStatus, Call, CallAttachment, CallProgram, Draw


@require_safe
def call_list(request):
    """The published calls, narrowed by program and phase with the API's FilterSet; a bad value gets its
    message on the page (400) rather than being ignored."""
    now = timezone.now()
    filterset = CallFilterSet(request.GET or None, queryset=selectors.public_calls(), request=request)
    if filterset.is_bound and not filterset.is_valid():
        calls, status = [], 400
    else:
        calls, status = list(filterset.qs), 200
    chosen = filterset.form.cleaned_data if filterset.is_bound and status == 200 else {}
    return render(
        request,
        "calls/list.html",
        {
            "calls": calls,
            "filter_form": filterset.form,
            "programs": CallProgram.choices,
            "phases": selectors.PHASES.items(),
            "selected_programs": chosen.get("program") or [],
            "selected_phase": chosen.get("phase") or None,
            "now": now,
        },
        status=status,
    )


def _draw_of(call):
    try:
        return call.draw
    except Draw.DoesNotExist:
        return None


def _get_call(slug):
    try:
        return selectors.public_call(slug=slug)
    except Call.DoesNotExist:
        raise Http404 from None


@require_safe
def call_detail(request, slug):
    call = _get_call(slug)
    now = timezone.now()
    mine = None
    if request.user.is_authenticated:
        mine = Application.objects.filter(call=call, applicant=request.user).first()
    if now < call.opens_at:
        unavailable = _("접수 기간 전입니다.")
    elif now >= call.closes_at:
        unavailable = _("접수가 마감되었습니다.")
    else:
        unavailable = ""
    return render(
        request,
        "calls/detail.html",
        {
            "call": call,
            "phase": call.phase(now),
            "mine": mine,
            "unavailable": unavailable,
            "draw": _draw_of(call),
            "results": selectors.published_results(call),
        },
    )


@use_primary()
@never_cache
@login_required
def call_apply(request, slug):
    call = _get_call(slug)
    now = timezone.now()
    application = Application.objects.filter(call=call, applicant=request.user).first()
    if application and not application.is_editable_by_applicant:
        return redirect("calls:my_application", pk=application.pk)
    if not call.is_open(now):
        messages.error(request, _("지금은 이 공고에 신청할 수 없습니다."))
        return redirect("calls:detail", slug=call.slug)
    initial_application = application or Application(
        call=call,
        applicant_name=request.user.name,
        phone=request.user.phone,
        email=request.user.email,
        dong=request.user.dong,
    )
    members_initial = (
        [{"name": member.name, "dong": member.dong} for member in application.members.all()]
        if application
        else []
    )
    if request.method == "POST":
        form = ApplicationForm(request.POST, request.FILES, call=call, instance=initial_application)
        members = MemberFormSet(request.POST, prefix="members")
        members_ok = not call.is_group_call or members.is_valid()
        if form.is_valid() and members_ok:
            submit = request.POST.get("action") == "submit"
            try:
                application = application or services.application_start(
                    call=call, actor=request.user, now=now
                )
                application = services.application_save(
                    application=application,
                    actor=request.user,
                    data={**form.applicant_data(), "answers": form.answers()},
                    members=member_rows(members) if call.is_group_call else None,
                    documents=form.documents(),
                    consent=form.cleaned_data.get("consent", False),
                    consent_ip=client_ip_address(request),
                    submit=submit,
                    now=now,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if submit:
                    messages.success(
                        request,
                        _("신청서를 접수했습니다. 접수번호는 %(number)s입니다.")
                        % {"number": application.receipt_number},
                    )
                    return redirect("calls:my_application", pk=application.pk)
                messages.success(request, _("임시 저장했습니다. 마감 전에 제출해 주세요."))
                return redirect("calls:apply", slug=call.slug)
    else:
        form = ApplicationForm(call=call, instance=initial_application)
        members = MemberFormSet(prefix="members", initial=members_initial)
    checks = application_checks(application) if application else []
    uploaded = (
        {document.requirement_id: document for document in application.documents.all()} if application else {}
    )
    return render(
        request,
        "calls/apply.html",
        {
            "call": call,
            "form": form,
            "members": members,
            "application": application,
            "checks": checks,
            "uploaded": uploaded,
        },
        status=400 if form.errors or (call.is_group_call and members.is_bound and members.errors) else 200,
    )


@use_primary()
@require_POST
@login_required
def call_withdraw(request, slug):
    call = _get_call(slug)
    application = get_object_or_404(Application, call=call, applicant=request.user)
    try:
        services.application_withdraw(application=application, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("신청을 철회했습니다."))
    return redirect("calls:my_applications")


@require_safe
def call_attachment(request, slug, pk):
    """A file attached to a published call's notice (served by the portal: the media folders the web server
    hands out directly hold pictures only)."""
    call = _get_call(slug)
    attachment = get_object_or_404(CallAttachment, pk=pk, call=call)
    return stored_file_response(attachment.file, not_found=_("첨부파일을 찾을 수 없습니다."))


@require_safe
def call_draw(request, slug):
    call = _get_call(slug)
    draw = _draw_of(call)
    if draw is None:
        raise Http404
    return render(
        request,
        "calls/draw.html",
        {
            "call": call,
            "draw": draw,
            "positions": list(enumerate(draw.order, start=1)),
            "program": lottery.REFERENCE_PROGRAM,
        },
    )


@never_cache
@login_required
def my_applications(request):
    return render(
        request, "calls/my_applications.html", {"applications": selectors.my_applications(user=request.user)}
    )


@never_cache
@login_required
def my_application(request, pk):
    # Another person's application is not found, whatever its number.
    application = get_object_or_404(Application.objects.select_related("call"), pk=pk, applicant=request.user)
    posted = request.method == "POST"
    form = RevisionForm(
        request.POST if posted else None, request.FILES if posted else None, application=application
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "revision" and form.is_valid():
                services.application_revision_submit(
                    application=application, actor=request.user, documents=form.documents()
                )
                messages.success(request, _("보완 서류를 제출했습니다."))
                return redirect("calls:my_application", pk=application.pk)
            if action == "decline":
                services.selection_decline(application=application, actor=request.user)
                messages.success(request, _("선정을 포기했습니다. 다음 예비 순번에게 기회가 넘어갑니다."))
                return redirect("calls:my_application", pk=application.pk)
        except ValidationError as error:
            add_service_errors(form, error)
    return render(
        request,
        "calls/my_application.html",
        {
            "application": application,
            "form": form,
            "checks": application_checks(application),
            "documents": application.documents.select_related("requirement"),
            "show_revision": application.status == ApplicationStatus.REVISION_REQUESTED,
        },
        status=400 if form.errors else 200,
    )
