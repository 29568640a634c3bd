"""Which models feed which API resources of the change feed (``/api/v1/changes/``).

Each app declares ``FEED_SOURCES`` in ``<app>/api/feed.py``; the scope needed to read a resource is the
``read_scope`` of the viewset registered for it (public resources need none).
"""

from importlib import import_module

from jeonju_center.partners.changes import extra_read_scopes, track
from jeonju_center.partners.models import PartnerAPIKey

RESOURCE_SCOPES: dict[str, str | None] = {}


def readable_resources(request):
    if isinstance(request.auth, PartnerAPIKey):
        scopes = set(request.auth.scopes)
        return [r for r, allowed in RESOURCE_SCOPES.items() if allowed is None or allowed & scopes]
    return list(RESOURCE_SCOPES)


def connect():
    from .urls import API_APPS, all_routes

    routes = all_routes()
    for app in API_APPS:
        try:
            module = import_module(f"{app}.api.feed")
        except ModuleNotFoundError as error:
            if error.name not in {f"{app}.api.feed", f"{app}.api"}:
                raise
            continue
        track(*module.FEED_SOURCES)
    for prefix, viewset, _basename in routes:
        public = getattr(viewset, "public_read", False)
        RESOURCE_SCOPES[prefix] = None if public else {viewset.read_scope, *extra_read_scopes(prefix)}
    unknown = {source.resource for source in _tracked()} - set(RESOURCE_SCOPES)
    if unknown:
        raise RuntimeError(f"feed sources name resources without an API route: {sorted(unknown)}")


def _tracked():
    from jeonju_center.partners.changes import _sources

    return _sources
