"""The rows of a back-office list, drawn as Django's admin draws them but prepared once per column.

Django's ``items_for_result`` works out everything per cell: which kind of column it is, whether it links to
the record, its CSS class, the empty-value marker, the choices' labels (a new dict of every choice, translated,
for each cell) and a boolean's icon (a static-file lookup for each cell). On a 100-row page that was about
25 ms of a 38 ms product list (measured). Here each column is prepared once (``_Column``) and each cell only
reads its value and formats it. The output is Django's, byte for byte, for every list of the back office
(``tests/common/test_changelist_rows.py``). A list with editable columns (``list_editable``) is left to Django.
"""

import datetime

from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,  # how Django's lookup_field tells a model field from the rest: the same decision here
    display_for_field,
    display_for_value,
    lookup_field,
)
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db import models
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe


def result_list(cl):
    """The context of ``admin/change_list_results.html``, as Django's ``result_list`` tag builds it."""
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(admin_list.result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for header in headers if header["sortable"] and header["sorted"]),
        "results": list(_results(cl)),
    }


def _results(cl):
    if cl.formset:
        return admin_list.results(cl)
    columns = []
    linked = False
    for index, field_name in enumerate(cl.list_display):
        column = _Column(cl, index, field_name, first=not linked)
        linked = linked or column.links
        columns.append(column)
    return (
        admin_list.ResultList(None, [column.cell(result) for column in columns]) for result in cl.result_list
    )


def _links_to_record(cl, field_name, first):
    if cl.list_display_links is None:
        return False
    if first and not cl.list_display_links:
        return True
    return field_name in cl.list_display_links


class _Column:
    def __init__(self, cl, index, field_name, *, first):
        self.cl = cl
        self.name = field_name
        self.links = _links_to_record(cl, field_name, first)
        self.tag = "th" if self.links and first else "td"
        self.empty = cl.model_admin.get_empty_value_display()
        self.css = f"field-{admin_list._coerce_field_name(field_name, index)}"
        self.field = self._model_field(cl.lookup_opts, field_name)
        self.labels = self.icons = None
        field = self.field
        if field is not None and not field.auto_created:
            if getattr(field, "flatchoices", None):
                try:
                    # The labels as Django shows them (translated now, once, not per cell).
                    self.labels = {value: str(label) for value, label in field.flatchoices}
                except TypeError:  # list-like choices: Django's own code handles them
                    self.labels = None
            elif isinstance(field, models.BooleanField):
                self.icons = {value: admin_list._boolean_icon(value) for value in (True, False, None)}
        self.pk = str(cl.to_field) if cl.to_field else cl.lookup_opts.pk.attname
        self.url_around_pk = None

    @staticmethod
    def _model_field(opts, name):
        """The model field ``lookup_field`` reads for ``name``; None for a method, property or callable (and, as
        Django decides, a generic foreign key, a reverse relation or a foreign key's ``_id`` column)."""
        if callable(name):
            return None
        try:
            return _get_non_gfk_field(opts, name)
        except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
            return None

    def cell(self, result):
        css = [self.css]
        try:
            field, attr, value = (
                (self.field, None, getattr(result, self.name))
                if self.field is not None
                else lookup_field(self.name, result, self.cl.model_admin)
            )
        except ObjectDoesNotExist:
            shown = self.empty
        else:
            shown, css = self._shown(result, field, attr, value, css)
        row_class = f' class="{" ".join(css)}"'
        if self.links:
            return self._linked(result, row_class, shown)
        # format_html("<td{}>{}</td>", …) with the class as the safe string it is, the value escaped.
        return mark_safe(f"<td{row_class}>{conditional_escape(shown)}</td>")

    def _shown(self, result, field, attr, value, css):
        empty = self.empty
        if isinstance(value, str) and value.strip() == "":
            value = ""
        if field is None or field.auto_created:
            empty = getattr(attr, "empty_value_display", empty)
            if self.name == "action_checkbox":
                css = ["action-checkbox"]
            boolean = getattr(attr, "boolean", False)
            if isinstance(attr, property) and hasattr(attr, "fget"):
                boolean = getattr(attr.fget, "boolean", False)
            shown = display_for_value(value, empty, boolean)
            if isinstance(value, (datetime.date, datetime.time)):
                css = [*css, "nowrap"]
            return shown, css
        if isinstance(field.remote_field, models.ManyToOneRel):
            related = getattr(result, field.name)
            shown = empty if related is None else related
        elif self.labels is not None:
            shown = self.labels.get(value, empty)
        elif self.icons is not None:
            shown = self.icons[value]
        else:
            shown = display_for_field(value, field, empty, avoid_link=self.links)
        if isinstance(field, (models.DateField, models.TimeField, models.ForeignKey)):
            css = [*css, "nowrap"]
        return shown, css

    def _linked(self, result, row_class, shown):
        cl = self.cl
        try:
            url = self._record_url(result)
        except NoReverseMatch:
            link_or_text = shown
        else:
            link_or_text = format_html(
                '<a href="{}"{}>{}</a>',
                url,
                format_html(' data-popup-opener="{}"', result.serializable_value(self.pk))
                if cl.is_popup
                else "",
                shown,
            )
        return mark_safe(f"<{self.tag}{row_class}>{conditional_escape(link_or_text)}</{self.tag}>")

    def _record_url(self, result):
        """The record's change page with the list's filters, as Django builds it per row: reversed once, for a
        placeholder id, when the primary key is a number (its place in the URL is then just its digits)."""
        cl = self.cl
        pk = getattr(result, cl.pk_attname)
        if not isinstance(pk, int) or isinstance(pk, bool):
            return self._with_filters(cl.url_for_result(result))
        if self.url_around_pk is None:
            self.url_around_pk = self._with_filters(cl.url_for_result(_WithPk(cl.pk_attname, PK_PLACEHOLDER)))
        before, _placeholder, after = self.url_around_pk.partition(str(PK_PLACEHOLDER))
        return f"{before}{pk}{after}"

    def _with_filters(self, url):
        cl = self.cl
        return add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)


# A number no primary key of the back office reaches; its first occurrence in a record's URL is the id's place
# (the path comes before the preserved filters).
PK_PLACEHOLDER = 918_273_645_546_372_819


class _WithPk:
    def __init__(self, attname, pk):
        setattr(self, attname, pk)
