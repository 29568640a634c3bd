from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.models import Dong
from jeonju_center.common.validators import normalize_phone
from ondure.models import ActivityField, CommunityKind

from .models import DOCUMENT_EXTENSIONS, Application, IncomeBracket, Residence

ACCEPT = ",".join(f".{extension}" for extension in DOCUMENT_EXTENSIONS)


class ApplicationForm(forms.ModelForm):
    """The application form made from the call: only the questions its rules need, one file field per
    required document, and the consent to the call's own privacy terms."""

    class Meta:
        model = Application
        fields = [
            "applicant_name",
            "birth_date",
            "phone",
            "email",
            "dong",
            "lives_in_jeonju",
            "declares_no_home",
            "income_bracket",
            "first_choice",
            "second_choice",
            "group_name",
            "group_kind",
            "group_dong",
            "activity_field",
            "requested_budget",
            "motivation",
        ]
        widgets = {
            "birth_date": forms.DateInput(attrs={"type": "date"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "motivation": forms.Textarea(attrs={"rows": 6, "maxlength": 4000}),
        }

    consent = forms.BooleanField(
        label=_("위 개인정보 수집·이용에 동의합니다. (제출할 때 필수)"), required=False
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["applicant_name"].required = False
        self.fields["applicant_name"].label = _("신청인 이름")
        dongs = Dong.objects.filter(is_active=True)
        self.fields["dong"].queryset = dongs
        self.fields["group_dong"].queryset = dongs
        if call.min_age is None and call.max_age is None:
            del self.fields["birth_date"]
        if call.residence != Residence.JEONJU:
            del self.fields["lives_in_jeonju"]
        else:
            self.fields["lives_in_jeonju"].label = _("전주시에 주민등록이 되어 있습니다.")
        if not call.requires_no_home:
            del self.fields["declares_no_home"]
        else:
            self.fields["declares_no_home"].label = _("세대 구성원 모두 집을 소유하고 있지 않습니다(무주택).")
        if call.max_income_bracket is None:
            del self.fields["income_bracket"]
        else:
            self.fields["income_bracket"].choices = [("", _("선택하세요")), *list(IncomeBracket.choices)]
            self.fields["income_bracket"].help_text = _("도시근로자 가구당 월평균소득 대비")
        rooms = call.rooms.select_related("house")
        if call.is_housing and rooms.exists():
            for name in ("first_choice", "second_choice"):
                self.fields[name].queryset = rooms
            self.fields["second_choice"].required = False
        else:
            del self.fields["first_choice"], self.fields["second_choice"]
        if call.is_group_call:
            self.fields["group_kind"] = forms.ChoiceField(
                label=_("공동체 유형"),
                choices=[("", _("선택하세요")), *list(CommunityKind.choices)],
                required=False,
            )
            self.fields["activity_field"] = forms.ChoiceField(
                label=_("활동 분야"),
                choices=[("", _("선택하세요")), *list(ActivityField.choices)],
                required=False,
            )
            self.fields["motivation"].label = _("활동 계획")
        else:
            for name in ("group_name", "group_kind", "group_dong", "activity_field", "requested_budget"):
                del self.fields[name]
            self.fields["motivation"].label = _("신청 동기")
        answers = (self.instance.answers or {}) if self.instance is not None else {}
        for question in call.questions.all():
            self.fields[f"question_{question.pk}"] = forms.CharField(
                label=f"{question.text} ({_('필수') if question.is_required else _('선택')})",
                required=False,
                max_length=2000,
                help_text=question.help_text,
                initial=answers.get(str(question.pk), ""),
                widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
            )
        for requirement in call.documents.all():
            label = f"{requirement.name} ({_('필수') if requirement.is_required else _('선택')})"
            self.fields[f"document_{requirement.pk}"] = forms.FileField(
                label=label,
                required=False,
                help_text=_("PDF, HWP, HWPX, JPG, PNG · %(mb)dMB 이하. %(description)s")
                % {"mb": requirement.max_mb, "description": requirement.description},
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
            )

    def clean_phone(self):
        phone = (self.cleaned_data.get("phone") or "").strip()
        if not phone:
            return ""
        try:
            return normalize_phone(phone)
        except ValidationError as error:
            raise forms.ValidationError(error.messages) from None

    def applicant_data(self):
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name in self.Meta.fields and name in self.fields
        }

    def documents(self):
        return {
            int(name.removeprefix("document_")): upload
            for name, upload in self.cleaned_data.items()
            if name.startswith("document_") and upload
        }

    def answers(self):
        return {
            name.removeprefix("question_"): value.strip()
            for name, value in self.cleaned_data.items()
            if name.startswith("question_")
        }


class MemberForm(forms.Form):
    name = forms.CharField(label=_("구성원 이름"), max_length=50, required=False)
    dong = forms.ModelChoiceField(
        label=_("거주 행정동"), queryset=Dong.objects.filter(is_active=True), required=False
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("name", "").strip()) != bool(cleaned.get("dong")):
            raise forms.ValidationError(_("구성원마다 이름과 행정동을 함께 입력해 주세요."))
        return cleaned


# Three empty rows below the members already entered; saving and reopening adds three more.
MemberFormSet = forms.formset_factory(MemberForm, extra=3, max_num=200, absolute_max=200)


def member_rows(formset):
    return [
        (form.cleaned_data["name"], form.cleaned_data["dong"])
        for form in formset.forms
        if form.cleaned_data.get("name", "").strip()
    ]


class RevisionForm(forms.Form):
    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        for requirement in application.call.documents.all():
            self.fields[f"document_{requirement.pk}"] = forms.FileField(
                label=requirement.name,
                required=False,
                help_text=_("PDF, HWP, HWPX, JPG, PNG · %(mb)dMB 이하") % {"mb": requirement.max_mb},
                widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
            )

    def documents(self):
        return {
            int(name.removeprefix("document_")): upload
            for name, upload in self.cleaned_data.items()
            if upload
        }


class DecideForm(forms.Form):
    """Staff fix the seed as the call announced (witnesses' numbers) and decide the results."""

    seed = forms.CharField(label=_("추첨 시드"), max_length=200, required=False)
    witnessed_by = forms.CharField(label=_("참관인"), max_length=300, required=False)
    confirm = forms.BooleanField(label=_("결과는 다시 정할 수 없음을 확인했습니다."))


class RevisionRequestForm(forms.Form):
    message = forms.CharField(
        label=_("보완 요청 내용"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )
    due_at = forms.DateTimeField(
        label=_("보완 기한"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
