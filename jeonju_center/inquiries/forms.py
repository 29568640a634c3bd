from django import forms
from django.utils.translation import gettext_lazy as _

from .models import QUESTION_MAX_LENGTH, SUBJECT_MAX_LENGTH, InquiryTeam


class InquiryForm(forms.Form):
    """A new inquiry. The lengths are checked again by the service (the form only says so early)."""

    team = forms.ChoiceField(
        label=_("문의할 곳"),
        choices=[("", _("골라 주세요")), *InquiryTeam.choices],
        error_messages={"required": _("문의할 곳을 골라 주세요.")},
    )
    name = forms.CharField(
        label=_("이름"), max_length=50, required=False, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("답변 받을 이메일"),
        required=False,
        help_text=_("이 주소로 확인 메일을 보냅니다. 메일의 링크를 눌러야 문의가 접수됩니다."),
        error_messages={"invalid": _("올바른 이메일 주소를 입력하세요.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    subject = forms.CharField(
        label=_("제목"),
        max_length=SUBJECT_MAX_LENGTH,
        error_messages={
            "required": _("제목을 적어 주세요."),
            "max_length": _("제목은 %(limit_value)d자까지 쓸 수 있습니다."),
        },
    )
    question = forms.CharField(
        label=_("문의 내용"),
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("%(limit)d자까지 쓸 수 있습니다. 주민등록번호나 계좌번호 같은 개인정보는 적지 마세요.")
        % {"limit": QUESTION_MAX_LENGTH},
        error_messages={
            "required": _("문의 내용을 적어 주세요."),
            "max_length": _("문의 내용은 %(limit_value)d자까지 쓸 수 있습니다. 지금 %(show_value)d자입니다."),
        },
    )
    agree = forms.BooleanField(
        label=_("문의에 답변하기 위한 개인정보(이름, 이메일) 수집·이용에 동의합니다. (필수)"),
        error_messages={"required": _("개인정보 수집·이용에 동의해야 문의할 수 있습니다.")},
    )

    def __init__(self, *args, signed_in=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        if signed_in:
            # A member's name and address come from the account.
            del self.fields["name"], self.fields["email"]
        else:
            self.fields["name"].required = True
            self.fields["email"].required = True
            self.fields["name"].error_messages["required"] = _("이름을 적어 주세요.")
            self.fields["email"].error_messages["required"] = _("답변을 받을 이메일을 적어 주세요.")
