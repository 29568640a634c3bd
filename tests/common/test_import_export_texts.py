"""The back office's import and export pages read in Korean: django-import-export's own strings translated
(its Korean catalogue is incomplete), export checkboxes named by the file's columns, the result message in
Korean, and an Excel file's empty cells shown empty in the error table. Walks every import/export admin."""

import io

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.admin import ExportMixin, ImportMixin
from openpyxl import Workbook

from tests.social_economy.factories import DongFactory, valid_brn

pytestmark = pytest.mark.django_db

ENGLISH_LEFT_BY_IMPORT_EXPORT = [
    "File to import",
    "This importer will import the following fields",
    "This exporter will export the following fields",
    "Select all",
    ">Format<",
    ">Resource<",
    ">Submit<",
    "Import finished",
]


def spreadsheet_admins(kind):
    return [
        (model._meta, model_admin)
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, kind)
    ]


def main_of(response):
    page = response.content.decode()
    return page[page.index('id="content"') :]


@pytest.mark.parametrize(
    "opts", [opts for opts, _admin in spreadsheet_admins(ImportMixin)], ids=lambda opts: opts.label_lower
)
def test_import_pages_are_korean(admin_client, opts):
    page = main_of(admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_import")))
    for english in ENGLISH_LEFT_BY_IMPORT_EXPORT:
        assert english not in page
    assert "가져올 파일" in page and "다음 열을 가져옵니다" in page


@pytest.mark.parametrize(
    ("opts", "model_admin"),
    spreadsheet_admins(ExportMixin),
    ids=lambda value: getattr(value, "label_lower", ""),
)
def test_export_pages_are_korean_and_name_the_file_s_columns(admin_client, opts, model_admin):
    response = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_export"))
    page = main_of(response)
    for english in ENGLISH_LEFT_BY_IMPORT_EXPORT:
        assert english not in page
    form = response.context["form"]
    labels = [
        str(field.label) for field in form.fields.values() if getattr(field, "is_selectable_field", False)
    ]
    resource = model_admin.get_export_resource_classes(None)[0]()
    assert labels == [field.column_name for field in resource.get_export_fields()]


def test_the_result_of_an_import_is_told_in_korean(admin_client):
    DongFactory(name="풍남동")
    content = (
        "조직명,조직 유형,사업자등록번호,업종,운영 상태,행정동,조합원 수\n"
        f"새 협동조합,일반협동조합,{valid_brn(950)},제조,운영 중,풍남동,7\n"
    ).encode("utf-8-sig")
    preview = admin_client.post(
        reverse("admin:social_economy_organization_import"),
        {"format": "1", "import_file": SimpleUploadedFile("rows.csv", content, content_type="text/csv")},
    )
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    done = admin_client.post(reverse("admin:social_economy_organization_process_import"), data, follow=True)
    messages = [str(message) for message in done.context["messages"]]
    assert any(message.startswith("가져오기를 마쳤습니다: 1 추가") for message in messages), messages


def test_empty_excel_cells_show_empty_in_the_error_table(admin_client):
    DongFactory(name="풍남동")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["조직명", "조직 유형", "사업자등록번호", "업종", "운영 상태", "행정동", "조합원 수"])
    sheet.append(["이름만 있는 곳", None, None, None, None, "풍남동", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = admin_client.post(
        reverse("admin:social_economy_organization_import"),
        {"format": "0", "import_file": SimpleUploadedFile("rows.xlsx", buffer.getvalue())},
    )
    [invalid] = response.context["result"].invalid_rows
    assert invalid.number == 2  # the first row under the header, as Excel shows it
    assert None not in invalid.values
    assert "None" not in main_of(response)
    assert "조직 유형" in invalid.error_dict  # the error names the column staff see in their file
