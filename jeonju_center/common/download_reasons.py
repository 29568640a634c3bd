"""Why a file with personal data is being made (개인정보의 안전성 확보조치 기준: 다운로드 사유 확인).

Every download or export that holds personal data — masked or not — first asks for a reason, chosen from
the usual ones or written out; the file is made only then, and the access log keeps the reason with the
row count. Whether the file shows the values unmasked is a separate choice, open only to staff with the
개인정보 열람 permission.
"""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from .personal_data import can_view_personal_data

OTHER = "other"
REASON_CHOICES = [
    ("", _("선택하세요")),
    ("attendance", _("출석·수강 확인")),
    ("contact", _("참여자 연락 (변경·취소 안내)")),
    ("settlement", _("사업 정산·실적 보고")),
    ("inquiry", _("민원·문의 처리")),
    ("audit", _("감사·점검 대응")),
    (OTHER, _("기타 (직접 입력)")),
]


class DownloadReasonForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("내려받는 사유"),
        choices=REASON_CHOICES,
        error_messages={"required": _("사유를 골라 주세요.")},
    )
    detail = forms.CharField(
        label=_("사유 직접 입력"),
        max_length=200,
        required=False,
        help_text=_("'기타'를 고르면 꼭 적어 주세요. 접근 기록에 그대로 남습니다."),
    )
    unmasked = forms.BooleanField(
        label=_("이름·연락처를 가리지 않은 값으로 내려받기"),
        required=False,
        help_text=_("개인정보 열람 권한이 있는 직원만 고를 수 있습니다."),
    )

    def __init__(self, *args, may_unmask=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_unmask:
            del self.fields["unmasked"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == OTHER and not (cleaned.get("detail") or "").strip():
            self.add_error("detail", _("기타 사유를 적어 주세요."))
        return cleaned

    def reason_text(self):
        """The reason as the access log keeps it: the chosen label, and what was written."""
        label = str(dict(REASON_CHOICES)[self.cleaned_data["reason"]])
        detail = (self.cleaned_data.get("detail") or "").strip()
        if self.cleaned_data["reason"] == OTHER:
            return detail
        return f"{label}: {detail}" if detail else label


def download_reason(request, *, title, data_kind, back_url=None, maskable=True):
    """``(reason, unmasked, None)`` once the request carries a valid reason, else ``(None, False, page)``:
    the page asking for it (the same URL again, by GET, so the download link keeps working). A file that
    cannot be masked (a scanned document) asks for the reason only."""
    form = DownloadReasonForm(
        request.GET if "reason" in request.GET else None,
        may_unmask=maskable and can_view_personal_data(request.user),
    )
    if form.is_bound and form.is_valid():
        return form.reason_text(), bool(form.cleaned_data.get("unmasked")), None
    context = {"form": form, "title": title, "data_kind": data_kind, "back_url": back_url, "opts": None}
    status = 400 if form.is_bound else 200
    return None, False, render(request, "admin/download_reason.html", context, status=status)
