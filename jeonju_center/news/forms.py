from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Program


class NewsFilterForm(forms.Form):
    program = forms.ChoiceField(
        label=_("사업 분류"), required=False, choices=[("", _("전체")), *Program.choices]
    )


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label=_("이메일"),
        max_length=254,
        help_text=_("이 주소로 구독 확인 메일을 보내 드립니다. 확인 링크를 눌러야 구독이 시작됩니다."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("이메일을 입력하세요."),
            "invalid": _("올바른 이메일 주소를 입력하세요."),
        },
    )
    agree = forms.BooleanField(
        label=_("뉴스레터 발송을 위한 개인정보(이메일) 수집·이용에 동의합니다. (필수)"),
        required=True,
        error_messages={"required": _("개인정보(이메일) 수집·이용에 동의해야 구독할 수 있습니다.")},
    )
