"""Schemathesis against the live OpenAPI schema on the full demo data set: every operation, a fixed seed, no
server errors, and responses that conform to the schema (status codes, content types, bodies, headers); then every
record on the first page of every list, fetched one by one and checked against its detail schema, because
generated ids rarely name a record that exists."""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from jeonju_center.partners.scopes import SCOPES
from tests.api.support import one_of_each
from tests.partners.factories import PartnerCenterFactory, make_key

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data set (what partners meet: undecided reviews, blank optional choices, unpublished rows) and one
    record of each resource for the test partner, seeded once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", verbosity=0)
        partner = PartnerCenterFactory()
        one_of_each(partner)
        yield partner
        transaction.set_rollback(True)


@pytest.fixture
def api_key_header(demo_data, db):
    _, raw_key = make_key(*SCOPES, partner=demo_data)
    # Schemathesis calls the WSGI app directly: keep Django from closing the test's database connection
    # at the end of each request, as Django's own test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"Authorization": f"Api-Key {raw_key}"}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=12,
    derandomize=True,  # a fixed seed: the same cases on every run
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_conforms_to_the_schema(case, api_key_header):
    case.call_and_validate(headers=api_key_header, checks=CHECKS)


def test_every_listed_record_conforms_to_its_detail_schema(api_key_header):
    raw = schema.raw_schema
    checked = 0
    for path, methods in raw["paths"].items():
        if "get" not in methods or not path.endswith("/{id}/"):
            continue
        list_path = path.removesuffix("{id}/")
        listing = schema[list_path]["GET"].Case(query={"page_size": 50})
        response = listing.call_and_validate(headers=api_key_header, checks=CHECKS)
        ids = [str(row["id"]) for row in response.json()["results"]]
        assert ids, f"{list_path} lists nothing on the demo data"
        for record_id in ids:
            case = schema[path]["GET"].Case(path_parameters={"id": record_id})
            case.call_and_validate(headers=api_key_header, checks=CHECKS)
            checked += 1
    assert checked >= 100
