"""Schemathesis against the live OpenAPI schema: every operation, a fixed seed, no server errors, and
responses that conform to the schema (status codes, content types, bodies, headers)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
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


@pytest.fixture
def api_key_header(db):
    partner = PartnerCenterFactory()
    one_of_each(partner)
    _, raw_key = make_key(*SCOPES, partner=partner)
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
    case.call_and_validate(
        headers=api_key_header,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
            response_headers_conformance,
        ],
    )
