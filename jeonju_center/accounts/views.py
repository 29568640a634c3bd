from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .forms import CitizenProfileForm
from .services import citizen_profile_update


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
def privacy_terms(request):
    return render(request, "accounts/privacy.html")
