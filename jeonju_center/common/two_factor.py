"""Two-factor sign-in for staff who can see personal data (개인정보의 안전성 확보조치 기준: 개인정보취급자의
안전한 인증수단), with django-otp.

Who needs it: superusers, and staff who may unmask personal data (개인정보 열람) or review the access log.
Such a staff member signed in with the password alone reaches no back-office page — every admin URL leads to
the code page (or, the first time, to setting up an authenticator app) and back. Recovery codes (one-time)
cover a lost phone; ``manage.py reset_two_factor`` removes the devices of a staff member who lost both and
writes that to the account's history.
"""

from base64 import b32encode
from urllib.parse import quote

import segno
from django import forms
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .personal_data import ACCESS_LOG_REVIEW_PERMISSION, PERSONAL_DATA_PERMISSION
from .security import in_back_office

RECOVERY_CODES = 10
AUTHENTICATOR_NAME = "인증 앱"
RECOVERY_NAME = "복구 코드"


def needs_two_factor(user):
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (
            user.is_superuser
            or user.has_perm(PERSONAL_DATA_PERMISSION)
            or user.has_perm(ACCESS_LOG_REVIEW_PERMISSION)
        )
    )


def _open_paths():
    """Back-office URLs a staff member needs before the second factor: the two-factor pages and leaving."""
    return {
        reverse("two_factor_setup"),
        reverse("two_factor_verify"),
        reverse("admin:logout"),
        reverse("admin:jsi18n"),
    }


class TwoFactorRequiredMiddleware:
    """After django-otp's middleware: a staff member who needs the second factor and has not given it in this
    session is sent to give it before any back-office page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and in_back_office(request)
            and needs_two_factor(user)
            and not user.is_verified()
            and request.path not in _open_paths()
        ):
            step = "two_factor_verify" if user_has_device(user) else "two_factor_setup"
            return redirect(f"{reverse(step)}?next={quote(request.get_full_path())}")
        return self.get_response(request)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("인증 코드"),
        max_length=16,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "size": 10}
        ),
        help_text=_("인증 앱의 6자리 숫자, 또는 휴대전화를 잃어버렸다면 복구 코드 하나를 입력하세요."),
    )


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("admin:index")


def _context(request, **extra):
    from django.contrib import admin

    return {**admin.site.each_context(request), "next_url": _next_url(request), **extra}


def verify_view(request):
    """The code page after the password: a TOTP code or one recovery code (used up by using it)."""
    user = request.user
    if not needs_two_factor(user) or user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(user):
        return redirect(f"{reverse('two_factor_setup')}?next={quote(_next_url(request))}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", _("코드가 맞지 않습니다. 인증 앱의 최신 코드를 입력해 주세요."))
    status = 400 if form.errors else 200
    return render(
        request,
        "admin/two_factor/verify.html",
        _context(request, form=form, title=_("2단계 인증")),
        status=status,
    )


def setup_view(request):
    """First sign-in of a staff member who needs the second factor: scan the QR code into an authenticator app,
    confirm with its first code, and receive the recovery codes (shown once)."""
    user = request.user
    if not needs_two_factor(user):
        return redirect(_next_url(request))
    if user_has_device(user):  # a confirmed device exists: replacing it takes a reset by an administrator
        return redirect(f"{reverse('two_factor_verify')}?next={quote(_next_url(request))}")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
        user=user, name=AUTHENTICATOR_NAME, confirmed=False
    )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            codes = _new_recovery_codes(user)
            otp_login(request, device)
            return render(
                request,
                "admin/two_factor/recovery_codes.html",
                _context(request, codes=codes, title=_("복구 코드")),
            )
        form.add_error("code", _("코드가 맞지 않습니다. 앱에 새로 나타난 6자리 숫자를 입력해 주세요."))
    qr_code = segno.make(device.config_url, error="m").svg_inline(
        scale=4, title=str(_("인증 앱 등록용 QR 코드"))
    )
    context = _context(
        request,
        form=form,
        qr_code=qr_code,
        secret=b32encode(device.bin_key).decode().rstrip("="),
        title=_("2단계 인증 설정"),
    )
    return render(request, "admin/two_factor/setup.html", context, status=400 if form.errors else 200)


def _new_recovery_codes(user):
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def two_factor_reset(*, user, by):
    """Remove every second-factor device of ``user`` (a lost phone and lost recovery codes): the next sign-in
    sets up a new one. Written to the account's history with the administrator who did it."""
    from django.contrib.admin.models import CHANGE, LogEntry

    removed = (
        TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
    )
    LogEntry.objects.log_actions(
        user_id=by.pk,
        queryset=[user],
        action_flag=CHANGE,
        change_message=str(_("2단계 인증 기기 초기화 (분실 신고, 관리 명령)")),
        single_object=True,
    )
    return removed
