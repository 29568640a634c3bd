"""The back office's shared admin behaviour: personal-data masking and access logging, change history.

Every domain admin derives from ``PortalModelAdmin`` (inlines from ``PortalInlineMixin``), so that:

* a model's ``PERSONAL_DATA_FIELDS`` are masked in lists, forms, history and exports unless the viewer holds
  the 개인정보 열람 permission; masked fields are read-only (nobody edits what they cannot see);
* each unmasked change view, unmasked list page, search that matched on personal fields and export that
  contains personal data writes one access-log row (``common.PersonalDataAccess``);
* each change is kept by django-simple-history with who, when, what changed and the reason given in the form.

Admins list personal fields by their plain names (``list_display = ["tenant_name", …]``); the mixin swaps
in the masked column for viewers without the permission.
"""

from django import forms
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.core.paginator import Paginator
from django.db import connections, models, router, transaction
from django.db.models.constants import LOOKUP_SEP
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import SelectableFieldsExportForm
from simple_history.admin import SimpleHistoryAdmin

from . import spreadsheets
from .actors import recording_service_calls, writers_of
from .changelist_cache import KeptChangelistMixin, count_once_per_version
from .download_reasons import ReasonFields
from .forms import add_service_errors
from .imports import ValidRowsOnlyConfirmImportForm, ValidRowsOnlyImportForm
from .models import PersonalDataAccess
from .personal_data import (
    MAX_LOGGED_IDS,
    can_view_personal_data,
    mask_personal_value,
    personal_fields_of,
    record_personal_data_access,
)
from .storage import get_public_storage

MASKED_SUFFIX = "_masked"


def _masked_column(model, field_name):
    field = model._meta.get_field(field_name)

    def column(obj):
        return mask_personal_value(field_name, getattr(obj, field_name))

    column.short_description = field.verbose_name
    column.admin_order_field = field_name
    return column


def _unique(names):
    seen = set()
    return [name for name in names if not (name in seen or seen.add(name))]


def personal_field_of_path(model, path):
    """The personal field a lookup path (``user__name``, ``^tenant_name``) ends in, or ``None``."""
    path = path.lstrip("^=@")
    try:
        fields = get_fields_from_path(model, path)
    except (FieldDoesNotExist, LookupError, AttributeError):
        # A path ending in a lookup (``name__iexact``) is resolved without it.
        head, _sep, _lookup = path.rpartition("__")
        if not head:
            return None
        try:
            fields = get_fields_from_path(model, head)
        except (FieldDoesNotExist, LookupError, AttributeError):
            return None
    last = fields[-1]
    owner = getattr(last, "model", None)
    if owner is not None and last.name in personal_fields_of(owner):
        return path
    return None


class PrivateFileInput(AdminFileWidget):
    """The admin's file input for a private file: its name, never a link to it (the template is in
    jeonju_center/common/templates: the form renderer reads widget templates from the apps only)."""

    template_name = "admin/widgets/private_file_input.html"


