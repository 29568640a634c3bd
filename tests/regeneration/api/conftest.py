"""Fixtures of the regeneration partner API tests."""

import pytest

from tests.api.support import partner_client


@pytest.fixture
def api():
    return partner_client("regeneration:read")
