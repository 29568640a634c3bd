"""Every regeneration resource of the partner API needs the ``regeneration:read`` scope and refuses bad
ordering or ``updated_since`` values."""

import pytest
from rest_framework.test import APIClient

from tests.api.support import partner_client

from ..factories import (
    ActivationAreaFactory,
    CouncilMeetingFactory,
    HousingProgramFactory,
    ResidentCouncilFactory,
    VacantHouseFactory,
)
from .support import assert_invalid

pytestmark = pytest.mark.django_db


LIST_URLS = [
    "/api/v1/areas/",
    "/api/v1/vacant-houses/",
    "/api/v1/housing-programs/",
    "/api/v1/councils/",
    "/api/v1/council-meetings/",
]


@pytest.mark.parametrize("url", LIST_URLS)
def test_lists_need_a_key_with_the_regeneration_scope(url):
    assert APIClient().get(url).status_code == 401
    response = partner_client("courses:read", "ondure:read").get(url)
    assert response.status_code == 403
    assert "regeneration:read" in response.json()["detail"]
    assert partner_client("regeneration:read").get(url).status_code == 200


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/api/v1/areas/{}/", lambda: ActivationAreaFactory()),
        ("/api/v1/vacant-houses/{}/", lambda: VacantHouseFactory()),
        ("/api/v1/housing-programs/{}/", lambda: HousingProgramFactory()),
        ("/api/v1/councils/{}/", lambda: ResidentCouncilFactory()),
        ("/api/v1/council-meetings/{}/", lambda: CouncilMeetingFactory(published=True)),
    ],
)
def test_details_need_the_scope_too(url, make):
    url = url.format(make().pk)
    assert APIClient().get(url).status_code == 401
    assert partner_client("social_economy:read").get(url).status_code == 403
    assert partner_client("regeneration:read").get(url).status_code == 200


@pytest.mark.parametrize("url", LIST_URLS)
def test_unknown_ordering_and_bad_updated_since_are_400(api, url):
    assert_invalid(api, url, {"ordering": "owner_name"}, "ordering")
    assert_invalid(api, url, {"updated_since": "yesterday"}, "updated_since")
