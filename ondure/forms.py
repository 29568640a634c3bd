"""Back-office forms. They collect input; the rules are checked by ``services``, which the admins call on
save (``ServiceAdminMixin``: a refusal is shown on the form and nothing is saved)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from social_economy.models import Organization, OrganizationType

from .models import (
    CommunityStageRecord,
    CommunityStatus,
    ExpenseCategory,
    SupportRecord,
)

Decision = CommunityStageRecord.Decision


class SupportRecordAdminForm(forms.ModelForm):
    class Meta:
        model = SupportRecord
        fields = [
            "community",
            "program",
            "kind",
            "supported_on",
            "amount",
            "settlement_status",
            "settled_on",
            "returned_amount",
            "evidence",
            "notes",
        ]


class StageReviewForm(forms.Form):
    """The year-end review of the selected communities."""

    year = forms.IntegerField(label=_("심사 연도"), min_value=2014)
    decision = forms.ChoiceField(
        label=_("심사 결과"),
        choices=[(d.value, d.label) for d in (Decision.PROMOTE, Decision.KEEP, Decision.END)],
        widget=forms.RadioSelect,
    )
    end_status = forms.ChoiceField(
        label=_("종료 후 상태"),
        choices=[(s.value, s.label) for s in (CommunityStatus.DORMANT, CommunityStatus.DISSOLVED)],
        initial=CommunityStatus.DORMANT,
        help_text=_("'종료'를 고른 경우에만 쓰입니다."),
    )
    decided_on = forms.DateField(label=_("결정일"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("사유"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year
        self.fields["decided_on"].initial = today


class GraduationForm(forms.Form):
    graduated_on = forms.DateField(label=_("졸업일"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("사유"), widget=forms.Textarea(attrs={"rows": 3}))
    organization = forms.ModelChoiceField(
        label=_("기존 사회적경제조직 연결"),
        queryset=Organization.objects.filter(ondure_communities__isnull=True).order_by("name"),
        required=False,
        help_text=_("이미 등록된 조직이면 고르세요. 아니면 아래에 새 조직명을 입력합니다."),
    )
    new_organization_name = forms.CharField(label=_("새로 등록할 조직명"), max_length=100, required=False)
    new_organization_type = forms.ChoiceField(
        label=_("새 조직 유형"), choices=OrganizationType.choices, initial=OrganizationType.COOPERATIVE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["graduated_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("organization")) == bool((cleaned.get("new_organization_name") or "").strip()):
            raise forms.ValidationError(
                _("연결할 사회적경제조직을 고르거나, 새로 등록할 조직명을 입력해 주세요(둘 중 하나만).")
            )
        return cleaned


class OndureEducationCourseAdminForm(forms.ModelForm):
    class Meta:
        from .models import OndureEducationCourse

        model = OndureEducationCourse
        fields = ["course", "program"]


class ExpenseLineForm(forms.Form):
    """One expense of a grant settlement, as the community's leader enters it."""

    spent_on = forms.DateField(
        label=_("집행일"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("집행일을 적어 주세요."),
            "invalid": _("날짜를 2027-03-15처럼 적어 주세요."),
        },
    )
    vendor = forms.CharField(
        label=_("거래처"), max_length=100, error_messages={"required": _("거래처를 적어 주세요.")}
    )
    purpose = forms.CharField(
        label=_("용도"), max_length=200, error_messages={"required": _("용도를 적어 주세요.")}
    )
    category = forms.ChoiceField(
        label=_("비목"),
        choices=[("", _("골라 주세요")), *ExpenseCategory.choices],
        error_messages={"required": _("비목을 골라 주세요.")},
    )
    amount = forms.IntegerField(
        label=_("금액(원)"),
        min_value=1,
        max_value=10_000_000_000,
        error_messages={
            "required": _("금액을 적어 주세요."),
            "invalid": _("금액을 숫자로 적어 주세요."),
            "min_value": _("금액은 0원보다 커야 합니다."),
            "max_value": _("금액이 너무 큽니다."),
        },
    )
    receipt = forms.FileField(
        label=_("영수증"),
        required=False,
        help_text=_("카드 전표, 세금계산서, 영수증을 PDF나 사진(JPG/PNG)으로 올립니다."),
    )