class PersonalDataMaskingMixin:
    """Masks ``PERSONAL_DATA_FIELDS`` in forms for viewers without the permission (admins and inlines)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in personal_fields_of(self.model):
            attr = f"{name}{MASKED_SUFFIX}"
            if not hasattr(self, attr):
                setattr(self, attr, _masked_column(self.model, name))

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        # A private file's URL is a signed link on object storage: the change form names the file without
        # linking to it, so it is handed out only by the admin's own download views (reason, access log).
        if (
            formfield is not None
            and isinstance(db_field, models.FileField)
            and getattr(db_field, "_storage_callable", None) is not get_public_storage
            and type(formfield.widget) is AdminFileWidget
        ):
            formfield.widget = PrivateFileInput(attrs=formfield.widget.attrs)
        return formfield

    def masks_personal_data(self, request):
        return bool(personal_fields_of(self.model)) and not can_view_personal_data(request.user)

    def _mask_names(self, names):
        personal = personal_fields_of(self.model)
        masked = []
        for name in names:
            if isinstance(name, (list, tuple)):
                masked.append(type(name)(self._mask_names(name)))
            elif isinstance(name, str) and name in personal:
                masked.append(f"{name}{MASKED_SUFFIX}")
            else:
                masked.append(name)
        return masked

    def _masks_form(self, request, obj):
        # Entering a new record is not viewing someone's data: the add form stays editable.
        return obj is not None and self.masks_personal_data(request)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return _unique(self._mask_names(fields)) if self._masks_form(request, obj) else fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._masks_form(request, obj):
            return fieldsets
        return [
            (title, {**options, "fields": self._mask_names(options.get("fields", ()))})
            for title, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self._masks_form(request, obj):
            readonly = _unique(
                self._mask_names(readonly)
                + [f"{name}{MASKED_SUFFIX}" for name in personal_fields_of(self.model)]
            )
        return readonly

    def shown_personal_fields(self, obj):
        """The personal fields of ``obj`` that hold a value (what an unmasked screen reveals)."""
        return [name for name in personal_fields_of(self.model) if getattr(obj, name, None) not in (None, "")]


class PersonalDataExportForm(ReasonFields, SelectableFieldsExportForm):
    """The export form of the back office: when a ticked column holds personal data, the reason for making the
    file is asked first (jeonju_center/common/download_reasons.py), and unmasked values are a separate choice
    that only holders of the 개인정보 열람 permission get."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        # The checkboxes of columns that hold personal data: ticking one makes the reason required.
        self.personal_columns = {
            name for resource in resources for name in _personal_export_field_names(resource)
        }
        self.holds_personal_data = bool(self.personal_columns)
        if not self.holds_personal_data:
            for name in ("reason", "detail", "unmasked"):
                del self.fields[name]

    def clean(self):
        cleaned = super().clean()
        # import-export's clean() leaves the ticked columns of the chosen resource, without its prefix.
        if self.personal_columns & set(getattr(self, "_selected_resource_fields", ())):
            self.check_reason(cleaned)
        return cleaned

    def _create_boolean_fields(self, resource, index):
        # Only the columns the resource really exports (some leave personal columns out whatever is ticked).
        names = super()._create_boolean_fields(resource, index)
        instance = resource()
        exported = {id(field) for field in instance.get_export_fields()}
        never = {
            self.create_boolean_field_name(resource, name)
            for name, field in instance.fields.items()
            if id(field) not in exported
        }
        for name in never & set(names):
            del self.fields[name]
        return [name for name in names if name not in never]

    def _get_field_label(self, resource, field_name):
        # The column as it will read in the file (조직명), not import-export's "Name (조직명)" built from
        # the English attribute name.
        field = resource.fields.get(field_name)
        return (
            field.column_name
            if field and field.column_name
            else super()._get_field_label(resource, field_name)
        )


def _personal_export_field_names(resource_class):
    """Names of the resource's exported fields that show personal data."""
    model = resource_class._meta.model
    if model is None:
        return []
    resource = resource_class()
    exported = {id(field) for field in resource.get_export_fields()}
    return [
        name
        for name, field in resource.fields.items()
        if id(field) in exported and field.attribute and personal_field_of_path(model, field.attribute)
    ]


def _exports_personal_data(resource_class):
    return bool(_personal_export_field_names(resource_class))


AUTOCOMPLETE_PAGE = 20  # django.contrib.admin.views.autocomplete.AutocompleteJsonView.paginate_by


def _is_autocomplete(request):
    try:
        return request.path == reverse("admin:autocomplete")
    except NoReverseMatch:
        return False


