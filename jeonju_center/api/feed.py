"""Which models feed which API resources of the change feed (``/api/v1/changes/``).

Each app declares ``FEED_SOURCES`` in ``<app>/api/feed.py``; the scope needed to read a resource is the
``read_scope`` of the viewset registered for it (public resources need none).
"""

from importlib import import_module

from jeonju_center.partners.changes import extra_read_scopes, track
from jeonju_center.partners.models import PartnerAPIKey
from jeonju_center.partners.permissions import staff_may_use

RESOURCE_SCOPES: dict[str, str | None] = {}


RESOURCE_MODELS: dict[str, type] = {}


def readable_resources(request):
    if isinstance(request.auth, PartnerAPIKey):
        scopes = set(request.auth.scopes)
        return [r for r, allowed in RESOURCE_SCOPES.items() if allowed is None or allowed & scopes]
    # A staff session: the public resources and those whose model the account may view in the back office.
    return [
        resource
        for resource, allowed in RESOURCE_SCOPES.items()
        if allowed is None or staff_may_use(request.user, "GET", RESOURCE_MODELS.get(resource))
    ]


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
        RESOURCE_MODELS[prefix] = viewset.serializer_class.Meta.model
    unknown = {source.resource for source in _tracked()} - set(RESOURCE_SCOPES)
    if unknown:
        raise RuntimeError(f"feed sources name resources without an API route: {sorted(unknown)}")


def _tracked():
    from jeonju_center.partners.changes import _sources

    return _sources
