"""``/me/organization/``: the organizations a citizen acts for, asking to join one, leaving, and accepting an
invitation from its e-mail link; for each organization, its profile, products and change history. Each
membership and organization is looked up among the user's own, so another organization's id is a 404."""

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from jeonju_center.common.actors import Actor
from jeonju_center.common.forms import add_service_errors

from . import members, profiles, selectors
from .forms import ConsultingRequestForm, JoinRequestForm, OrganizationProfileForm, ProductForm
from .models import NEW_PRODUCT, OrganizationMember, Product, ProfileTarget


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def my_organization(request):
    action = request.POST.get("action") if request.method == "POST" else None
    form = JoinRequestForm(request.POST if action == "request" else None)
    if action == "request" and form.is_valid():
        try:
            member = members.member_request(
                actor=Actor.citizen(request.user),
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
                members.member_leave(member_id=mine.pk, actor=Actor.citizen(request.user))
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
            members.invitation_accept(token=token, actor=Actor.citizen(request.user))
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
                actor=Actor.citizen(request.user),
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


# --- Profile and products (issue #17 item 2) --------------------------------------------------------------


def _my_organization(request, organization_id):
    # Every page below starts here: an organization the user is an active member of, else 404.
    return get_object_or_404(selectors.member_organizations(request.user), pk=organization_id)


def _saved_message(request, result):
    if result.pending and result.published:
        messages.success(request, _("고친 내용 일부는 바로 공개했고, 나머지는 센터가 검토한 뒤 공개합니다."))
    elif result.pending:
        messages.success(
            request, _("고친 내용을 센터가 검토한 뒤 공개합니다. 결과는 이메일로 알려 드립니다.")
        )
    elif result.published:
        messages.success(request, _("고친 내용을 저장해 공개했습니다."))
    else:
        messages.info(request, _("바뀐 내용이 없습니다."))


def _field_rows(form, *, target, current, pending, policy):
    """Per editable field: its published value, the value waiting for review and how changes go public."""
    rows = []
    for name in form.fields:
        waiting = pending.get(name)
        rows.append(
            {
                "label": form.fields[name].label,
                "current": profiles.display_value(target, name, profiles.current_value(current, name)),
                "pending": waiting.new_display if waiting else None,
                "requires_review": policy.get(name, False),
            }
        )
    return rows


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def profile(request, organization_id):
    """Edit the organization's public profile (the fields members keep; the verified ones are shown)."""
    organization = _my_organization(request, organization_id)
    form = OrganizationProfileForm(request.POST or None, instance=copy.copy(organization))
    if request.method == "POST" and form.is_valid():
        try:
            result = profiles.organization_profile_update(
                organization=organization, changes=form.changes(), actor=Actor.citizen(request.user)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _saved_message(request, result)
            return redirect("my_organization:profile", organization_id=organization.pk)
    pending = selectors.organization_pending_changes(organization)
    context = {
        "organization": organization,
        "form": form,
        "fields": _field_rows(
            form,
            target=ProfileTarget.ORGANIZATION,
            current=organization,
            pending=pending,
            policy=profiles.review_policy(ProfileTarget.ORGANIZATION),
        ),
    }
    return render(request, "social_economy/me/profile.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def products(request, organization_id):
    organization = _my_organization(request, organization_id)
    context = {"organization": organization, "products": list(selectors.member_products(organization))}
    return render(request, "social_economy/me/products.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def product_new(request, organization_id):
    organization = _my_organization(request, organization_id)
    form = ProductForm(
        request.POST or None, request.FILES or None, instance=Product(organization=organization)
    )
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.fields if name in form.cleaned_data}
        if not values.get("image"):
            values.pop("image", None)
        try:
            result = profiles.product_create(
                organization=organization, values=values, actor=Actor.citizen(request.user)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if result.pending:
                messages.success(request, _("생산품을 등록했습니다. 센터가 검토한 뒤 공개합니다."))
            else:
                messages.success(request, _("생산품을 등록해 공개했습니다."))
            return redirect("my_organization:products", organization_id=organization.pk)
    context = {"organization": organization, "form": form, "product": None}
    return render(request, "social_economy/me/product_form.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def product_edit(request, organization_id, product_id):
    organization = _my_organization(request, organization_id)
    product = get_object_or_404(selectors.member_products(organization), pk=product_id)
    action = request.POST.get("action") if request.method == "POST" else None
    if action in ("retire", "reactivate"):
        try:
            profiles.product_set_active(
                product=product, active=action == "reactivate", actor=Actor.citizen(request.user)
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("판매를 중단했습니다. 공개 목록에서 빠집니다.")
                if action == "retire"
                else _("다시 판매 중으로 바꿨습니다."),
            )
        return redirect("my_organization:product", organization_id=organization.pk, product_id=product.pk)
    form = ProductForm(
        request.POST if action == "save" else None,
        request.FILES if action == "save" else None,
        instance=copy.copy(product),
    )
    if action == "save" and form.is_valid():
        try:
            result = profiles.product_update(
                product=product, changes=form.changes(), actor=Actor.citizen(request.user)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _saved_message(request, result)
            return redirect("my_organization:product", organization_id=organization.pk, product_id=product.pk)
    context = {
        "organization": organization,
        "product": product,
        "form": form,
        "fields": _field_rows(
            form,
            target=ProfileTarget.PRODUCT,
            current=product,
            pending={change.field_name: change for change in product.pending_changes},
            policy=profiles.review_policy(ProfileTarget.PRODUCT),
        ),
        "waiting_as_new": any(change.field_name == NEW_PRODUCT for change in product.pending_changes),
    }
    return render(request, "social_economy/me/product_form.html", context, status=400 if form.errors else 200)


@never_cache
@login_required
@require_http_methods(["GET", "HEAD"])
def history(request, organization_id):
    """Who changed what: members by name, staff as 센터 직원 (staff names stay in the back office)."""
    organization = _my_organization(request, organization_id)
    context = {"organization": organization, "changes": selectors.organization_change_log(organization)}
    return render(request, "social_economy/me/history.html", context)
