"""The partner API's two ways through a list (``jeonju_center/api/pagination.py``): page numbers whose total is
counted once per data version, and a cursor in id order that never skips or repeats a row while rows come
and go."""

import queue
import threading

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from social_economy.models import Product
from tests.api.support import partner_client
from tests.social_economy.factories import OrganizationFactory, ProductFactory

URL = "/api/v1/products/"
READ = "social_economy:read"


def _counts(queries):
    return [query["sql"] for query in queries if query["sql"].lstrip().upper().startswith("SELECT COUNT(")]


def _walk(client, query=""):
    """Every page of the cursor walk: (ids in the order seen, the pages' bodies)."""
    seen, pages = [], []
    url = f"{URL}?cursor=&page_size=3{query}"
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content[:300]
        body = response.json()
        pages.append(body)
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    return seen, pages


@pytest.mark.django_db
def test_the_cursor_walk_gives_every_row_once_in_id_order_and_counts_nothing():
    organization = OrganizationFactory()
    products = ProductFactory.create_batch(8, organization=organization)
    client = partner_client(READ)
    client.get(URL)  # a key's first use records its last use
    with CaptureQueriesContext(connection) as queries:
        seen, pages = _walk(client)
    assert seen == sorted(product.pk for product in products)
    assert [len(page["results"]) for page in pages] == [3, 3, 2]
    assert all(set(page) == {"next", "previous", "results"} for page in pages)
    assert _counts(queries) == []

    # A filter narrows the walk like the page-number list.
    kept = products[:2]
    for number, product in enumerate(kept):
        Product.objects.filter(pk=product.pk).update(name=f"전주 비빔 소스 {number}")
    assert _walk(client, "&q=비빔")[0] == [p.pk for p in kept]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "field"),
    [("cursor=bz1hYmM=", "cursor"), ("cursor=&page=2", "page"), ("cursor=&ordering=-name", "ordering")],
)
def test_a_bad_cursor_or_a_page_with_a_cursor_is_refused_with_a_message(query, field):
    response = partner_client(READ).get(f"{URL}?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and list(body["errors"]) == [field]
    assert "cursor" in body["errors"][field][0]


@pytest.mark.django_db
def test_the_total_is_counted_once_per_data_version_and_filter():
    ProductFactory.create_batch(5, organization=OrganizationFactory())
    client = partner_client(READ)
    client.get(URL)  # a key's first use records its last use
    cache.clear()  # that request counted already
    with CaptureQueriesContext(connection) as queries:
        first = client.get(f"{URL}?page_size=2").json()
        second = client.get(f"{URL}?page_size=2&page=2").json()
        third = client.get(f"{URL}?page_size=2&page=3").json()
    assert (first["count"], second["count"], third["count"]) == (5, 5, 5)
    assert len(_counts(queries)) == 1

    # Another filter is another total; a change to the data is a new version, counted again.
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"{URL}?page_size=2&q=없는이름").json()["count"] == 0
        ProductFactory(organization=OrganizationFactory())
        assert client.get(f"{URL}?page_size=2&page=2").json()["count"] == 6
        assert client.get(f"{URL}?page_size=2&page=3").json()["count"] == 6
    assert len(_counts(queries)) == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_cursor_never_skips_nor_repeats_a_row_while_others_are_inserted_and_deleted():
    organization = OrganizationFactory()
    # Rows that stay, interleaved with rows another process deletes during the walk: with offsets, each
    # deletion behind the walk would shift a staying row onto a page already read.
    staying, doomed = set(), []
    for number in range(40):
        product = ProductFactory(organization=organization)
        (doomed.append(product) if number % 3 == 0 else staying.add(product.pk))
    client = partner_client(READ)
    turns, done, errors = queue.Queue(), queue.Queue(), []

    def other_process():
        """On its own connection: after each page read, deletes a row behind the walk and inserts a new one."""
        try:
            while turns.get() is not None:
                if doomed:
                    doomed.pop(0).delete()
                ProductFactory(organization=organization)
                done.put(True)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)
            done.put(False)
        finally:
            connections.close_all()

    writer = threading.Thread(target=other_process)
    writer.start()
    seen = []
    try:
        url = f"{URL}?cursor=&page_size=4"
        while url:
            body = client.get(url).json()
            seen += [row["id"] for row in body["results"]]
            url = body["next"]
            turns.put(True)
            assert done.get(timeout=30)
    finally:
        turns.put(None)
        writer.join()
    assert errors == []
    assert len(seen) == len(set(seen)), "a row was repeated"
    assert staying <= set(seen), "a row present throughout was skipped"
    assert seen == sorted(seen)
