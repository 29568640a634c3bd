"""Every Excel/CSV import the back office offers, found by walking the admin (a new import is covered
without a new test): a file exported from the portal and imported back changes nothing; what the preview
shows is exactly what the confirmed import writes; and importing the same file a second time changes
nothing — no row, no history entry."""

import html
import re

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.admin import ImportMixin
from import_export.resources import Diff

from jeonju_center.common.spreadsheets import CSV
from tests.ondure.factories import CommunityFactory
from tests.regeneration.factories import VacantHouseFactory, VacantHouseGradeFactory
from tests.social_economy.factories import OrganizationFactory, ProductFactory

pytestmark = pytest.mark.django_db


def _organizations():
    return OrganizationFactory.create_batch(3)


def _products():
    organization = OrganizationFactory()
    return ProductFactory.create_batch(3, organization=organization)


def _communities():
    return CommunityFactory.create_batch(3)


def _vacant_houses():
    houses = VacantHouseFactory.create_batch(3)
    for house in houses:  # the current grade comes from a grading, as the services keep it
        VacantHouseGradeFactory(
            house=house,
            scheme=house.current_grade_scheme,
            grade=house.current_grade,
            graded_on=house.surveyed_on,
        )
    return houses


# For each importable model: records to export, and a change staff would make in the file
# (column → new value) so that the import updates every row.
IMPORTS = {
    "social_economy.organization": (_organizations, {"조합원 수": "12", "소개": "수정한 소개"}),
    "social_economy.product": (_products, {"가격(원)": "15000", "설명": "수정한 설명"}),
    "ondure.community": (_communities, {"구성원 수": "9", "소개": "수정한 소개"}),
    "regeneration.vacanthouse": (_vacant_houses, {"준공 연도": "1975", "등급": "3"}),
}


def import_admins():
    return {
        f"{model._meta.app_label}.{model._meta.model_name}": model_admin
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, ImportMixin)
    }


def test_every_import_of_the_back_office_is_covered_here():
    assert set(import_admins()) == set(IMPORTS)


def csv_bytes(dataset):
    return CSV().export_data(dataset).encode("utf-8-sig")


def preview(client, model_admin, content):
    opts = model_admin.model._meta
    formats = [
        f.__name__ if isinstance(f, type) else type(f).__name__ for f in model_admin.get_import_formats()
    ]
    data = {
        "format": str(formats.index("CSV")),
        "import_file": SimpleUploadedFile("rows.csv", content, content_type="text/csv"),
    }
    response = client.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_import"), data)
    assert response.status_code == 200, response.content.decode()[:2000]
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors(), [
        (row.errors, row.validation_error) for row in result.rows
    ]
    return response


def confirm(client, model_admin, preview_response):
    opts = model_admin.model._meta
    form = preview_response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    response = client.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_process_import"), data)
    assert response.status_code == 302


def previewed_values(row_result):
    """The values the preview table shows for a row (the new side of each cell's diff)."""
    values = []
    for cell in row_result.diff:
        shown = re.sub(r"<del[^>]*>.*?</del>", "", str(cell), flags=re.S)
        shown = re.sub(r"<[^>]+>", "", shown.replace("&para;<br>", "\n"))
        values.append(html.unescape(shown))
    return values


def stored_values(resource, instance):
    return [str(value) if value is not None else "" for value in Diff._read_field_values(resource, instance)]


def history_count(model):
    history = getattr(model, "history", None)
    return history.count() if history is not None else 0


def snapshot(model):
    return {row[model._meta.pk.attname]: row for row in model.objects.values()}  # every column, as stored


@pytest.mark.parametrize("label", sorted(IMPORTS))
def test_export_import_round_trip_preview_is_what_is_written_and_a_second_import_changes_nothing(
    admin_client, label
):
    make_records, changes = IMPORTS[label]
    model_admin = import_admins()[label]
    model = model_admin.model
    records = make_records()
    resource = model_admin.get_import_resource_classes(None)[0]()
    queryset = model.objects.filter(pk__in=[record.pk for record in records])
    exported = resource.export(queryset=queryset)

    # 1. The portal's own export, imported back: nothing to do.
    before, histories = snapshot(model), history_count(model)
    unchanged = preview(admin_client, model_admin, csv_bytes(exported))
    assert [row.import_type for row in unchanged.context["result"].rows] == ["skip"] * len(records)
    confirm(admin_client, model_admin, unchanged)
    assert snapshot(model) == before and history_count(model) == histories

    # 2. Staff change the file: the preview's new values are exactly what is then stored.
    for column, value in changes.items():
        index = exported.headers.index(column)
        for row_number in range(len(exported)):
            row = list(exported[row_number])
            row[index] = value
            exported[row_number] = tuple(row)
    changed = csv_bytes(exported)
    shown = preview(admin_client, model_admin, changed)
    rows = shown.context["result"].rows
    assert [row.import_type for row in rows] == ["update"] * len(records)
    promised = {row.object_id: previewed_values(row) for row in rows}
    assert snapshot(model) == before  # the preview wrote nothing
    confirm(admin_client, model_admin, shown)
    columns = [field.column_name for field in resource.get_import_fields()]
    for pk, values in promised.items():
        stored = stored_values(resource, model.objects.get(pk=pk))
        assert stored == values
        assert {column: stored[columns.index(column)] for column in changes} == changes

    # 3. The same file again: every row skipped, nothing written, no history.
    after, histories = snapshot(model), history_count(model)
    again = preview(admin_client, model_admin, changed)
    assert [row.import_type for row in again.context["result"].rows] == ["skip"] * len(records)
    confirm(admin_client, model_admin, again)
    assert snapshot(model) == after and history_count(model) == histories
