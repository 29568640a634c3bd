"""``/me/organization/``: the organizations a citizen acts for, asking to join one, leaving, and accepting an
invitation from its e-mail link. Each membership is looked up among the user's own."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from jeonju_center.common.forms import add_service_errors

from . import members, selectors
from .forms import ConsultingRequestForm, JoinRequestForm
from .models import OrganizationMember


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_organization(request):
    action = request.POST.get("action") if request.method == "POST" else None
    form = JoinRequestForm(request.POST if action == "request" else None)
    if action == "request" and form.is_valid():
        try:
            member = members.member_request(
                user=request.user,
                business_registration_number=form.cleaned_data["business_registration_number"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(organization)s 회원 가입을 신청했습니다. 센터가 확인하면 이메일로 알려 드립니다.")
                % {"organization": member.organization.name},
            )
            return redirect("my_organization:home")
    elif action == "leave":
        mine = selectors.my_memberships(request.user).filter(pk=request.POST.get("member")).first()
        if mine is None:
            messages.error(request, _("조직 회원 정보를 찾을 수 없습니다."))
        else:
            try:
                members.member_leave(member_id=mine.pk, user=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(
                    request,
                    _("%(organization)s 회원에서 나왔습니다.") % {"organization": mine.organization.name},
                )
        return redirect("my_organization:home")
    memberships = list(selectors.my_memberships(request.user))
    active = [m for m in memberships if m.status == OrganizationMember.Status.ACTIVE]
    surveys = {}
    for response in selectors.open_survey_responses([m.organization_id for m in active]):
        surveys.setdefault(response.organization_id, []).append(response)
    for member in active:
        member.open_surveys = surveys.get(member.organization_id, [])
    context = {
        "active": active,
        "pending": [m for m in memberships if m.status == OrganizationMember.Status.REQUESTED],
        "ended": [m for m in memberships if m.status not in OrganizationMember.OPEN_STATUSES],
        "form": form,
    }
    return render(request, "social_economy/me/organization.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request, token):
    try:
        member = members.invitation_for_token(token)
    except ValidationError as error:
        return render(request, "social_economy/me/invitation.html", {"error": error.messages[0]}, status=400)
    if request.method == "POST":
        try:
            members.invitation_accept(token=token, user=request.user)
        except ValidationError as error:
            return render(
                request,
                "social_economy/me/invitation.html",
                {"member": member, "token": token, "error": error.messages[0]},
                status=400,
            )
        messages.success(
            request,
            _("%(organization)s의 조직 회원이 되었습니다.") % {"organization": member.organization.name},
        )
        return redirect("my_organization:home")
    return render(request, "social_economy/me/invitation.html", {"member": member, "token": token})


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def consulting(request, organization_id):
    """The organization's consulting: ask for it, follow the requests, the cases and their sessions."""
    organization = get_object_or_404(selectors.member_organizations(request.user), pk=organization_id)
    form = ConsultingRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            members.consulting_request_submit(
                organization=organization,
                user=request.user,
                topic=form.cleaned_data["topic"],
                description=form.cleaned_data["description"],
                preferred_partner=form.cleaned_data["preferred_partner"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("컨설팅을 신청했습니다. 센터가 검토한 뒤 이메일로 알려 드립니다."))
            return redirect("my_organization:consulting", organization_id=organization.pk)
    requests, cases = selectors.organization_consulting(organization)
    context = {"organization": organization, "form": form, "requests": requests, "cases": cases}
    return render(request, "social_economy/me/consulting.html", context, status=400 if form.errors else 200)
