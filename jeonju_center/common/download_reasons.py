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


class ReasonFields(forms.Form):
    """The reason fields and rules, shared by the download page below and the admin's export form."""

    reason = forms.ChoiceField(label=_("내려받는 사유"), choices=REASON_CHOICES, required=False)
    detail = forms.CharField(
        label=_("사유 직접 입력"),
        max_length=200,
        required=False,
        help_text=_("'기타'를 고르면 꼭 적어 주세요. 사유와 건수는 접근 기록에 남습니다."),
    )
    unmasked = forms.BooleanField(
        label=_("이름·연락처를 가리지 않은 값으로 내려받기"),
        required=False,
        help_text=_(
            "개인정보 열람 권한이 있는 직원에게만 적용됩니다. 고르지 않으면 가려서(김*용, 010-1234-****) 받습니다."
        ),
    )

    def check_reason(self, cleaned):
        """Add the errors of a missing reason, or of "other" without words."""
        if not cleaned.get("reason"):
            self.add_error("reason", _("개인정보가 든 파일입니다. 내려받는 사유를 골라 주세요."))
        elif cleaned["reason"] == OTHER and not (cleaned.get("detail") or "").strip():
            self.add_error("detail", _("기타 사유를 적어 주세요."))

    def reason_text(self):
        """The reason as the access log keeps it: the chosen label, and what was written ("" without one)."""
        chosen = self.cleaned_data.get("reason")
        if not chosen:
            return ""
        detail = (self.cleaned_data.get("detail") or "").strip()
        if chosen == OTHER:
            return detail
        label = str(dict(REASON_CHOICES)[chosen])
        return f"{label}: {detail}" if detail else label


class DownloadReasonForm(ReasonFields):
    """The page a download link leads to first (``download_reason``)."""

    def __init__(self, *args, may_unmask=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not may_unmask:
            del self.fields["unmasked"]

    def clean(self):
        cleaned = super().clean()
        self.check_reason(cleaned)
        return cleaned


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


def stored_file_response(file, *, not_found, filename=None, private=False):
    """A stored file as a download, through the one helper every download view uses (a signed URL on object
    storage, the bytes on the local disk; see ``storage.private_file_response``). ``not_found``: the Korean
    message when storage has lost the file; ``private``: never kept by a browser or proxy cache."""
    from .storage import private_file_response

    response = private_file_response(file, not_found=not_found, filename=filename)
    if not private:
        del response["Cache-Control"]
    return response


def personal_file_download(
    request,
    *,
    file,
    filename,
    title,
    data_kind,
    back_url,
    model,
    object_ids,
    fields,
    not_found,
    log_kind=None,
):
    """Hand out a stored file that holds personal data (a scanned consent, an applicant's document): ask the
    reason first (such a file cannot be masked), then log the download with it. ``not_found``: the Korean
    message when the file is missing from storage."""
    from .models import PersonalDataAccess
    from .personal_data import record_personal_data_access

    reason, _unmasked, ask = download_reason(
        request, title=title, data_kind=data_kind, back_url=back_url, maskable=False
    )
    if ask:
        return ask
    response = stored_file_response(file, not_found=not_found, filename=filename, private=True)
    record_personal_data_access(
        request,
        action=PersonalDataAccess.Action.DOWNLOAD,
        model=model,
        object_ids=object_ids,
        fields=fields,
        reason=reason,
        data_kind=log_kind,
    )
    return response
