from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from jeonju_center.common.masking import mask_phone

from .forms import (
    AccountDeleteForm,
    CitizenProfileForm,
    MessageSubscriptionsForm,
    PhoneCodeForm,
    PhoneNumberForm,
)
from .legal import legal_page_context
from .notifications import (
    message_subscriptions,
    message_subscriptions_set,
    phone_verification_confirm,
    phone_verification_pending,
    phone_verification_start,
)
from .services import account_delete, citizen_profile_update


@never_cache
@login_required
def profile(request):
    user = request.user
    if request.method == "POST":
        form = CitizenProfileForm(request.POST)
        if form.is_valid():
            citizen_profile_update(actor=user, **form.cleaned_data)
            messages.success(request, _("회원정보를 저장했습니다."))
            return redirect("accounts:profile")
    else:
        form = CitizenProfileForm(initial={"name": user.name, "phone": user.phone, "dong": user.dong})
    return render(request, "accounts/profile.html", {"form": form})


@require_safe
def privacy_policy(request):
    return render(request, "legal/privacy.html", legal_page_context())


@require_safe
def terms_of_use(request):
    return render(request, "legal/terms.html", legal_page_context())


@never_cache
@login_required
def delete_account(request):
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            account_delete(actor=request.user, password=form.cleaned_data.get("password", ""))
        except ValidationError as error:
            form.add_error("password" if error.code == "password" else None, error)
        else:
            logout(request)
            messages.success(request, _("탈퇴했습니다. 그동안 이용해 주셔서 감사합니다."))
            return redirect("home")
    return render(request, "accounts/delete.html", {"form": form}, status=400 if form.errors else 200)


@never_cache
@login_required
def notification_settings(request):
    """알림 설정: prove a mobile number with a code, then choose the notices to receive on it."""
    user = request.user
    action = request.POST.get("action") if request.method == "POST" else None
    phone_form = PhoneNumberForm(
        request.POST if action == "send_code" else None, initial={"phone": user.phone}, prefix="phone"
    )
    code_form = PhoneCodeForm(request.POST if action == "confirm_code" else None, prefix="code")
    events_form = MessageSubscriptionsForm(
        request.POST if action == "save_events" else None,
        initial={"events": sorted(message_subscriptions(user=user))},
        prefix="events",
    )
    if action == "send_code" and phone_form.is_valid():
        try:
            verification = phone_verification_start(
                user=user, actor=request.user, phone=phone_form.cleaned_data["phone"]
            )
        except ValidationError as error:
            phone_form.add_error("phone", error)
        else:
            messages.success(
                request,
                _("%(phone)s(으)로 인증번호를 보냈습니다.") % {"phone": mask_phone(verification.phone)},
            )
            return redirect("accounts:notifications")
    elif action == "confirm_code" and code_form.is_valid():
        try:
            phone_verification_confirm(user=user, actor=request.user, code=code_form.cleaned_data["code"])
        except ValidationError as error:
            code_form.add_error("code", error)
        else:
            messages.success(request, _("휴대전화 번호를 인증했습니다. 받을 알림을 골라 주세요."))
            return redirect("accounts:notifications")
    elif action == "save_events" and events_form.is_valid():
        try:
            message_subscriptions_set(
                user=user, actor=request.user, events=events_form.cleaned_data["events"]
            )
        except ValidationError as error:
            events_form.add_error("events", error)
        else:
            messages.success(request, _("알림 설정을 저장했습니다."))
            return redirect("accounts:notifications")
    invalid = any(form.is_bound and form.errors for form in (phone_form, code_form, events_form))
    context = {
        "phone_form": phone_form,
        "code_form": code_form,
        "events_form": events_form,
        "pending": phone_verification_pending(user=user),
        "masked_phone": mask_phone(user.phone) if user.phone else "",
    }
    return render(request, "accounts/notifications.html", context, status=400 if invalid else 200)
