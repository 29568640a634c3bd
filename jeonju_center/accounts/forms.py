from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.models import Dong
from jeonju_center.common.security import client_ip_address
from jeonju_center.common.validators import normalize_phone

from .legal import MINIMUM_SIGNUP_AGE
from .models import ConsentRecord, MessageEvent
from .notifications import CODE_VALID_MINUTES, normalize_mobile
from .services import citizen_profile_update, consent_record


class CitizenProfileFields(forms.Form):
    name = forms.CharField(label=_("이름"), max_length=50)
    phone = forms.CharField(
        label=_("휴대전화 (선택)"),
        max_length=20,
        required=False,
        help_text=_("알림톡·문자 알림에만 씁니다. 알림을 받으려면 ‘알림 설정’에서 번호를 인증해 주세요."),
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
    """Extra sign-up fields for django-allauth: the minimum we need, plus the recorded consents.

    Children under 14 need a legal guardian's consent (개인정보 보호법 §22-2), which an online form cannot
    verify: the age is confirmed as a declaration (no birth date is collected for it) and a child is sent to
    the center instead.
    """

    confirm_age = forms.BooleanField(
        label=format_lazy(_("만 {age}세 이상입니다. (필수)"), age=MINIMUM_SIGNUP_AGE),
        error_messages={
            "required": format_lazy(
                _(
                    "만 {age}세 미만은 법정대리인의 동의가 필요해 온라인으로 가입할 수 없습니다. "
                    "보호자와 함께 센터에 문의해 주세요."
                ),
                age=MINIMUM_SIGNUP_AGE,
            )
        },
    )
    agree_terms = forms.BooleanField(
        label=_("이용약관에 동의합니다. (필수)"),
        error_messages={"required": _("회원가입에는 이용약관 동의가 필요합니다.")},
    )
    agree_privacy = forms.BooleanField(
        label=_("개인정보 수집·이용에 동의합니다. (필수)"),
        error_messages={"required": _("회원가입에는 개인정보 수집·이용 동의가 필요합니다.")},
    )

    @transaction.atomic
    def signup(self, request, user):
        citizen_profile_update(
            actor=user,
            name=self.cleaned_data["name"],
            phone=self.cleaned_data["phone"],
            dong=self.cleaned_data["dong"],
        )
        ip_address = client_ip_address(request)
        for item in (
            ConsentRecord.Item.AGE_CONFIRMED,
            ConsentRecord.Item.TERMS,
            ConsentRecord.Item.PRIVACY_SIGNUP,
        ):
            consent_record(user=user, item=item, actor=user, ip_address=ip_address)


class CitizenProfileForm(CitizenProfileFields):
    pass


class AccountDeleteForm(forms.Form):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and not user.has_usable_password():
            del self.fields["password"]  # signed up with Kakao or Naver: no password to confirm with

    password = forms.CharField(
        label=_("비밀번호"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=_("탈퇴하면 계정과 개인정보가 삭제되고 되돌릴 수 없음을 확인했습니다."),
        error_messages={"required": _("탈퇴하려면 확인란에 표시해 주세요.")},
    )


class PhoneNumberForm(forms.Form):
    phone = forms.CharField(
        label=_("휴대전화 번호"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        help_text=format_lazy(
            _("입력한 번호로 6자리 인증번호를 보내 드립니다. {minutes}분 안에 입력해 주세요."),
            minutes=CODE_VALID_MINUTES,
        ),
    )

    def clean_phone(self):
        try:
            return normalize_mobile(self.cleaned_data["phone"].strip())
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None


class PhoneCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("인증번호 6자리"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("인증번호는 숫자 6자리입니다.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "maxlength": 6}
        ),
    )


class MessageSubscriptionsForm(forms.Form):
    events = forms.MultipleChoiceField(
        label=_("알림톡·문자로 받을 알림"),
        choices=MessageEvent.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("수강·신청과 관련된 안내만 보내며 광고는 보내지 않습니다. 이메일 안내는 그대로 갑니다."),
    )
