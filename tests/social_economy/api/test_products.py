"""The partner API's ``products``: list and detail, filters, ordering, ``updated_since``, CSV, queries."""

import datetime

import pytest

from social_economy.models import Product
from tests.api.support import assert_constant_queries

from ..factories import ProductCertificationFactory, ProductFactory
from .support import LONG_AGO, age_everything, assert_invalid, csv_rows, ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def products(organizations):
    haccp = ProductCertificationFactory(code="haccp", name="HACCP")
    social = ProductCertificationFactory(code="social", name="사회적기업 제품")
    lunch = ProductFactory(
        organization=organizations["certified"],
        name="유기농 도시락",
        kind=Product.Kind.GOODS,
        category=Product.Category.FOOD,
        description="제철 반찬",
        price=8000,
        unit="1개",
        is_public_procurement=False,
        certifications=[haccp],
    )
    lamp = ProductFactory(
        organization=organizations["cooperative"],
        name="한지 조명등",
        category=Product.Category.CRAFT_DESIGN,
        description="수제 조명",
        price=45000,
        is_public_procurement=True,
        is_active=False,
    )
    care = ProductFactory(
        organization=organizations["preliminary"],
        name="방문 돌봄",
        kind=Product.Kind.SERVICE,
        category=Product.Category.CARE,
        description="주 2회",
        price=None,
        is_public_procurement=True,
        certifications=[social, haccp],
    )
    # The organizations fixture's products are not part of these tests.
    Product.objects.exclude(pk__in=[lunch.pk, lamp.pk, care.pk]).delete()
    return {"lunch": lunch, "lamp": lamp, "care": care}


def test_products_list_and_detail(reader, products, organizations):
    response = reader.get("/api/v1/products/")
    assert response.json()["count"] == 3
    assert ids(response) == [products[k].pk for k in ("care", "lunch", "lamp")]  # by name
    row = response.json()["results"][0]
    assert row["name"] == "방문 돌봄"
    assert row["organization"] == organizations["preliminary"].pk
    assert row["organization_name"] == "마바 돌봄"
    assert row["kind"] == "service"
    assert row["kind_label"] == "서비스"
    assert row["category"] == "care"
    assert row["category_label"] == "돌봄 서비스"
    assert row["price"] is None
    assert row["public_procurement"] is True
    assert row["certifications"] == ["haccp", "social"]
    assert row["is_active"] is True
    detail = reader.get(f"/api/v1/products/{products['lunch'].pk}/").json()
    assert detail["price"] == 8000
    assert detail["unit"] == "1개"
    assert detail["certifications"] == ["haccp"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=craft", ["lamp"]),
        ("kind=service", ["care"]),
        ("public_procurement=true", ["care", "lamp"]),
        ("public_procurement=false", ["lunch"]),
        ("certification=social", ["care"]),
        ("certification=haccp", ["care", "lunch"]),
        ("min_price=10000", ["lamp"]),
        ("max_price=10000", ["lunch"]),
        ("min_price=8000&max_price=45000", ["lunch", "lamp"]),
        ("org_type=preliminary_se", ["care"]),
        ("q=조명", ["lamp"]),
        ("q=가나푸드", ["lunch"]),
        ("is_active=false", ["lamp"]),
        ("is_active=true", ["care", "lunch"]),
    ],
)
def test_product_filters(reader, products, query, expected):
    assert ids(reader.get(f"/api/v1/products/?{query}")) == [products[key].pk for key in expected]


def test_product_organization_and_dong_filters(reader, products, organizations):
    cooperative = organizations["cooperative"]
    assert ids(reader.get(f"/api/v1/products/?organization={cooperative.pk}")) == [products["lamp"].pk]
    assert ids(reader.get(f"/api/v1/products/?dong={cooperative.dong_id}")) == [products["lamp"].pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("organization=999999", "organization"),
        ("category=toys", "category"),
        ("kind=both", "kind"),
        ("public_procurement=maybe", "public_procurement"),
        ("certification=unknown", "certification"),
        ("min_price=cheap", "min_price"),
        ("max_price=dear", "max_price"),
        ("dong=abc", "dong"),
        ("org_type=bank", "org_type"),
        ("is_active=perhaps", "is_active"),
        ("ordering=organization__representative_name", "ordering"),
    ],
)
def test_product_invalid_filters_are_400(reader, query, field):
    assert_invalid(reader.get(f"/api/v1/products/?{query}"), field)


def test_product_ordering(reader, products):
    # Products without a price are left out: NULLs sort differently on SQLite and PostgreSQL.
    assert ids(reader.get("/api/v1/products/?ordering=-price&min_price=0")) == [
        products["lamp"].pk,
        products["lunch"].pk,
    ]
    assert ids(reader.get("/api/v1/products/?ordering=-name")) == [
        products[k].pk for k in ("lamp", "lunch", "care")
    ]


def test_product_updated_since(reader, products):
    age_everything(Product)
    products["care"].save()
    since = (LONG_AGO + datetime.timedelta(days=1)).isoformat()
    assert ids(reader.get("/api/v1/products/", {"updated_since": since})) == [products["care"].pk]


def test_product_csv_puts_certifications_in_one_column(reader, products):
    rows = csv_rows(reader.get("/api/v1/products/?format=csv"))
    assert [row["name"] for row in rows] == ["방문 돌봄", "유기농 도시락", "한지 조명등"]
    assert rows[0]["certifications"] == "haccp;social"
    assert rows[0]["organization_name"] == "마바 돌봄"
    assert not any(column.startswith("certifications.") for column in rows[0])


def test_product_list_query_count_is_constant(reader):
    certifications = [ProductCertificationFactory(), ProductCertificationFactory()]

    def add_rows(n):
        for _ in range(n):
            ProductFactory(certifications=certifications)

    assert_constant_queries(reader, "/api/v1/products/", add_rows)
