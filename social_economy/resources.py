"""Excel/CSV import and export of organizations and products (django-import-export), with Korean headers.

Rows are matched on natural keys so that re-importing the same file changes nothing: an organization on
its business registration number (or, without one, its exact name), a product on its organization and
name. Every row goes through the model's ``full_clean()``, so a file is held to the same rules as the
admin form; a bad value becomes a row error with its line number and a Korean reason.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from jeonju_center.common.models import Dong
from jeonju_center.common.spreadsheets import (
    DuplicateRowsRefusedMixin,
    ExcelRowsMixin,
    FormulaCellsRefusedMixin,
)
from jeonju_center.common.validators import normalize_business_registration_number

from .models import (
    Organization,
    OrganizationStatus,
    OrganizationType,
    PreliminaryKind,
    Product,
    ProductCertification,
    Sector,
    SocialPurposeType,
)


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class TextWidget(widgets.CharWidget):
    """Strips spaces; an empty cell is an empty string (the models use "" for "not given")."""

    def clean(self, value, row=None, **kwargs):
        return _text(value)


class ChoiceWidget(widgets.Widget):
    """A choice written as its Korean label (as exported) or its code."""

    def __init__(self, choices, blank=False, **kwargs):
        self.choices = [(str(code), str(label)) for code, label in choices]
        self.blank = blank
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        value = _text(value)
        if not value:
            if self.blank:
                return ""
            raise ValueError(_("값을 입력해야 합니다."))
        for code, label in self.choices:
            if value in (code, label):
                return code
        raise ValueError(
            _("‘%(value)s’은(는) 올바른 값이 아닙니다. 다음 중 하나를 쓰세요: %(labels)s")
            % {"value": value, "labels": ", ".join(label for _code, label in self.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(value, value or "")


class YesNoWidget(widgets.Widget):
    TRUE = {"예", "y", "yes", "true", "1", "o"}
    FALSE = {"아니요", "아니오", "n", "no", "false", "0", "x", ""}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = _text(value).lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("‘예’ 또는 ‘아니요’로 쓰세요."))

    def render(self, value, obj=None, **kwargs):
        return _("예") if value else _("아니요")


class AmountWidget(widgets.Widget):
    """A whole number of won or people; "45,000원" and Excel's 45000.0 are read as 45000."""

    def clean(self, value, row=None, **kwargs):
        text = _text(value).replace(",", "").replace("원", "").replace("명", "").strip()
        if not text:
            return None
        try:
            number = int(float(text)) if "." in text else int(text)
        except ValueError:
            raise ValueError(_("숫자로 써야 합니다: ‘%(value)s’") % {"value": _text(value)}) from None
        if number < 0:
            raise ValueError(_("0 이상이어야 합니다."))
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class DateWidget(widgets.DateWidget):
    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if not _text(value) and not hasattr(value, "year"):
            return None
        try:
            return super().clean(value, row, **kwargs)
        except ValueError:
            raise ValueError(
                _("날짜는 YYYY-MM-DD 형식으로 써야 합니다: ‘%(value)s’") % {"value": value}
            ) from None


class BusinessRegistrationNumberWidget(widgets.Widget):
    """Normalised to XXX-XX-XXXXX on the way in, so an unchanged row compares equal."""

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return ""
        try:
            return normalize_business_registration_number(text)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from None


