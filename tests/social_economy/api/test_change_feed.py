"""The social-economy rows feed the partner API's change feed (``/api/v1/changes/``)."""

import pytest

from tests.api.support import partner_client

from ..factories import (
    ConsultingCaseFactory,
    ConsultingSessionFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    ProductFactory,
    StoreFactory,
    StoreListingFactory,
    SurveyCampaignFactory,
    SurveyResponseFactory,
)
from .support import events_since, last_event_id

pytestmark = pytest.mark.django_db


OWN_SOURCES = [
    ("organizations", OrganizationFactory, None),
    ("products", ProductFactory, None),
    ("survey-campaigns", SurveyCampaignFactory, None),
    ("survey-campaigns", SurveyResponseFactory, "campaign_id"),
    ("stores", StoreFactory, None),
    ("stores", StoreListingFactory, "store_id"),
    ("consulting-cases", ConsultingCaseFactory, None),
    ("consulting-cases", ConsultingSessionFactory, "case_id"),
    ("networks", NetworkFactory, None),
    ("networks", NetworkMembershipFactory, "network_id"),
]


@pytest.mark.parametrize(("resource", "factory", "parent"), OWN_SOURCES)
def test_saves_and_deletes_feed_the_change_events(resource, factory, parent):
    start = last_event_id()
    obj = factory()
    target = str(getattr(obj, parent) if parent else obj.pk)
    if parent:
        # The parent's own creation (by the sub-factory) comes first, then the child's "updated".
        assert events_since(start, resource)[-1] == (target, "updated")
    else:
        assert events_since(start, resource) == [(target, "created")]
    start = last_event_id()
    obj.save()
    assert events_since(start, resource) == [(target, "updated")]
    start = last_event_id()
    obj.delete()
    assert events_since(start, resource) == [(target, "updated" if parent else "deleted")]


def test_the_change_feed_endpoint_lists_social_economy_events(reader):
    organization = OrganizationFactory()
    product = ProductFactory(organization=organization)
    response = reader.get("/api/v1/changes/?resource=products")
    assert response.status_code == 200
    assert [(e["id"], e["action"]) for e in response.json()["results"]] == [(str(product.pk), "created")]
    organizations = reader.get("/api/v1/changes/?resource=organizations").json()["results"]
    assert [(e["id"], e["action"]) for e in organizations] == [(str(organization.pk), "created")]
    assert partner_client("ondure:read").get("/api/v1/changes/?resource=products").status_code == 403
