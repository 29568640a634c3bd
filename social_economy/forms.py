"""Back-office forms of the social-economy app (the public lists use the FilterSets of ``filters.py``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jeonju_center.common.models import Dong
from jeonju_center.common.validators import validate_phone, validate_plain_text
from jeonju_center.partners.models import PartnerCenter

from .models import (
    ORGANIZATION_MEMBER_FIELDS,
    PRODUCT_MEMBER_FIELDS,
    ConsultingCase,
    ConsultingRequest,
    Organization,
    OrganizationMember,
    Product,
    ProductCertification,
    SalesChannel,
    Store,
    SupportNeed,
)


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


MAX_AMOUNT_WON = 10**13  # 10조 원: well above any organization's revenue, below the column's limit
_AMOUNT_ERRORS = {
    "invalid": _("숫자만 적어 주세요 (쉼표 없이, 원 단위)."),
    "min_value": _("0 이상이어야 합니다."),
    "max_value": _("너무 큰 값입니다. 원 단위로 적었는지 확인해 주세요."),
}


def _amount(label, **kwargs):
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_AMOUNT_WON,
        error_messages=_AMOUNT_ERRORS,
        **kwargs,
    )


class SurveyAnswerForm(forms.Form):
    """An organization's online answer to the full survey: the respondent, the organization's figures, its
    sales channels and needs, and one row per product (reported or not, annual sales, unit price, notes).

    A draft needs nothing; a submission needs the respondent and one product (checked by the service, so
    the rule is the same for every caller)."""

    respondent_name = forms.CharField(
        label=_("응답자 이름"), max_length=50, required=False, validators=[validate_plain_text]
    )
    respondent_phone = forms.CharField(
        label=_("응답자 연락처"),
        max_length=20,
        required=False,
        validators=[validate_phone],
        help_text=_("센터가 응답 내용을 확인할 때만 연락합니다. 예: 063-281-0000, 010-1234-5678"),
    )
    annual_revenue = _amount(_("지난해 매출액(원)"))
    employees_count = forms.IntegerField(
        label=_("종사자 수"), required=False, min_value=0, max_value=100000, error_messages=_AMOUNT_ERRORS
    )
    vulnerable_employees_count = forms.IntegerField(
        label=_("취약계층 종사자 수"),
        required=False,
        min_value=0,
        max_value=100000,
        error_messages=_AMOUNT_ERRORS,
        help_text=_("종사자 수 이하여야 합니다."),
    )
    sales_channels = forms.ModelMultipleChoiceField(
        label=_("판매 경로"),
        queryset=SalesChannel.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("목록에서 골라 주세요."),
            "invalid_pk_value": _("목록에서 골라 주세요."),
        },
    )
    needs = forms.ModelMultipleChoiceField(
        label=_("지원이 필요한 분야"),
        queryset=SupportNeed.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("목록에서 골라 주세요."),
            "invalid_pk_value": _("목록에서 골라 주세요."),
        },
    )

    def __init__(self, *args, product_rows=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.product_rows = []
        for row in product_rows:
            product = row["product"]
            prefix = f"product-{product.pk}"
            self.fields[f"{prefix}-included"] = forms.BooleanField(
                label=_("%(product)s 응답에 포함") % {"product": product.name},
                required=False,
                initial=row["included"],
            )
            self.fields[f"{prefix}-annual_sales"] = _amount(
                _("%(product)s 지난해 매출액(원)") % {"product": product.name}, initial=row["annual_sales"]
            )
            self.fields[f"{prefix}-unit_price"] = _amount(
                _("%(product)s 단가(원)") % {"product": product.name}, initial=row["unit_price"]
            )
            self.fields[f"{prefix}-notes"] = forms.CharField(
                label=_("%(product)s 비고") % {"product": product.name},
                max_length=200,
                required=False,
                initial=row["notes"],
                validators=[validate_plain_text],
            )
            self.product_rows.append(
                {
                    "product": product,
                    "included": self[f"{prefix}-included"],
                    "annual_sales": self[f"{prefix}-annual_sales"],
                    "unit_price": self[f"{prefix}-unit_price"],
                    "notes": self[f"{prefix}-notes"],
                }
            )

    def clean(self):
        cleaned = super().clean()
        employees, vulnerable = cleaned.get("employees_count"), cleaned.get("vulnerable_employees_count")
        if vulnerable is not None and (employees is None or vulnerable > employees):
            self.add_error("vulnerable_employees_count", _("취약계층 종사자 수는 종사자 수 이하여야 합니다."))
        return cleaned

    def answers(self):
        data = self.cleaned_data
        return {
            "respondent_name": data["respondent_name"],
            "respondent_phone": data["respondent_phone"],
            "annual_revenue": data["annual_revenue"],
            "employees_count": data["employees_count"],
            "vulnerable_employees_count": data["vulnerable_employees_count"],
            "sales_channels": [channel.pk for channel in data["sales_channels"]],
            "needs": [need.pk for need in data["needs"]],
        }

    def reported_products(self):
        data = self.cleaned_data
        return [
            {
                "product_id": row["product"].pk,
                "annual_sales": data[f"product-{row['product'].pk}-annual_sales"],
                "unit_price": data[f"product-{row['product'].pk}-unit_price"],
                "notes": data[f"product-{row['product'].pk}-notes"],
            }
            for row in self.product_rows
            if data[f"product-{row['product'].pk}-included"]
        ]


class SurveyReviewForm(forms.Form):
    """Staff's decision on a submitted online answer."""

    decision = forms.ChoiceField(
        label=_("결정"),
        choices=[("verify", _("검증 완료")), ("return", _("보완 요청 (조직에 돌려보내기)"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("결정을 골라 주세요."), "invalid_choice": _("결정을 골라 주세요.")},
    )
    comment = forms.CharField(
        label=_("보완 요청 사유"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("보완 요청이면 필수입니다. 조직에 그대로 전달됩니다."),
    )


# --- Self-service profile ---------------------------------------------------------------------------------


class OrganizationProfileForm(forms.ModelForm):
    """The fields an organization's members keep themselves; saved by ``profiles.organization_profile_update``
    (never by ``save()``), so the instance given is only the starting values."""

    class Meta:
        model = Organization
        fields = list(ORGANIZATION_MEMBER_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dong"].queryset = Dong.objects.order_by("district", "name")
        for name in ("employees_count", "vulnerable_employees_count"):
            self.fields[name].min_value = 0
            self.fields[name].error_messages["min_value"] = _("0명 이상으로 적어 주세요.")
        _korean_length_messages(self)

    def _post_clean(self):
        # The service validates against the stored row under its lock (and reports a problem of a field
        # members cannot see on the whole form); the form's copy of the instance is never saved.
        pass

    def changes(self):
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.fields}


class ProductForm(forms.ModelForm):
    """A product as its organization's members keep it; saved by the ``profiles`` product services."""

    class Meta:
        model = Product
        fields = list(PRODUCT_MEMBER_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "certifications": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "image": _("JPG, PNG, WEBP, GIF. 사진의 위치 정보(GPS) 등 촬영 정보는 지우고 저장합니다.")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["certifications"].queryset = ProductCertification.objects.filter(is_active=True)
        self.fields["certifications"].error_messages["invalid_choice"] = _(
            "목록에 있는 인증만 고를 수 있습니다."
        )
        self.fields["price"].min_value = 0
        self.fields["price"].error_messages["min_value"] = _("가격은 0원 이상이어야 합니다.")
        self.fields["image"].error_messages["invalid_image"] = _(
            "사진 파일을 읽을 수 없습니다. JPG, PNG, WEBP, GIF 사진을 올려 주세요."
        )
        _korean_length_messages(self)

    def _post_clean(self):
        # The service validates against the stored row (and the name's uniqueness per organization); the
        # form's copy of the instance is never saved.
        pass

    def changes(self):
        return {name: self.cleaned_data[name] for name in self.changed_data if name in self.fields}


def _korean_length_messages(form):
    for field in form.fields.values():
        if getattr(field, "max_length", None):
            field.error_messages["max_length"] = _("%(limit_value)d자까지 쓸 수 있습니다.")


class ProfileChangeRejectForm(forms.Form):
    """The intermediate page of the review queue's 반려 action."""

    comment = forms.CharField(
        label=_("반려 사유"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("요청한 조직 회원에게 이메일로 그대로 보냅니다."),
        error_messages={"required": _("반려 사유를 적어 주세요. 요청한 분에게 그대로 보냅니다.")},
    )
