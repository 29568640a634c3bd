"""Which models feed which API resources of the change feed (``/api/v1/changes/``), and the scope
needed to read each resource."""

from jeonju_center.partners.changes import track
from jeonju_center.partners.models import PartnerAPIKey

# resource name → scope that reads it (None: public)
RESOURCE_SCOPES: dict[str, str | None] = {}

SOURCES = []


def readable_resources(request):
    if isinstance(request.auth, PartnerAPIKey):
        return [r for r, scope in RESOURCE_SCOPES.items() if scope is None or request.auth.has_scope(scope)]
    return list(RESOURCE_SCOPES)


def connect():
    track(*SOURCES)
