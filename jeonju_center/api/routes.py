"""The partner API's registry: every installed app that has an ``api/urls.py`` lists its resources there as
``ROUTES`` (and, when its records feed the change feed, ``api/feed.py`` its ``FEED_SOURCES``). The API
package finds them here, so it names no domain app and the URL conf, the change feed and the views do not
import one another."""

from importlib import import_module

from django.apps import apps


def app_api_modules(name):
    """``<app>.api.<name>`` of every installed app that has one, in ``INSTALLED_APPS`` order."""
    modules = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.api.{name}"
        try:
            modules.append(import_module(module_name))
        except ModuleNotFoundError as error:
            if error.name not in {module_name, f"{config.name}.api"}:
                raise
    return modules


def all_routes():
    """``(prefix, viewset, basename)`` of every resource of the API."""
    return [
        route for module in app_api_modules("urls") if hasattr(module, "ROUTES") for route in module.ROUTES
    ]


def all_feed_sources():
    return [
        source
        for module in app_api_modules("feed")
        if hasattr(module, "FEED_SOURCES")
        for source in module.FEED_SOURCES
    ]
