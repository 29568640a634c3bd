"""The login form (``ACCOUNT_FORMS["login"]``). Kept apart from ``forms.py``: allauth's forms module imports
our sign-up form class (``ACCOUNT_SIGNUP_FORM_CLASS``) while it loads, so the module defining the sign-up form
cannot import allauth's forms."""

from allauth.account.forms import LoginForm
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext


class CitizenLoginForm(LoginForm):
    """allauth's login form as it should read in Korean: the cursor starts in the e-mail field, and the
    checkbox says what it does — keep the session for ``SESSION_COOKIE_AGE`` (allauth's Korean catalogue
    calls it "아이디 저장", which it is not)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].widget.attrs["autofocus"] = True
        if "remember" in self.fields:
            days = max(1, settings.SESSION_COOKIE_AGE // 86400)
            self.fields["remember"].label = _("로그인 상태 유지")
            self.fields["remember"].help_text = ngettext(
                "%(days)d일 동안 로그인한 채로 둡니다. 여러 사람이 쓰는 컴퓨터에서는 선택하지 마세요.",
                "%(days)d일 동안 로그인한 채로 둡니다. 여러 사람이 쓰는 컴퓨터에서는 선택하지 마세요.",
                days,
            ) % {"days": days}
