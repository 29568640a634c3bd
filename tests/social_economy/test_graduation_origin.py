"""An organization that grew out of an Ondure community shows that path on its public profile."""

import pytest
from django.urls import reverse

from tests.ondure.factories import CommunityFactory

pytestmark = pytest.mark.django_db


def test_profile_shows_the_community_it_graduated_from(client):
    community = CommunityFactory(graduated=True, name="풍남 손뜨개 공동체", cohort_year=2014)
    organization = community.graduated_organization
    response = client.get(reverse("social_economy:organization_detail", args=[organization.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "풍남 손뜨개 공동체" in html
    assert reverse("ondure:community_detail", args=[community.pk]) in html


def test_a_hidden_community_is_not_shown(client):
    community = CommunityFactory(graduated=True, name="비공개 공동체", is_public=False)
    response = client.get(
        reverse("social_economy:organization_detail", args=[community.graduated_organization.pk])
    )
    assert response.status_code == 200
    assert "비공개 공동체" not in response.content.decode()
