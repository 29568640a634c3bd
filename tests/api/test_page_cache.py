"""A product list page is served from the cache while the committed data is the same (``cache_pages``):
the same data version gives the same page, any change gives a new one, and who reads is part of the key."""

import hashlib

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from social_economy.models import Organization, Product
from tests.api.support import partner_client
from tests.social_economy.factories import OrganizationFactory, ProductFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/products/?page_size=2"
READ = "social_economy:read"


def _product_reads(queries):
    return [query for query in queries if 'FROM "social_economy_product"' in query["sql"]]


def _names(response):
    assert response.status_code == 200, response.content[:300]
    return [row["name"] for row in response.json()["results"]]


def test_a_page_is_read_once_per_data_version_and_every_change_is_seen_at_once():
    organization = OrganizationFactory(name="가나푸드")
    ProductFactory(organization=organization, name="도시락")
    ProductFactory(organization=organization, name="반찬")
    client = partner_client(READ)
    first = client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(URL)
    assert again.content == first.content  # the bytes DRF rendered, sent again
    assert again["Content-Type"] == first["Content-Type"] == "application/json"
    assert _product_reads(queries) == []
    # One query in all: the partner's key, with the data version read in the same statement.
    assert len(queries) == 1, [query["sql"] for query in queries]
    # The ETag is the one ConditionalGetMiddleware would compute, kept with the page: a poll that has it is a 304.
    assert again["ETag"] == first["ETag"] == f'"{hashlib.md5(first.content).hexdigest()}"'
    assert client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    # A product's change, a new product and the organization's new name (shown on its products) are each
    # a new version: the next read has them.
    Product.objects.filter(name="반찬").update(price=9000)
    assert [row["price"] for row in client.get(URL).json()["results"]] == [45000, 9000]
    ProductFactory(organization=organization, name="가래떡")
    assert _names(client.get(URL)) == ["가래떡", "도시락"]
    organization.name = "가나다푸드"
    organization.save()
    assert {row["organization_name"] for row in client.get(URL).json()["results"]} == {"가나다푸드"}
    Organization.objects.all()  # (no write: the version stays, and so does the page)
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    assert _product_reads(queries) == []


def test_the_process_keeps_its_own_copy_of_a_page_and_a_new_version_replaces_it():
    from django.core.cache import cache, caches

    organization = OrganizationFactory(name="가나푸드")
    ProductFactory(organization=organization, name="도시락")
    client = partner_client(READ)
    first = client.get(URL)
    cache.clear()  # the shared cache (Redis in production) lost it, or another process never had it
    with CaptureQueriesContext(connection) as queries:
        again = client.get(URL)
    assert again.content == first.content and _product_reads(queries) == []
    caches[settings.LOCAL_PAGE_CACHE].clear()
    ProductFactory(organization=organization, name="가래떡")
    assert _names(client.get(URL)) == ["가래떡", "도시락"]  # new version: read, and kept in both caches
    caches[settings.LOCAL_PAGE_CACHE].clear()
    with CaptureQueriesContext(connection) as queries:
        assert _names(client.get(URL)) == ["가래떡", "도시락"]
    assert _product_reads(queries) == []  # from the shared cache


def test_the_page_is_kept_per_reader_query_and_language():
    ProductFactory.create_batch(3, organization=OrganizationFactory())
    reader, other = partner_client(READ), partner_client(READ, "consulting:write")
    pages = [reader.get(URL).json(), reader.get(f"{URL}&page=2").json()]
    assert [len(page["results"]) for page in pages] == [2, 1]
    with CaptureQueriesContext(connection) as queries:
        other.get(URL)
        reader.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the language switch
        english = reader.get(URL).json()
    assert len(_product_reads(queries)) == 2
    assert english["results"][0]["category_label"] != pages[0]["results"][0]["category_label"]


def test_the_browsable_api_is_not_served_from_the_cache():
    ProductFactory(organization=OrganizationFactory(), name="도시락")
    client = partner_client(READ)
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(URL, HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert "도시락" in page.content.decode()
    assert _product_reads(queries) != []


def test_an_organization_is_read_once_per_data_version_with_its_last_change_and_every_change_is_seen():
    organization = OrganizationFactory(name="가나푸드")
    ProductFactory(organization=organization, name="도시락")
    client = partner_client(READ)
    url = f"/api/v1/organizations/{organization.pk}/"
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url)
    assert again.content == first.content
    assert again["Last-Modified"] == first["Last-Modified"]
    assert not [query for query in queries if 'FROM "social_economy_organization"' in query["sql"]]

    # A new product of the organization is a new version: its count is seen at once.
    ProductFactory(organization=organization, name="반찬")
    assert client.get(url).json()["product_count"] == 2
    Organization.objects.filter(pk=organization.pk).update(name="가나다푸드")
    assert client.get(url).json()["name"] == "가나다푸드"
    # A record that does not exist is not kept: it is looked up (and refused) every time.
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/organizations/999999/").status_code == 404
        assert [query for query in queries if 'FROM "social_economy_organization"' in query["sql"]]
