"""The one base of every back-office Excel import and export (django-import-export).

* ``PortalResource``: the base resource. A cell that starts like a formula is refused, two rows for one record
  are refused, rows and columns are named as staff see them in Excel (see ``spreadsheets.py``), and with
  "올바른 행만 가져오기" (``valid_rows_only``) a row with errors is left out, listed with its line and
  reasons, instead of blocking the whole file.
* ``ValidRowsOnlyImportForm`` / ``ValidRowsOnlyConfirmImportForm``: the import screens' checkbox, used by
  ``admin_mixins.PortalImportExportAdmin``.
* Cell widgets: Korean labels in, codes stored, and a clear Korean message for every cell that cannot be
  read.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.results import RowResult

from .models import Dong
from .spreadsheets import (
    DuplicateRowsRefusedMixin,
    ExcelRowsMixin,
    FormulaCellsRefusedMixin,
    excel_row_number,
)
from .validators import normalize_business_registration_number


def cell_text(value):
    """A cell as text: stripped, empty for an empty cell, and Excel's 12.0 read back as 12."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class TextWidget(widgets.CharWidget):
    """Strips spaces; an empty cell is an empty string (the models use "" for "not given")."""

    def clean(self, value, row=None, **kwargs):
        return cell_text(value)


class ChoiceLabelWidget(widgets.Widget):
    """A choice written as its Korean label (e.g. 마을공동체, as exported); the stored code (village) is
    accepted too. An empty cell is "" when ``blank``, else an error."""

    def __init__(self, choices, *, blank=True, **kwargs):
        super().__init__(**kwargs)
        self.choices = [(str(code), str(label)) for code, label in choices]
        self.blank = blank

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            if self.blank:
                return ""
            raise ValueError(_("값을 입력해야 합니다."))
        for code, label in self.choices:
            if text in (code, label):
                return code
        raise ValueError(
            _("‘%(value)s’은(는) 올바른 값이 아닙니다. 다음 중 하나를 쓰세요: %(labels)s")
            % {"value": text, "labels": ", ".join(label for _code, label in self.choices)}
        )

    def render(self, value, obj=None, **kwargs):
        return dict(self.choices).get(value, value or "")


class YesNoWidget(widgets.Widget):
    """예/아니요 (also y/n, yes/no, true/false, 1/0, o/x); an empty cell is 아니요."""

    TRUE = {"예", "y", "yes", "true", "1", "o"}
    FALSE = {"아니요", "아니오", "n", "no", "false", "0", "x", ""}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = cell_text(value).lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("‘예’ 또는 ‘아니요’로 쓰세요."))

    def render(self, value, obj=None, **kwargs):
        return str(_("예")) if value else str(_("아니요"))


class DongWidget(widgets.ForeignKeyWidget):
    """A dong written by name (풍남동)."""

    def __init__(self, *, required=False, **kwargs):
        self.required = required
        super().__init__(Dong, field="name", **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            if self.required:
                raise ValueError(_("행정동을 입력해야 합니다."))
            return None
        dong = Dong.objects.filter(name=text).first()
        if dong is None:
            raise ValueError(_("‘%(value)s’은(는) 등록된 행정동이 아닙니다.") % {"value": text})
        return dong


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number of 0 or more: won, people, a year. "45,000원", "12명" and Excel's 12.0 are read as
    numbers; a fraction or a negative number is an error, not rounded."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value).replace(",", "").replace("원", "").replace("명", "").strip()
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            raise ValueError(_("‘%(value)s’은(는) 숫자가 아닙니다.") % {"value": cell_text(value)}) from None
        if number != int(number):
            raise ValueError(_("‘%(value)s’은(는) 정수가 아닙니다.") % {"value": cell_text(value)})
        if number < 0:
            raise ValueError(_("0 이상이어야 합니다."))
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class KoreanDecimalWidget(widgets.DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        if value is None or str(value).strip() == "":
            return None
        try:
            return super().clean(str(value).replace(",", "").strip(), row=row, **kwargs)
        except Exception:
            raise ValueError(_("‘%(value)s’은(는) 숫자가 아닙니다.") % {"value": value}) from None


class KoreanDateWidget(widgets.DateWidget):
    """YYYY-MM-DD text or an Excel date cell (read back as a datetime) → a date."""

    def __init__(self, **kwargs):
        super().__init__("%Y-%m-%d", **kwargs)

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = cell_text(value)
        if not text:
            return None
        try:
            return datetime.datetime.strptime(text, "%Y-%m-%d").date()
        except ValueError:
            raise ValueError(
                _("‘%(value)s’은(는) 날짜(예: 2024-04-15)가 아닙니다.") % {"value": text}
            ) from None


class BusinessRegistrationNumberWidget(widgets.Widget):
    """Normalised to XXX-XX-XXXXX on the way in, so an unchanged row compares equal."""

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return ""
        try:
            return normalize_business_registration_number(text)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from None


# --- Only the valid rows ------------------------------------------------------------------------------------

VALID_ROWS_ONLY_LABEL = _("오류가 있는 행은 건너뛰고 올바른 행만 가져오기")


class ValidRowsOnlyImportForm(ImportForm):
    valid_rows_only = forms.BooleanField(
        label=VALID_ROWS_ONLY_LABEL,
        required=False,
        help_text=_("체크하지 않으면 오류가 하나라도 있을 때 아무 것도 저장하지 않습니다."),
    )


class ValidRowsOnlyConfirmImportForm(ConfirmImportForm):
    valid_rows_only = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ValidRowsOnlyMixin:
    """With ``valid_rows_only`` a row with errors is skipped (nothing of it written) and listed in
    ``result.rejected_rows`` with its Excel line and its messages; without it, one bad row blocks the file."""

    def __init__(self, *args, valid_rows_only=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.valid_rows_only = valid_rows_only
        self.rejected_rows = []

    def import_row(self, row, instance_loader, **kwargs):
        row_result = super().import_row(row, instance_loader, **kwargs)
        if self.valid_rows_only and row_result.import_type in (
            RowResult.IMPORT_TYPE_INVALID,
            RowResult.IMPORT_TYPE_ERROR,
        ):
            error = row_result.validation_error
            messages = self.row_error_messages(error) if isinstance(error, ValidationError) else []
            messages += [str(e.error) for e in row_result.errors]
            number = excel_row_number(kwargs.get("row_number"))
            self.rejected_rows.append({"number": number, "messages": messages})
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            row_result.validation_error = None
            row_result.errors = []
        return row_result

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        result.rejected_rows = list(self.rejected_rows)


class PortalResource(
    FormulaCellsRefusedMixin,
    DuplicateRowsRefusedMixin,
    ValidRowsOnlyMixin,
    ExcelRowsMixin,
    resources.ModelResource,
):
    """The base of every import/export resource (see the module's docstring). A subclass says what identifies
    a record in a file with ``row_key(row)``."""
