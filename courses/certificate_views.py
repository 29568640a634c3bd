"""A citizen downloads their completion certificate; anyone checks a certificate's code."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from jeonju_center.common.download_reasons import download_reason
from jeonju_center.common.models import PersonalDataAccess
from jeonju_center.common.personal_data import can_view_personal_data, record_personal_data_access

from .certificates import certificate_pdf
from .completion import (
    CODE_LENGTH,
    certificate_by_code,
    certificate_by_number,
    format_certificate_code,
    normalize_certificate_code,
)


def _is_owner(user, enrollment):
    return enrollment.user_id is not None and enrollment.user_id == user.pk


def _staff_may_download(user):
    # The certificate names its holder in full, so staff need the 개인정보 열람 permission as well, and a
    # session that passed the second factor (as the back office asks of them).
    return (
        user.is_staff
        and user.has_perm("courses.view_enrollment")
        and can_view_personal_data(user)
        and user.is_verified()
    )


@never_cache
@require_safe
@login_required
def certificate_download(request, number):
    """The owner's (or staff's) certificate as a PDF; anyone else gets the same 404 as for a wrong number,
    so certificate numbers cannot be probed."""
    enrollment = certificate_by_number(number)
    if enrollment is None:
        raise Http404(_("수료증을 찾을 수 없습니다."))
    if not _is_owner(request.user, enrollment):
        if not _staff_may_download(request.user):
            raise Http404(_("수료증을 찾을 수 없습니다."))
        reason, _unmasked, ask = download_reason(
            request, title=_("수료증"), data_kind=_("수료자 성명"), maskable=False
        )
        if ask:
            return ask
        record_personal_data_access(
            request,
            action=PersonalDataAccess.Action.DOWNLOAD,
            model=type(enrollment),
            object_ids=[enrollment.pk],
            fields=["user.name", "certificate_number", "certificate_code"],
            data_kind=_("수료증"),
            reason=reason,
        )
    verify_url = request.build_absolute_uri(
        f"{reverse('courses:certificate_verify')}?code={enrollment.certificate_code}"
    )
    response = HttpResponse(
        certificate_pdf(enrollment=enrollment, verify_url=verify_url), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"수료증-{enrollment.certificate_number}.pdf"
    )
    return response


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("확인 코드"),
        max_length=40,
        help_text=_("수료증 아래쪽에 있는 확인 코드 12자리를 입력하세요. 예: ABCD-EFGH-JKLM"),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        code = normalize_certificate_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(
                _("확인 코드는 영문 대문자와 숫자 %(length)d자리입니다(하이픈은 없어도 됩니다)."),
                params={"length": CODE_LENGTH},
            )
        return code


@never_cache
@require_safe
def certificate_verify(request):
    """Public: is this certificate code genuine? Shows only what the paper already says, with the
    holder's name masked."""
    form = VerifyForm(request.GET or None)
    checked, certificate = False, None
    if form.is_valid():
        checked = True
        certificate = certificate_by_code(form.cleaned_data["code"])
    response = render(
        request,
        "courses/certificates/verify.html",
        {
            "form": form,
            "checked": checked,
            "certificate": certificate,
            "code_display": format_certificate_code(form.cleaned_data["code"]) if checked else "",
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response
