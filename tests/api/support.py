"""Helpers for API tests of every app."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.partners.factories import make_key


def partner_client(*scopes, **key_options):
    """An APIClient authenticated with a new partner key holding ``scopes``."""
    _api_key, raw_key = make_key(*scopes, **key_options)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Api-Key {raw_key}")
    client.raw_key = raw_key
    return client


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return len(queries), response


def assert_constant_queries(client, url, add_rows, *, small=10, large=200):
    """The list at ``url`` runs as many queries with ``large`` rows as with ``small``.

    ``add_rows(n)`` creates n more rows that the list shows (with their related rows); the page size is
    raised so every row is serialised.
    """
    url = f"{url}{'&' if '?' in url else '?'}page_size=500"
    client.get(url)  # warm-up: a key's first use records its last-used time
    add_rows(small)
    few, response = count_queries(client, url)
    assert response.json()["count"] >= small
    add_rows(large - small)
    many, response = count_queries(client, url)
    assert response.json()["count"] >= large
    assert many == few, f"{url}: {few} queries at {small} rows, {many} at {large}"


def one_of_each(partner):
    """One public record of every API resource (consulting cases belong to ``partner``)."""
    from jeonju_center.common.models import Dong
    from tests.calls.factories import CallFactory
    from tests.courses.factories import CourseFactory, CourseSessionFactory
    from tests.ondure.factories import CommunityFactory, SupportProgramFactory
    from tests.regeneration.factories import (
        CouncilMeetingFactory,
        HousingProgramFactory,
        ResidentCouncilFactory,
        VacantHouseFactory,
    )
    from tests.social_economy.factories import (
        ConsultingCaseFactory,
        NetworkFactory,
        ProductFactory,
        StoreFactory,
        SurveyCampaignFactory,
    )

    course = CourseFactory()
    CourseSessionFactory(course=course)
    council = ResidentCouncilFactory()
    return {
        "districts": Dong.objects.create(name="매트릭스동", district="wansan"),
        "organizations": (product := ProductFactory()).organization,
        "products": product,
        "survey-campaigns": SurveyCampaignFactory(),
        "stores": StoreFactory(),
        "consulting-cases": ConsultingCaseFactory(partner=partner),
        "networks": NetworkFactory(),
        "communities": CommunityFactory(is_public=True),
        "support-programs": SupportProgramFactory(),
        "areas": council.area,
        "vacant-houses": VacantHouseFactory(),
        "housing-programs": HousingProgramFactory(),
        "councils": council,
        "council-meetings": CouncilMeetingFactory(council=council, published=True),
        "courses": course,
        "calls": CallFactory(),
    }