class DongWidget(widgets.ForeignKeyWidget):
    def __init__(self, **kwargs):
        super().__init__(Dong, field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        name = _text(value)
        if not name:
            return None
        dong = Dong.objects.filter(name=name).first()
        if dong is None:
            raise ValueError(_("‘%(value)s’은(는) 등록된 행정동이 아닙니다.") % {"value": name})
        return dong


class CertificationsWidget(widgets.ManyToManyWidget):
    """Certification names (or codes) separated by ``;``; an unknown one is an error, not ignored."""

    def __init__(self, **kwargs):
        super().__init__(ProductCertification, separator=";", field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        names = [name.strip() for name in _text(value).split(";") if name.strip()]
        if not names:
            return ProductCertification.objects.none()
        found = {c.name: c for c in ProductCertification.objects.filter(name__in=names)}
        found.update({c.code: c for c in ProductCertification.objects.filter(code__in=names)})
        unknown = [name for name in names if name not in found]
        if unknown:
            raise ValueError(_("등록되지 않은 인증입니다: %(names)s") % {"names": ", ".join(unknown)})
        return ProductCertification.objects.filter(pk__in=[found[name].pk for name in names])

    def render(self, value, obj=None, **kwargs):
        return ";".join(sorted(c.name for c in value.all())) if value is not None else ""


class OnlyValidRowsMixin:
    """With ``only_valid_rows`` (a checkbox of the import form) invalid rows are left out instead of
    blocking the import: they are listed in ``result.left_out_rows`` with their line and reason, and
    nothing of them is written (a row is validated before it is saved)."""

    def __init__(self, *args, only_valid_rows=False, **kwargs):
        self.only_valid_rows = only_valid_rows
        super().__init__(*args, **kwargs)

    def import_data(self, *args, **kwargs):
        result = super().import_data(*args, **kwargs)
        result.left_out_rows = []
        if self.only_valid_rows and result.invalid_rows and not result.has_errors():
            result.left_out_rows, result.invalid_rows = result.invalid_rows, []
        return result


def field(attribute, column_name, widget=None, **kwargs):
    return fields.Field(attribute=attribute, column_name=column_name, widget=widget or TextWidget(), **kwargs)


class OrganizationResource(
    FormulaCellsRefusedMixin,
    DuplicateRowsRefusedMixin,
    OnlyValidRowsMixin,
    ExcelRowsMixin,
    resources.ModelResource,
):
    name = field("name", "조직명")
    org_type = field("org_type", "조직 유형", ChoiceWidget(OrganizationType.choices))
    business_registration_number = field(
        "business_registration_number", "사업자등록번호", BusinessRegistrationNumberWidget()
    )
    corporate_registration_number = field("corporate_registration_number", "법인등록번호")
    representative_name = field("representative_name", "대표자명")
    sector = field("sector", "업종", ChoiceWidget(Sector.choices))
    status = field("status", "운영 상태", ChoiceWidget(OrganizationStatus.choices))
    closed_on = field("closed_on", "폐업일", DateWidget())
    dong = field("dong", "행정동", DongWidget())
    address = field("address", "주소")
    phone = field("phone", "대표 전화")
    email = field("email", "대표 이메일")
    website = field("website", "홈페이지")
    founded_on = field("founded_on", "설립일", DateWidget())
    employees_count = field("employees_count", "종사자 수", AmountWidget())
    vulnerable_employees_count = field("vulnerable_employees_count", "취약계층 종사자 수", AmountWidget())
    members_count = field("members_count", "조합원 수", AmountWidget())
    certification_number = field("certification_number", "인증·지정 번호")
    certified_on = field("certified_on", "인증·지정일", DateWidget())
    certification_expires_on = field("certification_expires_on", "인증·지정 만료일", DateWidget())
    designating_body = field("designating_body", "인증·지정 기관")
    social_purpose_type = field(
        "social_purpose_type", "사회적 목적 실현 유형", ChoiceWidget(SocialPurposeType.choices, blank=True)
    )
    preliminary_kind = field(
        "preliminary_kind", "예비사회적기업 구분", ChoiceWidget(PreliminaryKind.choices, blank=True)
    )
    cooperative_filing_number = field("cooperative_filing_number", "설립신고·인가 번호")
    cooperative_filed_on = field("cooperative_filed_on", "설립신고 수리·인가일", DateWidget())
    cooperative_authority = field("cooperative_authority", "신고 수리·인가 기관")
    description = field("description", "소개")

    class Meta:
        model = Organization
        name = "사회적경제조직"
        fields = [
            "name",
            "org_type",
            "business_registration_number",
            "corporate_registration_number",
            "representative_name",
            "sector",
            "status",
            "closed_on",
            "dong",
            "address",
            "phone",
            "email",
            "website",
            "founded_on",
            "employees_count",
            "vulnerable_employees_count",
            "members_count",
            "certification_number",
            "certified_on",
            "certification_expires_on",
            "designating_body",
            "social_purpose_type",
            "preliminary_kind",
            "cooperative_filing_number",
            "cooperative_filed_on",
            "cooperative_authority",
            "description",
        ]
        import_id_fields = []
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def row_key(self, row):
        number = _text(row.get("사업자등록번호")).replace("-", "")
        name = _text(row.get("조직명"))
        return ("사업자등록번호", number) if number else (("조직명", name) if name else None)

    def get_instance(self, instance_loader, row):
        try:
            number = self.fields["business_registration_number"].clean(row)
        except (KeyError, ValueError):
            return None  # the row is reported invalid when the field is imported
        if number:
            return Organization.objects.filter(business_registration_number=number).first()
        name = _text(row.get("조직명"))
        return (
            Organization.objects.filter(business_registration_number="", name=name).first() if name else None
        )

    def get_export_queryset(self, request=None):
        return Organization.objects.select_related("dong").order_by("name", "pk")


def _organization_of(row):
    number = _text(row.get("조직 사업자등록번호"))
    name = _text(row.get("조직명"))
    if number:
        try:
            number = normalize_business_registration_number(number)
        except ValidationError as error:
            raise ValidationError({"organization": error.messages[0]}) from None
        organization = Organization.objects.filter(business_registration_number=number).first()
    elif name:
        matches = list(Organization.objects.filter(name=name)[:2])
        if len(matches) > 1:
            raise ValidationError(
                {"organization": _("같은 이름의 조직이 여럿입니다. 조직 사업자등록번호를 써 주세요: %(name)s")
                 % {"name": name}}
            )  # fmt: skip
        organization = matches[0] if matches else None
    else:
        raise ValidationError({"organization": _("조직 사업자등록번호 또는 조직명을 써야 합니다.")})
    if organization is None:
        raise ValidationError(
            {"organization": _("등록되지 않은 조직입니다: %(value)s") % {"value": number or name}}
        )
    return organization


class ProductResource(
    FormulaCellsRefusedMixin,
    DuplicateRowsRefusedMixin,
    OnlyValidRowsMixin,
    ExcelRowsMixin,
    resources.ModelResource,
):
    organization_brn = fields.Field(
        attribute="organization__business_registration_number",
        column_name="조직 사업자등록번호",
        readonly=True,
    )
    organization_name = fields.Field(attribute="organization__name", column_name="조직명", readonly=True)
    name = field("name", "품명")
    kind = field("kind", "구분", ChoiceWidget(Product.Kind.choices))
    category = field("category", "품목 분류", ChoiceWidget(Product.Category.choices))
    price = field("price", "가격(원)", AmountWidget())
    unit = field("unit", "단위")
    is_public_procurement = field("is_public_procurement", "공공구매 등록", YesNoWidget())
    certifications = fields.Field(
        attribute="certifications", column_name="인증", widget=CertificationsWidget()
    )
    is_active = field("is_active", "판매 중", YesNoWidget())
    description = field("description", "설명")

    class Meta:
        model = Product
        name = "생산품·서비스"
        fields = [
            "organization_brn",
            "organization_name",
            "name",
            "kind",
            "category",
            "price",
            "unit",
            "is_public_procurement",
            "certifications",
            "is_active",
            "description",
        ]
        import_id_fields = []
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def row_key(self, row):
        organization = _text(row.get("조직 사업자등록번호")).replace("-", "") or _text(row.get("조직명"))
        name = _text(row.get("품명"))
        return (organization, name) if organization and name else None

    def get_instance(self, instance_loader, row):
        try:
            organization = _organization_of(row)
        except ValidationError:
            return None
        return Product.objects.filter(organization=organization, name=_text(row.get("품명"))).first()

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            instance.organization = _organization_of(row)
        except ValidationError as error:
            errors.update(error.message_dict)
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors.update(error.message_dict)
        # Many-to-many values are saved after validation; checked here so that an unknown certification
        # is a row error like any other, not a failure of the whole file.
        if "인증" in row:
            try:
                self.fields["certifications"].clean(row)
            except ValueError as error:
                errors["certifications"] = [str(error)]
        if errors:
            raise ValidationError(errors)

    def get_export_queryset(self, request=None):
        return (
            Product.objects.select_related("organization")
            .prefetch_related("certifications")
            .order_by("organization__name", "name", "pk")
        )
