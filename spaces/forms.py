import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import rules
from .services import PURPOSE_MAX_LENGTH


def _time_choices(space, *, include_close):
    step = datetime.timedelta(minutes=space.slot_minutes)
    moment = datetime.datetime.combine(datetime.date(2000, 1, 1), space.opens_at)
    end = datetime.datetime.combine(datetime.date(2000, 1, 1), space.closes_at)
    choices = []
    while moment < end or (include_close and moment == end):
        choices.append((moment.strftime("%H:%M"), moment.strftime("%H:%M")))
        moment += step
    return choices


class BookingForm(forms.Form):
    """A booking request: the day, start and end on the space's slot grid, and what it is for."""

    date = forms.DateField(
        label=_("이용일"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("이용일을 골라 주세요."),
            "invalid": _("날짜를 2027-03-15처럼 적어 주세요."),
        },
    )
    start = forms.ChoiceField(
        label=_("시작 시각"), error_messages={"required": _("시작 시각을 골라 주세요.")}
    )
    end = forms.ChoiceField(
        label=_("끝나는 시각"), error_messages={"required": _("끝나는 시각을 골라 주세요.")}
    )
    headcount = forms.IntegerField(
        label=_("이용 인원"),
        min_value=1,
        max_value=1000,
        error_messages={
            "required": _("이용 인원을 적어 주세요."),
            "invalid": _("이용 인원을 숫자로 적어 주세요."),
            "min_value": _("이용 인원을 1명 이상으로 적어 주세요."),
            "max_value": _("이용 인원이 너무 많습니다."),
        },
    )
    purpose = forms.CharField(
        label=_("이용 목적"),
        max_length=PURPOSE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("어떤 모임인지 간단히 적어 주세요. 달력에는 보이지 않습니다."),
        error_messages={
            "required": _("이용 목적을 적어 주세요."),
            "max_length": _("이용 목적은 %(limit_value)d자까지 쓸 수 있습니다."),
        },
    )
    group_name = forms.CharField(label=_("단체 이름 (선택)"), max_length=100, required=False)
    contact_phone = forms.CharField(
        label=_("당일 연락처"),
        max_length=20,
        required=False,
        help_text=_("비워 두면 회원정보의 휴대전화로 연락합니다."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    agree = forms.BooleanField(
        label=_("이용 규칙을 지키고, 대관 처리를 위한 개인정보(이름, 연락처) 수집·이용에 동의합니다. (필수)"),
        error_messages={"required": _("개인정보 수집·이용과 이용 규칙에 동의해야 신청할 수 있습니다.")},
    )

    def __init__(self, *args, space, **kwargs):
        super().__init__(*args, **kwargs)
        self.space = space
        self.fields["start"].choices = [("", _("선택")), *_time_choices(space, include_close=False)]
        self.fields["end"].choices = [("", _("선택")), *_time_choices(space, include_close=True)[1:]]

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start"), data.get("end")
        if day and start and end:
            data["starts_at"] = rules.local_dt(day, datetime.time.fromisoformat(start))
            data["ends_at"] = rules.local_dt(day, datetime.time.fromisoformat(end))
        return data


def parse_day(value, default):
    try:
        return datetime.date.fromisoformat(value) if value else default
    except ValueError:
        return default


def today():
    return timezone.localdate()
