"""Back-office forms of the social-economy app (the public lists use the FilterSets of ``filters.py``)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from import_export.forms import ConfirmImportForm, ImportForm

from jeonju_center.partners.models import PartnerCenter

from .models import ConsultingCase, ConsultingRequest, OrganizationMember, Store

ONLY_VALID_ROWS_HELP = _(
    "체크하지 않으면 오류가 한 행이라도 있을 때 아무것도 가져오지 않습니다. 체크하면 오류 행은 빼고 "
    "올바른 행만 가져옵니다 (미리보기에서 빠지는 행과 사유를 확인할 수 있습니다)."
)


class OrganizationImportForm(ImportForm):
    only_valid_rows = forms.BooleanField(
        label=_("올바른 행만 가져오기"), required=False, help_text=ONLY_VALID_ROWS_HELP
    )


class OrganizationConfirmImportForm(ConfirmImportForm):
    only_valid_rows = forms.BooleanField(required=False, widget=forms.HiddenInput)


class StoreListingAddForm(forms.Form):
    """The intermediate page of the 'add to a store' admin action on products."""

    store = forms.ModelChoiceField(label=_("매장"), queryset=Store.objects.filter(is_active=True))
    listed_on = forms.DateField(label=_("입점일"), help_text=_("YYYY-MM-DD"))
    shelf_price = forms.IntegerField(
        label=_("판매가(원)"),
        required=False,
        min_value=0,
        help_text=_("비워 두면 각 상품의 가격을 판매가로 씁니다."),
    )


class JoinRequestForm(forms.Form):
    """Asking to act for an organization: its business registration number and one's role."""

    business_registration_number = forms.CharField(
        label=_("사업자등록번호"),
        max_length=20,
        help_text=_("예: 123-45-67891. 번호가 맞으면 센터가 확인한 뒤 승인합니다."),
        error_messages={"required": _("사업자등록번호를 적어 주세요.")},
    )
    role = forms.ChoiceField(
        label=_("역할"),
        choices=OrganizationMember.Role.choices,
        initial=OrganizationMember.Role.CONTACT,
        widget=forms.RadioSelect,
        error_messages={"required": _("역할을 골라 주세요."), "invalid_choice": _("역할을 골라 주세요.")},
    )


class ConsultingRequestForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("분야"),
        choices=[("", _("골라 주세요")), *ConsultingCase.Topic.choices],
        error_messages={"required": _("분야를 골라 주세요."), "invalid_choice": _("분야를 골라 주세요.")},
    )
    description = forms.CharField(
        label=_("요청 내용"),
        max_length=ConsultingRequest.DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("지금 겪는 어려움과 바라는 도움을 적어 주세요."),
        error_messages={
            "required": _("요청 내용을 적어 주세요."),
            "max_length": _("요청 내용은 %(limit_value)d자까지 쓸 수 있습니다."),
        },
    )
    preferred_partner = forms.ModelChoiceField(
        label=_("희망 협력기관 (선택)"),
        queryset=PartnerCenter.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("센터가 정해 주세요"),
        error_messages={"invalid_choice": _("목록에서 골라 주세요.")},
    )
