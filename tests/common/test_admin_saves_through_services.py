"""The back office is a caller like any other: wherever a model has a writing service (``@writes``), its
ModelAdmin (and an editable inline of it) saves through it. ``ServiceAdminMixin`` fails loudly at run time
when a save skipped the services; this walks every registered ModelAdmin so that a new plain admin fails
here, before anybody saves through it."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.utils.module_loading import autodiscover_modules

from jeonju_center.common.actors import WRITERS
from jeonju_center.common.admin_mixins import ServiceAdminMixin

#: The modules that hold writing services, imported so that every ``@writes`` is registered.
WRITE_MODULES = (
    "services",
    "members",
    "profiles",
    "surveys",
    "settlements",
    "completion",
    "feedback",
    "notifications",
)


def serviced_labels():
    for name in WRITE_MODULES:
        autodiscover_modules(name)
    return set(WRITERS)


def _superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(is_staff=True, is_superuser=True, is_active=True)
    return request


def _editable(model_admin, request):
    """Whether staff can write rows through this admin or inline at all (add, or a field to change)."""
    if isinstance(model_admin, admin.options.InlineModelAdmin):
        can_add = model_admin.has_add_permission(request, None) and model_admin.get_max_num(request) != 0
    else:
        can_add = model_admin.has_add_permission(request)
    if can_add:
        return True
    if not model_admin.has_change_permission(request, None):
        return False
    fields = set(model_admin.get_fields(request, None)) - {"history_change_reason"}
    return bool(fields - set(model_admin.get_readonly_fields(request, None)))


def test_the_walk_sees_the_services_of_every_app():
    labels = serviced_labels()
    apps = {label.split(".")[0] for label in labels}
    # Every app that writes declares it: a module of services the walk does not import would hide its
    # models from the walk.
    assert apps == {
        "courses",
        "social_economy",
        "regeneration",
        "ondure",
        "calls",
        "spaces",
        "news",
        "inquiries",
        "partners",
        "accounts",
    }


@pytest.mark.parametrize(
    "model_admin",
    [
        model_admin
        for _model, model_admin in sorted(admin.site._registry.items(), key=lambda kv: kv[0]._meta.label)
    ],
    ids=lambda model_admin: model_admin.model._meta.label,
)
def test_every_admin_of_a_model_with_a_service_saves_through_it(model_admin):
    labels = serviced_labels()
    request = _superuser_request()
    problems = []
    if model_admin.model._meta.label in labels and _editable(model_admin, request):
        saves = getattr(type(model_admin), "save_through_service", None)
        if not isinstance(model_admin, ServiceAdminMixin) or saves is ServiceAdminMixin.save_through_service:
            problems.append(
                f"{type(model_admin).__name__} saves {model_admin.model._meta.label} without its service"
            )
    for inline_class in model_admin.inlines:
        inline = inline_class(model_admin.model, admin.site)
        label = inline.model._meta.label
        if label not in labels or not _editable(inline, request):
            continue
        hook = f"save_{inline.model._meta.model_name}_through_service"
        if not (isinstance(model_admin, ServiceAdminMixin) and hasattr(model_admin, hook)):
            problems.append(
                f"{type(model_admin).__name__}'s {inline_class.__name__} saves {label} without {hook}"
            )
    assert problems == []