class PersonalDataAdminMixin(PersonalDataMaskingMixin):
    """Masked columns, access logging of lists/searches/change views/exports. For ``ModelAdmin`` subclasses."""

    #: How the access log names this data (defaults to the model's verbose name).
    personal_data_kind = None
    export_form_class = PersonalDataExportForm

    # --- the change list -------------------------------------------------------------------------

    def get_list_display(self, request):
        display = super().get_list_display(request)
        return self._mask_names(display) if self.masks_personal_data(request) else display

    def get_list_display_links(self, request, list_display):
        links = super().get_list_display_links(request, list_display)
        if links and self.masks_personal_data(request):
            return self._mask_names(links)
        return links

    def personal_search_fields(self, request):
        return [path for path in self.get_search_fields(request) if personal_field_of_path(self.model, path)]

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term and _is_autocomplete(request):
            self._log_autocomplete(request, queryset, search_term)
        return queryset, may_have_duplicates

    def _log_autocomplete(self, request, queryset, search_term):
        """A select box's search (autocomplete) that looked people up by name or e-mail is a search of
        personal data like the list's; the suggestions are the first page the widget shows."""
        searched_personal = self.personal_search_fields(request)
        if not searched_personal:
            return
        object_ids = list(queryset.order_by("pk").values_list("pk", flat=True)[:AUTOCOMPLETE_PAGE])
        if object_ids:
            record_personal_data_access(
                request,
                action=PersonalDataAccess.Action.SEARCH,
                model=self.model,
                object_ids=object_ids,
                fields=searched_personal,
                search_term=search_term,
                data_kind=self.personal_data_kind,
            )

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = response.context_data.get("cl") if isinstance(response, TemplateResponse) else None
        if changelist is not None and request.method == "GET":
            access = self.changelist_access(request, changelist)
            if access is not None:
                self.record_changelist_access(request, access)
            # A kept copy of the page (``KeptChangelistMixin``) logs the same row each time it is served.
            response.personal_data_access = access
        return response

    def changelist_access(self, request, changelist):
        """What the access log records for showing this list, or ``None`` when it shows no personal data."""
        object_ids = [obj.pk for obj in changelist.result_list]
        if not object_ids:
            return None
        searched_personal = self.personal_search_fields(request) if changelist.query else []
        if searched_personal:
            return {
                "action": PersonalDataAccess.Action.SEARCH,
                "object_ids": object_ids,
                "record_count": changelist.result_count,
                "fields": searched_personal,
                "search_term": changelist.query,
            }
        shown = []
        if not self.masks_personal_data(request):
            shown = [name for name in changelist.list_display if name in personal_fields_of(self.model)]
        if shown:
            return {"action": PersonalDataAccess.Action.VIEW, "object_ids": object_ids, "fields": shown}
        return None

    def record_changelist_access(self, request, access):
        record_personal_data_access(request, model=self.model, data_kind=self.personal_data_kind, **access)

    # --- the change view (and the history's view of a past version) ----------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        self._log_object_view(request, response)
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        response = super().history_form_view(request, object_id, version_id, extra_context)
        self._log_object_view(request, response)
        return response

    def render_history_view(self, request, template, context, **kwargs):
        # simple-history renders with ``render()``, whose plain response carries no context: a
        # TemplateResponse lets ``_log_object_view`` see which record a past-version page showed.
        return TemplateResponse(request, template, context, **kwargs)

    def _log_object_view(self, request, response):
        if request.method != "GET" or response.status_code != 200 or self.masks_personal_data(request):
            return
        context = getattr(response, "context_data", None) or getattr(response, "context", None) or {}
        obj = context.get("original")
        shown = self.shown_personal_fields(obj) if obj is not None else []
        if shown:
            record_personal_data_access(
                request,
                action=PersonalDataAccess.Action.VIEW,
                model=self.model,
                object_ids=[obj.pk],
                fields=shown,
                data_kind=self.personal_data_kind,
            )

    # --- exports (django-import-export) ---------------------------------------------------------

    def get_data_for_export(self, request, queryset, **kwargs):
        dataset = super().get_data_for_export(request, queryset, **kwargs)
        export_form = kwargs.get("export_form")
        columns = self._personal_export_columns(request, dataset, export_form)
        if not columns:
            return dataset
        cleaned = getattr(export_form, "cleaned_data", None) or {}
        reason = export_form.reason_text() if hasattr(export_form, "reason_text") else ""
        unmasked = bool(reason and cleaned.get("unmasked")) and not self.masks_personal_data(request)
        if not unmasked:
            for header, field_name in columns.items():
                index = dataset.headers.index(header)
                values = [mask_personal_value(field_name, value) for value in dataset.get_col(index)]
                del dataset[header]
                dataset.insert_col(index, values, header=header)
        record_personal_data_access(
            request,
            action=PersonalDataAccess.Action.EXPORT,
            model=self.model,
            object_ids=queryset.values_list("pk", flat=True)[:MAX_LOGGED_IDS],
            record_count=len(dataset),
            fields=sorted(set(columns.values())),
            reason=reason,
            masked=not unmasked,
            data_kind=self.personal_data_kind,
        )
        return dataset

    def _personal_export_columns(self, request, dataset, export_form):
        """Headers of the dataset's personal-data columns → the personal field each one shows."""
        resource_class = self.choose_export_resource_class(export_form, request)
        resource = resource_class(**self.get_export_resource_kwargs(request, export_form=export_form))
        headers = set(dataset.headers or ())
        columns = {}
        for field in resource.get_export_fields():
            header = field.column_name
            if header not in headers or not field.attribute:
                continue
            path = personal_field_of_path(self.model, field.attribute)
            if path:
                columns[header] = path.rsplit("__", 1)[-1]
        return columns


