"""Back-office forms. They collect input; the rules are checked by ``services``, which the admins call on
save (``ServiceAdminMixin``: a refusal is shown on the form and nothing is saved)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import HouseStatus, HouseStatusChange, HousingProgram, Tenancy, VacantHouse


class HouseTransitionForm(forms.ModelForm):
    """Adding a status change = moving the house along its life cycle (``services.house_transition``)."""

    house = forms.ModelChoiceField(label=_("빈집"), queryset=VacantHouse.objects.all())
    to_status = forms.ChoiceField(label=_("변경 상태"), choices=HouseStatus.choices)
    program = forms.ModelChoiceField(
        label=_("활용 사업"),
        queryset=HousingProgram.objects.all(),
        required=False,
        help_text=_("'활용 중'으로 바꿀 때 필수, '정비·리모델링 중'은 선택입니다."),
    )

    class Meta:
        model = HouseStatusChange
        fields = ["house", "to_status", "program", "note"]


class TenancyAdminForm(forms.ModelForm):
    class Meta:
        model = Tenancy
        fields = "__all__"  # noqa: DJ007 - the admin chooses what is shown
