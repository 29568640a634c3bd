"""Forms of the public course pages; they validate input only and leave the rules to the services."""

from django import forms
from django.utils.translation import gettext_lazy as _


class EnrollmentForm(forms.Form):
    """Enrolment needs the citizen's consent to the enrolment's personal-data terms (recorded with its version)."""

    agree_privacy = forms.BooleanField(
        label=_("수강신청 개인정보 수집·이용에 동의합니다. (필수)"),
        help_text=_(
            "수집 항목: 이름, 이메일, 휴대전화(입력한 경우), 거주 행정동. 목적: 수강 관리·출석·수료증 발급·안내 연락. "
            "보유 기간: 강좌 종료 후 3년, 이후 익명화합니다."
        ),
        error_messages={"required": _("수강신청에는 개인정보 수집·이용 동의가 필요합니다.")},
    )
