"""The social-economy partner API needs a key with the ``social_economy:read`` scope."""

import pytest
from rest_framework.test import APIClient

from tests.api.support import partner_client

from ..factories import SurveyCampaignFactory
from .support import READ

pytestmark = pytest.mark.django_db


LIST_URLS = [
    "/api/v1/organizations/",
    "/api/v1/products/",
    "/api/v1/survey-campaigns/",
    "/api/v1/stores/",
    "/api/v1/consulting-cases/",
    "/api/v1/networks/",
]


@pytest.mark.parametrize("url", LIST_URLS)
def test_every_list_needs_a_key_with_the_social_economy_scope(url):
    assert APIClient().get(url).status_code == 401
    response = partner_client("ondure:read").get(url)
    assert response.status_code == 403
    assert READ in response.json()["detail"]
    assert partner_client(READ).get(url).status_code == 200


def test_survey_summary_needs_the_scope():
    campaign = SurveyCampaignFactory()
    url = f"/api/v1/survey-campaigns/{campaign.pk}/summary/"
    assert APIClient().get(url).status_code == 401
    assert partner_client("courses:read").get(url).status_code == 403
    assert partner_client(READ).get(url).status_code == 200
