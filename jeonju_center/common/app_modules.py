"""How the project package uses the programs without importing them: each installed app declares what it
offers in a module of a known name, as an upper-case list (or dict), and the package reads the declarations
of every app that has the module, in ``INSTALLED_APPS`` order.

- ``api/urls.py`` ``ROUTES`` and ``api/feed.py`` ``FEED_SOURCES``: the partner API
  (``jeonju_center.api.routes``);
- ``sitemaps.py`` ``SITEMAPS``: ``/sitemap.xml`` (``jeonju_center.sitemaps``);
- ``search.py`` ``SEARCH_SOURCES``: ``/search/`` (``jeonju_center.search.sources``);
- ``home.py`` ``HOME_SECTIONS`` and ``newsletter.py`` ``NEWSLETTER_SECTIONS``: the home page and the
  newsletter (``jeonju_center.news.sections``).

Apps whose contribution is a function with a decorator (``dashboard.py``, ``retention.py``,
``reference.py``) are found by Django's ``autodiscover_modules`` instead; both ways import a module by name,
neither names an app.
"""

from importlib import import_module

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured


def _is_missing_part_of(missing, module_name, app_name):
    """The import failed because ``module_name`` (or a package on its way inside the app) does not exist,
    not because of an import inside it."""
    return missing == module_name or (
        missing.startswith(f"{app_name}.") and module_name.startswith(f"{missing}.")
    )


def app_modules(name):
    """``<app>.<name>`` of every installed app that has one, in ``INSTALLED_APPS`` order."""
    modules = []
    for config in apps.get_app_configs():
        module_name = f"{config.name}.{name}"
        try:
            modules.append(import_module(module_name))
        except ModuleNotFoundError as error:
            if not _is_missing_part_of(error.name or "", module_name, config.name):
                raise
    return modules


def app_declarations(name, attribute):
    """The items of every app's ``<app>.<name>.<attribute>`` list, in ``INSTALLED_APPS`` order."""
    return [item for module in app_modules(name) for item in getattr(module, attribute, ())]


def app_ordered_declarations(name, attribute):
    """``app_declarations`` of items with a ``key`` and an ``order`` (their place on a page), sorted by
    ``order``; two items with one key are a mistake."""
    items = app_declarations(name, attribute)
    keys = [item.key for item in items]
    duplicated = sorted({key for key in keys if keys.count(key) > 1})
    if duplicated:
        raise ImproperlyConfigured(f"{attribute}: {duplicated} declared twice")
    return sorted(items, key=lambda item: (item.order, item.key))


def app_declared_mapping(name, attribute):
    """Every app's ``<app>.<name>.<attribute>`` dict merged into one; two apps using one key is a mistake."""
    merged = {}
    for module in app_modules(name):
        for key, value in getattr(module, attribute, {}).items():
            if key in merged:
                raise ImproperlyConfigured(f"{module.__name__}.{attribute}: {key!r} is declared by two apps")
            merged[key] = value
    return merged
