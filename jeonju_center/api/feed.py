"""Which models feed which API resources of the change feed (``/api/v1/changes/``).

Each app declares ``FEED_SOURCES`` in ``<app>/api/feed.py``; the scope needed to read a resource is the
``read_scope`` of the viewset registered for it (public resources need none).
"""

from jeonju_center.partners.changes import extra_read_scopes, track, tracked_sources
from jeonju_center.partners.models import PartnerAPIKey
from jeonju_center.partners.permissions import staff_may_use

from .routes import all_feed_sources, all_routes

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
    track(*all_feed_sources())
    for prefix, viewset, _basename in all_routes():
        public = getattr(viewset, "public_read", False)
        RESOURCE_SCOPES[prefix] = None if public else {viewset.read_scope, *extra_read_scopes(prefix)}
        RESOURCE_MODELS[prefix] = viewset.serializer_class.Meta.model
    unknown = {source.resource for source in tracked_sources()} - set(RESOURCE_SCOPES)
    if unknown:
        raise RuntimeError(f"feed sources name resources without an API route: {sorted(unknown)}")
