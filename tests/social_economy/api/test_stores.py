"""The partner API's ``stores`` with their open listings."""

import datetime

import pytest

from social_economy.models import Store
from tests.api.support import assert_constant_queries

from ..factories import DongFactory, OrganizationFactory, ProductFactory, StoreFactory, StoreListingFactory
from .support import LONG_AGO, age_everything, assert_invalid, csv_rows, ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def stores():
    pilot = StoreFactory(name="사회적경제 시범매장", kind=Store.Kind.PILOT, dong=DongFactory(name="풍남동"))
    direct = StoreFactory(name="전주푸드 효자점", dong=DongFactory(name="효자4동"), is_active=False)
    jam = ProductFactory(name="딸기잼", organization=OrganizationFactory(name="잼협동조합"))
    StoreListingFactory(store=pilot, product=jam, shelf_price=9000, listed_on=datetime.date(2024, 1, 2))
    StoreListingFactory(
        store=pilot,
        product=ProductFactory(name="퇴점한 상품"),
        listed_on=datetime.date(2023, 1, 2),
        delisted_on=datetime.date(2023, 6, 30),
    )
    return {"pilot": pilot, "direct": direct, "jam": jam}


def test_stores_list_nests_open_listings_only(reader, stores):
    response = reader.get("/api/v1/stores/")
    assert ids(response) == [stores["pilot"].pk, stores["direct"].pk]  # by name
    row = response.json()["results"][0]
    assert row["name"] == "사회적경제 시범매장"
    assert row["kind"] == "pilot"
    assert row["kind_label"] == "사회적경제생산품 시범매장"
    assert row["dong_name"] == "풍남동"
    assert row["operator"] == "(재)전주푸드"
    jam = stores["jam"]
    assert row["listings"] == [
        {
            "product": jam.pk,
            "product_name": "딸기잼",
            "organization": jam.organization_id,
            "organization_name": "잼협동조합",
            "shelf_price": 9000,
            "listed_on": "2024-01-02",
        }
    ]
    assert response.json()["results"][1]["listings"] == []
    detail = reader.get(f"/api/v1/stores/{stores['pilot'].pk}/").json()
    assert [listing["product_name"] for listing in detail["listings"]] == ["딸기잼"]


def test_store_filters_ordering_and_invalid_values(reader, stores):
    assert ids(reader.get("/api/v1/stores/?kind=pilot")) == [stores["pilot"].pk]
    assert ids(reader.get(f"/api/v1/stores/?dong={stores['direct'].dong_id}")) == [stores["direct"].pk]
    assert ids(reader.get("/api/v1/stores/?is_active=false")) == [stores["direct"].pk]
    assert ids(reader.get("/api/v1/stores/?ordering=-name")) == [stores["direct"].pk, stores["pilot"].pk]
    assert_invalid(reader.get("/api/v1/stores/?kind=mall"), "kind")
    assert_invalid(reader.get("/api/v1/stores/?dong=0"), "dong")
    assert_invalid(reader.get("/api/v1/stores/?is_active=sometimes"), "is_active")
    assert_invalid(reader.get("/api/v1/stores/?ordering=phone"), "ordering")


def test_store_updated_since(reader, stores):
    age_everything(Store)
    stores["direct"].save()
    since = (LONG_AGO + datetime.timedelta(days=1)).isoformat()
    assert ids(reader.get("/api/v1/stores/", {"updated_since": since})) == [stores["direct"].pk]


def test_store_csv_folds_listings(reader, stores):
    rows = csv_rows(reader.get("/api/v1/stores/?format=csv"))
    assert [(row["name"], row["listing_count"], row["listings"]) for row in rows] == [
        ("사회적경제 시범매장", "1", str(stores["jam"].pk)),
        ("전주푸드 효자점", "0", ""),
    ]
    assert not any(column.startswith("listings.") for column in rows[0])


def test_store_list_query_count_is_constant(reader):
    def add_rows(n):
        for _ in range(n):
            store = StoreFactory()
            StoreListingFactory(store=store)
            StoreListingFactory(store=store)

    assert_constant_queries(reader, "/api/v1/stores/", add_rows)
