"""Which models feed which API resources of the change feed (``/api/v1/changes/``).

Each app declares ``FEED_SOURCES`` in ``<app>/api/feed.py``; the scope needed to read a resource is the
``read_scope`` of the viewset registered for it (public resources need none).
"""

from importlib import import_module

from jeonju_center.partners.changes import track
from jeonju_center.partners.models import PartnerAPIKey

RESOURCE_SCOPES: dict[str, str | None] = {}


def readable_resources(request):
    if isinstance(request.auth, PartnerAPIKey):
        return [r for r, scope in RESOURCE_SCOPES.items() if scope is None or request.auth.has_scope(scope)]
    return list(RESOURCE_SCOPES)


def connect():
    from .urls import API_APPS, all_routes

    for prefix, viewset, _basename in all_routes():
        RESOURCE_SCOPES[prefix] = None if getattr(viewset, "public_read", False) else viewset.read_scope
    for app in API_APPS:
        try:
            module = import_module(f"{app}.api.feed")
        except ModuleNotFoundError as error:
            if error.name not in {f"{app}.api.feed", f"{app}.api"}:
                raise
            continue
        track(*module.FEED_SOURCES)
    unknown = {source.resource for source in _tracked()} - set(RESOURCE_SCOPES)
    if unknown:
        raise RuntimeError(f"feed sources name resources without an API route: {sorted(unknown)}")


def _tracked():
    from jeonju_center.partners.changes import _sources

    return _sources
