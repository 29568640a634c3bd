"""The large lists (back office and partner API) run as many queries at 10,000 rows as at 10: no per-row query,
and no query whose number depends on the size of the table (counts, filters' choices, date drill-down)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jeonju_center.partners.scopes import SCOPES
from social_economy.models import Organization
from tests.api.support import partner_client
from tests.courses.factories import CourseFactory, EnrollmentFactory, UserFactory
from tests.regeneration.factories import VacantHouseFactory
from tests.social_economy.factories import DongFactory, OrganizationFactory, ProductFactory

pytestmark = pytest.mark.django_db

SMALL, LARGE = 10, 10_000


def _bulk(factory, count, **fixed):
    """``count`` rows of ``factory`` with ``fixed`` related rows, inserted in batches without their history."""
    model = factory._meta.model
    model.objects.bulk_create(factory.build_batch(count, **fixed), batch_size=2000)


def add_products(count):
    organization = Organization.objects.order_by("pk").first() or OrganizationFactory()
    _bulk(ProductFactory, count, organization=organization)


def add_organizations(count):
    _bulk(OrganizationFactory, count, dong=DongFactory())


def add_vacant_houses(count):
    _bulk(VacantHouseFactory, count, dong=DongFactory(name="풍남동"))


def add_enrollments(count):
    course, dong = CourseFactory(), DongFactory()
    users = UserFactory._meta.model.objects.bulk_create(
        UserFactory.build_batch(count, dong=dong), batch_size=2000
    )
    EnrollmentFactory._meta.model.objects.bulk_create(
        (EnrollmentFactory.build(course=course, user=user) for user in users), batch_size=2000
    )


ADMIN_LISTS = [
    ("admin:social_economy_product_changelist", add_products),
    ("admin:social_economy_organization_changelist", add_organizations),
    ("admin:courses_enrollment_changelist", add_enrollments),
    ("admin:regeneration_vacanthouse_changelist", add_vacant_houses),
]


def _queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return [query["sql"] for query in captured.captured_queries], response


@pytest.mark.parametrize(
    "kept", [pytest.param(False, id="drawn"), pytest.param(True, id="kept", marks=pytest.mark.postgres)]
)
@pytest.mark.parametrize(("url_name", "add_rows"), ADMIN_LISTS, ids=[name for name, _ in ADMIN_LISTS])
def test_a_large_changelist_runs_as_many_queries_at_10_000_rows_as_at_10(
    admin_client, settings, time_machine, url_name, add_rows, kept
):
    """Drawn (``BACKOFFICE_KEEP_LISTS`` off) and served again as kept (on PostgreSQL, where lists are kept),
    within one clock minute (the staff session is renewed on the first request of each)."""
    settings.BACKOFFICE_KEEP_LISTS = kept
    time_machine.move_to(timezone.now(), tick=False)
    url = reverse(url_name)
    add_rows(SMALL)
    admin_client.get(url)  # warm up the session and the content types (and keep the list)
    few, response = _queries(admin_client, url)
    assert (response.context is None) == kept
    if not kept:
        assert response.context["cl"].result_count >= SMALL
    add_rows(LARGE - SMALL)
    drawn, response = _queries(admin_client, url)  # the tables changed: drawn again
    assert response.context["cl"].result_count >= LARGE
    many, response = (drawn, response) if not kept else _queries(admin_client, url)
    assert (response.context is None) == kept
    assert len(many) == len(few), "\n".join(many)


API_LISTS = [
    ("/api/v1/products/", add_products),
    ("/api/v1/organizations/", add_organizations),
    ("/api/v1/vacant-houses/", add_vacant_houses),
]


@pytest.mark.parametrize(("url", "add_rows"), API_LISTS, ids=[url for url, _ in API_LISTS])
def test_a_large_api_list_runs_as_many_queries_at_10_000_rows_as_at_10(url, add_rows):
    client = partner_client(*SCOPES)
    url = f"{url}?page_size=100"
    client.get(url)  # a key's first use records its last-used time
    add_rows(SMALL)
    few, response = _queries(client, url)
    small_count = response.json()["count"]
    assert small_count >= SMALL
    add_rows(LARGE - SMALL)
    many, response = _queries(client, url)
    assert response.json()["count"] == small_count + LARGE - SMALL
    assert len(response.json()["results"]) == 100
    assert len(many) == len(few), "\n".join(many)
