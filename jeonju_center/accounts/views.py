from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .forms import AccountDeleteForm, CitizenProfileForm
from .legal import legal_page_context
from .services import account_delete, citizen_profile_update


@never_cache
@login_required
def profile(request):
    user = request.user
    if request.method == "POST":
        form = CitizenProfileForm(request.POST)
        if form.is_valid():
            citizen_profile_update(user=user, **form.cleaned_data)
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
            account_delete(user=request.user, password=form.cleaned_data.get("password", ""))
        except ValidationError as error:
            form.add_error("password" if error.code == "password" else None, error)
        else:
            logout(request)
            messages.success(request, _("탈퇴했습니다. 그동안 이용해 주셔서 감사합니다."))
            return redirect("home")
    return render(request, "accounts/delete.html", {"form": form}, status=400 if form.errors else 200)
