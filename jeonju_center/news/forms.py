from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Program, Publication


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


class LibraryFilterForm(forms.Form):
    """The library's search and filters; unknown values are errors the page shows, never a crash."""

    q = forms.CharField(label=_("검색어"), required=False, max_length=100, strip=True)
    category = forms.ChoiceField(
        label=_("자료 구분"), required=False, choices=[("", _("전체")), *Publication.Category.choices]
    )
    program = forms.ChoiceField(
        label=_("사업 분류"), required=False, choices=[("", _("전체")), *Program.choices]
    )
    year = forms.TypedChoiceField(label=_("발간 연도"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("전체")), *((year, str(year)) for year in years)]
