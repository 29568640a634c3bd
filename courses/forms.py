"""Forms of the public course pages; they validate input only and leave the rules to the services."""

from django import forms
from django.utils.translation import gettext_lazy as _


class EnrollmentForm(forms.Form):
    """Enrollment needs the citizen's consent to the enrolment's personal-data terms (recorded with its version)."""

    agree_privacy = forms.BooleanField(
        label=_("수강신청 개인정보 수집·이용에 동의합니다. (필수)"),
        help_text=_(
            "수집 항목: 이름, 이메일, 휴대전화(입력한 경우), 거주 행정동. 목적: 수강 관리·출석·수료증 발급·안내 연락. "
            "보유 기간: 강좌 종료 후 3년, 이후 익명화합니다."
        ),
        error_messages={"required": _("수강신청에는 개인정보 수집·이용 동의가 필요합니다.")},
    )


class FeedbackForm(forms.Form):
    """The satisfaction survey: one 5-point question per item, and free text."""

    comment = forms.CharField(
        label=_("하고 싶은 말 (선택)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("좋았던 점, 아쉬웠던 점, 다음에 듣고 싶은 강좌를 적어 주세요."),
    )

    def __init__(self, *args, **kwargs):
        from .models import FEEDBACK_COMMENT_MAX_LENGTH, FEEDBACK_ITEMS, FEEDBACK_SCALE

        super().__init__(*args, **kwargs)
        items = {}
        for name, question in FEEDBACK_ITEMS:
            items[name] = forms.TypedChoiceField(
                label=question,
                choices=FEEDBACK_SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("1점부터 5점까지 하나를 골라 주세요."),
                    "invalid_choice": _("1점부터 5점까지 하나를 골라 주세요."),
                },
            )
        self.fields = {**items, "comment": self.fields["comment"]}
        self.fields["comment"].max_length = FEEDBACK_COMMENT_MAX_LENGTH
        self.fields["comment"].widget.attrs["maxlength"] = FEEDBACK_COMMENT_MAX_LENGTH
