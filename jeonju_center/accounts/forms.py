from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.models import Dong
from jeonju_center.common.validators import normalize_phone

from .models import ConsentRecord
from .services import citizen_profile_update, client_ip, consent_record


class CitizenProfileFields(forms.Form):
    name = forms.CharField(label=_("이름"), max_length=50)
    phone = forms.CharField(
        label=_("휴대전화 (선택)"),
        max_length=20,
        required=False,
        help_text=_("강좌 변경·취소를 문자로 알려 드릴 때만 씁니다."),
    )
    dong = forms.ModelChoiceField(
        label=_("거주 행정동 (선택)"),
        queryset=Dong.objects.filter(is_active=True),
        required=False,
        empty_label=_("선택 안 함"),
        help_text=_("주민 대상 강좌의 수강 자격 확인에만 씁니다."),
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not phone:
            return ""
        try:
            return normalize_phone(phone)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


class CitizenSignupForm(CitizenProfileFields):
    """Extra sign-up fields for django-allauth: the minimum we need, plus the recorded privacy consent."""

    agree_privacy = forms.BooleanField(
        label=_("개인정보 수집·이용에 동의합니다. (필수)"),
        error_messages={"required": _("회원가입에는 개인정보 수집·이용 동의가 필요합니다.")},
    )

    @transaction.atomic
    def signup(self, request, user):
        citizen_profile_update(
            user=user,
            name=self.cleaned_data["name"],
            phone=self.cleaned_data["phone"],
            dong=self.cleaned_data["dong"],
        )
        consent_record(user=user, item=ConsentRecord.Item.PRIVACY_SIGNUP, ip_address=client_ip(request))


class CitizenProfileForm(CitizenProfileFields):
    pass


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("비밀번호"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("탈퇴하면 계정과 개인정보가 삭제되고 되돌릴 수 없음을 확인했습니다."),
        error_messages={"required": _("탈퇴하려면 확인란에 표시해 주세요.")},
    )
