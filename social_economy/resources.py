"""Excel/CSV import and export of organizations and products (django-import-export), with Korean headers.

Rows are matched on natural keys so that re-importing the same file changes nothing: an organization on
its business registration number (or, without one, its exact name), a product on its organization and
name. Every row goes through the model's ``full_clean()``, so a file is held to the same rules as the
admin form; a bad value becomes a row error with its line number and a Korean reason.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, widgets

from jeonju_center.common.imports import (
    BusinessRegistrationNumberWidget,
    ChoiceLabelWidget,
    DongWidget,
    KoreanDateWidget,
    PortalResource,
    TextWidget,
    WholeNumberWidget,
    YesNoWidget,
    cell_text,
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


class CertificationsWidget(widgets.ManyToManyWidget):
    """Certification names (or codes) separated by ``;``; an unknown one is an error, not ignored."""

    def __init__(self, **kwargs):
        super().__init__(ProductCertification, separator=";", field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        names = [name.strip() for name in cell_text(value).split(";") if name.strip()]
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


def field(attribute, column_name, widget=None, **kwargs):
    return fields.Field(attribute=attribute, column_name=column_name, widget=widget or TextWidget(), **kwargs)


class OrganizationResource(PortalResource):
    name = field("name", "조직명")
    org_type = field("org_type", "조직 유형", ChoiceLabelWidget(OrganizationType.choices, blank=False))
    business_registration_number = field(
        "business_registration_number", "사업자등록번호", BusinessRegistrationNumberWidget()
    )
    corporate_registration_number = field("corporate_registration_number", "법인등록번호")
    representative_name = field("representative_name", "대표자명")
    sector = field("sector", "업종", ChoiceLabelWidget(Sector.choices, blank=False))
    status = field("status", "운영 상태", ChoiceLabelWidget(OrganizationStatus.choices, blank=False))
    closed_on = field("closed_on", "폐업일", KoreanDateWidget())
    dong = field("dong", "행정동", DongWidget())
    address = field("address", "주소")
    phone = field("phone", "대표 전화")
    email = field("email", "대표 이메일")
    website = field("website", "홈페이지")
    founded_on = field("founded_on", "설립일", KoreanDateWidget())
    employees_count = field("employees_count", "종사자 수", WholeNumberWidget())
    vulnerable_employees_count = field(
        "vulnerable_employees_count", "취약계층 종사자 수", WholeNumberWidget()
    )
    members_count = field("members_count", "조합원 수", WholeNumberWidget())
    certification_number = field("certification_number", "인증·지정 번호")
    certified_on = field("certified_on", "인증·지정일", KoreanDateWidget())
    certification_expires_on = field("certification_expires_on", "인증·지정 만료일", KoreanDateWidget())
    designating_body = field("designating_body", "인증·지정 기관")
    social_purpose_type = field(
        "social_purpose_type", "사회적 목적 실현 유형", ChoiceLabelWidget(SocialPurposeType.choices)
    )
    preliminary_kind = field(
        "preliminary_kind", "예비사회적기업 구분", ChoiceLabelWidget(PreliminaryKind.choices)
    )
    cooperative_filing_number = field("cooperative_filing_number", "설립신고·인가 번호")
    cooperative_filed_on = field("cooperative_filed_on", "설립신고 수리·인가일", KoreanDateWidget())
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
        number = cell_text(row.get("사업자등록번호")).replace("-", "")
        name = cell_text(row.get("조직명"))
        return ("사업자등록번호", number) if number else (("조직명", name) if name else None)

    def get_instance(self, instance_loader, row):
        try:
            number = self.fields["business_registration_number"].clean(row)
        except (KeyError, ValueError):
            return None  # the row is reported invalid when the field is imported
        if number:
            return Organization.objects.filter(business_registration_number=number).first()
        name = cell_text(row.get("조직명"))
        return (
            Organization.objects.filter(business_registration_number="", name=name).first() if name else None
        )

    def get_export_queryset(self, request=None):
        return Organization.objects.select_related("dong").order_by("name", "pk")


def _organization_of(row):
    number = cell_text(row.get("조직 사업자등록번호"))
    name = cell_text(row.get("조직명"))
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


class ProductResource(PortalResource):
    organization_brn = fields.Field(
        attribute="organization__business_registration_number",
        column_name="조직 사업자등록번호",
        readonly=True,
    )
    organization_name = fields.Field(attribute="organization__name", column_name="조직명", readonly=True)
    name = field("name", "품명")
    kind = field("kind", "구분", ChoiceLabelWidget(Product.Kind.choices, blank=False))
    category = field("category", "품목 분류", ChoiceLabelWidget(Product.Category.choices, blank=False))
    price = field("price", "가격(원)", WholeNumberWidget())
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
        organization = cell_text(row.get("조직 사업자등록번호")).replace("-", "") or cell_text(
            row.get("조직명")
        )
        name = cell_text(row.get("품명"))
        return (organization, name) if organization and name else None

    def get_instance(self, instance_loader, row):
        try:
            organization = _organization_of(row)
        except ValidationError:
            return None
        return Product.objects.filter(organization=organization, name=cell_text(row.get("품명"))).first()

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