class ChangeReasonForm(forms.ModelForm):
    history_change_reason = forms.CharField(
        label=_("변경 사유"),
        max_length=100,
        required=False,
        help_text=_("변경 이력에 함께 남습니다 (예: 소유자 요청으로 연락처 정정)."),
    )


class ChangeReasonAdminMixin:
    """Adds a "변경 사유" field to the change form and stores it on the history row."""

    change_reason_fieldset_title = _("변경 이력")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not issubclass(self.form, ChangeReasonForm):
            self.form = type(self.form.__name__, (ChangeReasonForm, self.form), {"__module__": __name__})

    def get_fieldsets(self, request, obj=None):
        # The reason gets its own fieldset at the end, wherever the default layout put the form field.
        fieldsets = [
            (title, {**options, "fields": _without(options.get("fields", ()), "history_change_reason")})
            for title, options in super().get_fieldsets(request, obj)
        ]
        return [*fieldsets, (self.change_reason_fieldset_title, {"fields": ["history_change_reason"]})]

    def save_model(self, request, obj, form, change):
        obj._change_reason = form.cleaned_data.get("history_change_reason") or None
        super().save_model(request, obj, form, change)


def _without(fields, unwanted):
    kept = []
    for name in fields:
        if isinstance(name, (list, tuple)):
            kept.append(type(name)(_without(name, unwanted)))
        elif name != unwanted:
            kept.append(name)
    return kept


#: From this many rows (PostgreSQL's planner estimate), an unfiltered back-office list shows the estimate
#: rather than counting every row on every page.
ESTIMATE_COUNT_FROM_ROWS = 10_000


class EstimatedCountPaginator(Paginator):
    """A changelist's paginator. On a large table (PostgreSQL's planner estimate), the unfiltered list is
    counted from the planner's statistics (``pg_class.reltuples``, kept by autovacuum's ANALYZE) and a filtered
    one exactly, once per version of the tables its query reads (``count_once_per_version``: paging through
    30,000 matches counts them once); a small table is counted exactly on every page."""

    @cached_property
    def count(self):
        queryset = self.object_list
        rows = _table_rows(queryset) if hasattr(queryset, "query") else None
        if rows is None or rows < ESTIMATE_COUNT_FROM_ROWS:
            return super().count
        if _reads_whole_table(queryset):
            return rows
        return count_once_per_version(queryset)


def _reads_whole_table(queryset):
    query = queryset.query
    return not (query.where or query.distinct or query.combinator)


