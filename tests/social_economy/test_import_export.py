"""Excel/CSV import and export of organizations and products in the back office."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from social_economy.models import Organization, OrganizationType, Product

from .factories import (
    DongFactory,
    OrganizationFactory,
    ProductCertificationFactory,
    ProductFactory,
    valid_brn,
)

pytestmark = pytest.mark.django_db

CSV_FORMAT = "1"  # formats = [XLSX, CSV]
ORG_HEADERS = [
    "조직명",
    "조직 유형",
    "사업자등록번호",
    "업종",
    "운영 상태",
    "행정동",
    "대표 전화",
    "조합원 수",
]


def _csv(headers, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8-sig")


def _org_row(name, brn, **overrides):
    row = {
        "조직명": name,
        "조직 유형": "일반협동조합",
        "사업자등록번호": brn,
        "업종": "제조",
        "운영 상태": "운영 중",
        "행정동": "풍남동",
        "대표 전화": "063-281-1234",
        "조합원 수": "7",
    }
    row.update(overrides)
    return [row[header] for header in ORG_HEADERS]


def _preview(client, model, content, valid_rows_only=False):
    data = {
        "format": CSV_FORMAT,
        "import_file": SimpleUploadedFile("rows.csv", content, content_type="text/csv"),
    }
    if valid_rows_only:
        data["valid_rows_only"] = "on"
    return client.post(reverse(f"admin:social_economy_{model}_import"), data)


def _confirm(client, model, preview):
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data["valid_rows_only"] = "on" if form.initial.get("valid_rows_only") else ""
    return client.post(reverse(f"admin:social_economy_{model}_process_import"), data)


@pytest.fixture
def dong():
    return DongFactory(name="풍남동")


def test_preview_shows_what_will_be_created_and_updated_and_writes_nothing(admin_client, dong):
    existing = OrganizationFactory(name="기존 협동조합", members_count=5)
    content = _csv(
        ORG_HEADERS,
        [
            _org_row("새 협동조합", valid_brn(900)),
            _org_row("기존 협동조합", existing.business_registration_number.replace("-", "")),
        ],
    )
    response = _preview(admin_client, "organization", content)
    assert response.status_code == 200
    result = response.context["result"]
    assert [row.import_type for row in result.valid_rows()] == ["new", "update"]
    assert response.context["confirm_form"] is not None
    assert Organization.objects.count() == 1
    existing.refresh_from_db()
    assert existing.members_count == 5


def test_confirmed_import_writes_the_rows_and_reimport_changes_nothing(admin_client, dong):
    content = _csv(ORG_HEADERS, [_org_row("새 협동조합", valid_brn(901).replace("-", ""))])
    _confirm(admin_client, "organization", _preview(admin_client, "organization", content))
    organization = Organization.objects.get(name="새 협동조합")
    assert organization.business_registration_number == valid_brn(901)  # stored as XXX-XX-XXXXX
    assert organization.org_type == OrganizationType.COOPERATIVE
    assert organization.members_count == 7
    updated_at = organization.updated_at

    again = _preview(admin_client, "organization", content)
    assert [row.import_type for row in again.context["result"].valid_rows()] == ["skip"]
    _confirm(admin_client, "organization", again)
    organization.refresh_from_db()
    assert organization.updated_at == updated_at
    assert Organization.objects.count() == 1


def test_row_errors_show_their_line_and_reason_and_nothing_is_written(admin_client, dong):
    content = _csv(
        ORG_HEADERS,
        [
            _org_row("좋은 협동조합", valid_brn(902)),
            _org_row("번호 틀린 조합", "123-45-67890"),
            _org_row("조합원 부족", valid_brn(903), **{"조합원 수": "3"}),
            _org_row("유형 틀린 곳", valid_brn(904), **{"조직 유형": "주식회사"}),
        ],
    )
    response = _preview(admin_client, "organization", content)
    result = response.context["result"]
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    errors = {row.number: " ".join(row.error.messages) for row in result.invalid_rows}
    assert set(errors) == {3, 4, 5}  # as Excel numbers the rows: the header is row 1
    assert "사업자등록번호가 올바르지 않습니다" in errors[3]
    assert "일반협동조합의 조합원은 5인 이상이어야 합니다." in errors[4]
    assert "‘주식회사’은(는) 올바른 값이 아닙니다" in errors[5]
    # The table names the file's column, not the model field, and shows empty cells empty.
    html = response.content.decode()
    assert "조합원 수" in html and "members_count" not in html and "None" not in html
    assert Organization.objects.count() == 0


def test_staff_can_choose_to_import_only_the_valid_rows(admin_client, dong):
    content = _csv(
        ORG_HEADERS,
        [_org_row("좋은 협동조합", valid_brn(905)), _org_row("번호 틀린 조합", "123-45-67890")],
    )
    preview = _preview(admin_client, "organization", content, valid_rows_only=True)
    result = preview.context["result"]
    assert [row["number"] for row in result.rejected_rows] == [3]
    assert "사업자등록번호" in result.rejected_rows[0]["messages"][0]
    assert "건너뛴 오류 행" in preview.content.decode()
    assert Organization.objects.count() == 0  # the preview writes nothing
    _confirm(admin_client, "organization", preview)
    assert list(Organization.objects.values_list("name", flat=True)) == ["좋은 협동조합"]


def test_product_import_matches_organization_and_name_and_checks_certifications(admin_client):
    organization = OrganizationFactory(name="전주 한지 협동조합")
    ProductCertificationFactory(code="haccp", name="HACCP")
    headers = [
        "조직 사업자등록번호",
        "조직명",
        "품명",
        "구분",
        "품목 분류",
        "가격(원)",
        "공공구매 등록",
        "인증",
        "판매 중",
    ]
    rows = [
        [organization.business_registration_number, "", "한지 조명", "제품", "공예·디자인", "45,000", "예", "HACCP", "예"],
        ["", "전주 한지 협동조합", "한지 부채", "제품", "공예·디자인", "12000", "아니요", "", "예"],
        ["", "없는 조직", "무엇", "제품", "기타", "1", "아니요", "", "예"],
        [organization.business_registration_number, "", "한지 카드", "제품", "공예·디자인", "3000", "예", "없는인증", "예"],
    ]  # fmt: skip
    preview = _preview(admin_client, "product", _csv(headers, rows))
    errors = {row.number: " ".join(row.error.messages) for row in preview.context["result"].invalid_rows}
    assert "등록되지 않은 조직입니다: 없는 조직" in errors[4]
    assert "등록되지 않은 인증입니다: 없는인증" in errors[5]
    assert Product.objects.count() == 0

    valid = _csv(headers, rows[:2])
    _confirm(admin_client, "product", _preview(admin_client, "product", valid))
    lamp = Product.objects.get(name="한지 조명")
    assert lamp.organization == organization
    assert lamp.price == 45000 and lamp.is_public_procurement
    assert list(lamp.certifications.values_list("code", flat=True)) == ["haccp"]
    again = _preview(admin_client, "product", valid)
    assert [row.import_type for row in again.context["result"].valid_rows()] == ["skip", "skip"]


def test_import_template_has_the_korean_headers(admin_client):
    response = admin_client.get(reverse("admin:social_economy_organization_import_template"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["조직명", "조직 유형", "사업자등록번호"]
    assert "인증·지정 만료일" in headers


def test_export_follows_the_changelist_filters(admin_client):
    OrganizationFactory(name="협동조합 하나")
    ProductFactory(
        organization=OrganizationFactory(
            name="다른 조직",
            org_type=OrganizationType.OTHER,
            members_count=None,
            cooperative_filing_number="",
            cooperative_filed_on=None,
            cooperative_authority="",
        )
    )
    response = admin_client.post(
        reverse("admin:social_economy_organization_export") + "?org_type__exact=cooperative",
        {
            "format": CSV_FORMAT,
            "resource": "0",
            **{f"organizationresource_{f}": "on" for f in ("name", "org_type")},
        },
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["조직명", "조직 유형"]
    assert [row[0] for row in rows[1:]] == ["협동조합 하나"]
    assert rows[1][1] == "일반협동조합"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp949"])
def test_csv_saved_by_korean_excel_or_as_utf8_is_read(admin_client, dong, encoding):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([ORG_HEADERS, _org_row("한지마을 협동조합", "1234567891")])
    preview = _preview(admin_client, "organization", buffer.getvalue().encode(encoding))
    assert preview.status_code == 200
    result = preview.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert [row.import_type for row in result.valid_rows()] == ["new"]
    assert Organization.objects.count() == 0  # a preview writes nothing


@pytest.mark.parametrize(
    ("name", "content", "format_index", "message"),
    [
        ("fake.xlsx", b"this is not a zip file", "0", "엑셀(.xlsx) 파일로 읽을 수 없습니다"),
        ("latin.csv", "조직명".encode("utf-16"), CSV_FORMAT, "CSV 파일의 글자를 읽을 수 없습니다"),
    ],
)
def test_an_unreadable_file_gets_a_korean_reason_and_changes_nothing(
    admin_client, name, content, format_index, message
):
    response = admin_client.post(
        reverse("admin:social_economy_organization_import"),
        {"format": format_index, "import_file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["import_file"])
    assert message in errors
    assert "Error" not in errors and "encountered" not in errors
    assert Organization.objects.count() == 0


def test_files_over_the_row_limit_are_refused(admin_client, dong, settings):
    settings.IMPORT_MAX_ROWS = 2
    rows = [_org_row(f"협동조합 {n}", "") for n in range(3)]
    response = _preview(admin_client, "organization", _csv(ORG_HEADERS, rows))
    assert "한 번에 2행까지" in " ".join(response.context["form"].errors["import_file"])
    assert Organization.objects.count() == 0


def test_two_rows_for_the_same_organization_are_a_row_error_and_nothing_is_written(admin_client, dong):
    rows = [
        _org_row("한지마을 협동조합", "1234567891", **{"대표 전화": "063-281-1234"}),
        _org_row("한지마을 협동조합(중복)", "123-45-67891", **{"대표 전화": ""}),
    ]
    preview = _preview(admin_client, "organization", _csv(ORG_HEADERS, rows))
    result = preview.context["result"]
    assert result.has_validation_errors()
    [invalid] = result.invalid_rows
    assert invalid.number == 3  # Excel's row 3 (the second data row)…
    message = " ".join(str(m) for messages in invalid.error_dict.values() for m in messages)
    assert "2행과 같은 기록입니다" in message  # …repeats Excel's row 2 (the header is row 1)
    assert Organization.objects.count() == 0
