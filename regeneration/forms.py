"""Back-office forms. They collect input; the rules are checked by ``services``.

The transition and tenancy forms call their service while the form is validated: the admin validates and
saves inside one transaction, and these two admins have no inlines, so a refused service call becomes a
form error (Korean message, nothing saved) instead of a server error, and the row lock taken by the
service is held until the admin's transaction ends.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import services
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

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def _post_clean(self):
        # The model instance is built by the service, not from the form's fields.
        if self.errors:
            return
        try:
            self.instance = services.house_transition(
                house=self.cleaned_data["house"],
                to_status=self.cleaned_data["to_status"],
                program=self.cleaned_data.get("program"),
                note=self.cleaned_data.get("note", ""),
                by=self.user,
                # The admin adds a "변경 사유" field (ChangeReasonAdminMixin); the history keeps it.
                reason=self.cleaned_data.get("history_change_reason", ""),
            )
        except ValidationError as error:
            self._update_errors(error)


class TenancyAdminForm(forms.ModelForm):
    class Meta:
        model = Tenancy
        fields = "__all__"  # noqa: DJ007 - the admin chooses what is shown

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        # The service saves the row, so the history's "변경 사유" has to travel on the instance.
        self.instance._change_reason = self.cleaned_data.get("history_change_reason") or None
        try:
            services.tenancy_save(tenancy=self.instance)
        except ValidationError as error:
            self._update_errors(error)