def _table_rows(queryset):
    """The planner's row estimate of the model's table (PostgreSQL), else ``None``."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [queryset.model._meta.db_table]
        )
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] > 0 else None


def _forward_hop(model, search_field):
    """``(fk name, related model, field)`` when ``search_field`` is ``fk__field`` across one many-to-one
    relation to a plain field; None otherwise (the admin's own search handles it)."""
    parts = str(search_field).split(LOOKUP_SEP)
    if len(parts) != 2:
        return None
    try:
        relation = model._meta.get_field(parts[0])
        related = relation.related_model._meta.get_field(parts[1]) if relation.many_to_one else None
    except FieldDoesNotExist:
        return None
    if related is None or related.is_relation:
        return None
    return parts[0], relation.related_model, parts[1]


class LargeTableAdminMixin(KeptChangelistMixin):
    """Back-office lists that stay fast on a national-size table: no second count of the unfiltered total
    beside a filtered one, an estimate for the unfiltered total of a large table, a search that does not join
    the related tables it searches, a cheap checkbox on every row, and a drawn page kept while its tables are
    unchanged (``KeptChangelistMixin``)."""

    paginator = EstimatedCountPaginator
    show_full_result_count = False
    search_related_ids = 1000

    def get_search_results(self, request, queryset, search_term):
        """Django's search, except that a field across a foreign key (``organization__name``) is searched as
        ``organization IN (organizations whose name contains …)``: the admin's join of every related row, on
        the count and on the page, made a search of 200,000 enrolments take 0.2 s per query."""
        search_fields = [str(field) for field in self.get_search_fields(request)]
        hops = {field: _forward_hop(self.model, field) for field in search_fields}
        if not search_term or not any(hops.values()) or any(field[:1] in "^=@" for field in search_fields):
            return super().get_search_results(request, queryset, search_term)
        terms = []
        for bit in smart_split(search_term):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            matches = models.Q()
            for field in search_fields:
                if hops[field] is None:
                    matches |= models.Q(**{f"{field}__icontains": bit})
                else:
                    relation, related_model, related_field = hops[field]
                    found = related_model._base_manager.filter(
                        **{f"{related_field}__icontains": bit}
                    ).order_by()
                    # A few related rows as a list, so the database can OR the foreign key's index with the
                    # other fields' trigram indexes; many as a subquery.
                    ids = list(found.values_list("pk", flat=True)[: self.search_related_ids + 1])
                    inline = len(ids) <= self.search_related_ids
                    matches |= models.Q(**{f"{relation}__in": ids if inline else found.values("pk")})
            terms.append(matches)
        return queryset.filter(*terms), False

    def action_checkbox(self, obj):
        """The row's checkbox as Django renders it, without a form widget and its template per row (a fifth
        of a 100-row page's time)."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )


class PortalModelAdmin(
    LargeTableAdminMixin, PersonalDataAdminMixin, ChangeReasonAdminMixin, SimpleHistoryAdmin
):
    """Base of every domain admin: masking + access log + history with reasons."""


class PortalInlineMixin(PersonalDataMaskingMixin):
    """For inlines that show personal fields: masked and read-only without the permission."""


class PortalImportExportAdmin(
    LargeTableAdminMixin,
    PersonalDataAdminMixin,
    ChangeReasonAdminMixin,
    spreadsheets.ImportFileErrorsMixin,
    ImportExportMixin,
    SimpleHistoryAdmin,
):
    """``PortalModelAdmin`` with Excel import/export. The order matters: the personal-data mixin must come
    before import-export's (so exports are masked and logged) and ``SimpleHistoryAdmin`` (a ModelAdmin) last."""

    formats = spreadsheets.FORMATS  # cells are data, never formulas
    # "Only the valid rows" (see ``imports.PortalResource``), carried from the import form to the confirmation.
    import_form_class = ValidRowsOnlyImportForm
    confirm_form_class = ValidRowsOnlyConfirmImportForm

    def get_import_resource_kwargs(self, request, **kwargs):
        form = kwargs.get("form")
        valid_rows_only = bool(
            form is not None
            and form.is_bound
            and form.is_valid()
            and form.cleaned_data.get("valid_rows_only")
        )
        return {**super().get_import_resource_kwargs(request, **kwargs), "valid_rows_only": valid_rows_only}

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["valid_rows_only"] = import_form.cleaned_data.get("valid_rows_only", False)
        return initial


class ReadOnlyAdminMixin:
    """For an admin or inline that only shows rows written elsewhere (by the citizen's own actions, or by a
    service with its own page in the back office)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ServiceRefused(Exception):
    """A service refused what the back office asked (its ``ValidationError`` is in ``error``)."""

    def __init__(self, error):
        super().__init__(error)
        self.error = error


class ServiceAdminMixin:
    """The back office is a caller like any other: a ModelAdmin with this mixin saves through its services.

    ``save_through_service(request, obj, form, change)`` saves the object, and
    ``save_<model_name>_through_service(request, parent, obj)`` each new or changed row of an inline of that
    model. A service's ``ValidationError`` undoes the whole save (the change form runs in a savepoint)
    and the form is shown again with the refusal on it: nothing is saved, nothing is half-saved, no 500.
    Put it before ``PortalModelAdmin`` in the bases.

    A save that did not call one of the model's ``@writes`` services is a bypass of its rules and fails
    loudly (``ImproperlyConfigured``); ``tests/common/test_admin_saves_through_services.py`` walks every
    registered ModelAdmin and requires this mixin wherever the model has a service."""

    def save_through_service(self, request, obj, form, change):
        raise NotImplementedError(
            f"{type(self).__name__} must save {self.model._meta.label} through its service"
        )

    @staticmethod
    def adopt(obj, saved):
        """Make the admin's ``obj`` the row a creating service saved (the admin redirects to it and saves
        the inlines against it)."""
        obj.pk = saved.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def save_model(self, request, obj, form, change):
        if change and not set(form.changed_data) - {"history_change_reason"}:
            return  # Django saves an unchanged form too (a reason alone changes nothing): nothing to write
        obj._change_reason = form.cleaned_data.get("history_change_reason") or None
        if not writers_of(obj):
            # A model without services of its own (a store, whose listings are the inline that has them).
            return super().save_model(request, obj, form, change)
        self._through_service(obj, lambda: self.save_through_service(request, obj, form, change))

    def save_formset(self, request, form, formset, change):
        save_row = getattr(self, f"save_{formset.model._meta.model_name}_through_service", None)
        if save_row is None:
            return super().save_formset(request, form, formset, change)
        for obj in formset.save(commit=False):
            self._through_service(obj, lambda obj=obj: save_row(request, form.instance, obj))
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    @staticmethod
    def _through_service(obj, save):
        with recording_service_calls() as calls:
            try:
                save()
            except ValidationError as error:
                raise ServiceRefused(error) from error
        label = obj._meta.label
        if not any(label in {model._meta.label for model in call.writes} for call in calls):
            raise ImproperlyConfigured(
                f"The back office saved a {label} without calling one of its services "
                f"({', '.join(call.__qualname__ for call in writers_of(obj)) or 'none is declared'})"
            )

    def _changeform_view(self, request, object_id, form_url, extra_context):
        try:
            with transaction.atomic(using=router.db_for_write(self.model)):
                return super()._changeform_view(request, object_id, form_url, extra_context)
        except ServiceRefused as refused:
            # Once more with the refusal on the form: it is invalid, so this pass shows it and saves nothing.
            request._service_refusal = refused.error
            return super()._changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_service_refusal", None)
        if refusal is None:
            return form_class

        class RefusedForm(form_class):
            def clean(self):
                cleaned = super().clean()
                add_service_errors(self, refusal)
                return cleaned

        return RefusedForm
