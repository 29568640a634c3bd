"""Public pages: organization directory and profile, product catalogue (착한 소비) and product page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from social_economy.models import OrganizationStatus, OrganizationType, Product, Store

from .factories import (
    CertifiedSocialEnterpriseFactory,
    DongFactory,
    OrganizationFactory,
    ProductCertificationFactory,
    ProductFactory,
    StoreFactory,
    StoreListingFactory,
)

pytestmark = pytest.mark.django_db


def _names(response, key="page"):
    return [obj.name for obj in response.context[key].object_list]


def test_directory_lists_organizations_with_and_without_products_but_not_closed_ones(client):
    with_products = ProductFactory().organization
    without = OrganizationFactory(name="생산품 없는 조합")
    OrganizationFactory(
        name="폐업 조합", status=OrganizationStatus.CLOSED, closed_on=datetime.date(2020, 1, 1)
    )
    response = client.get(reverse("social_economy:directory"))
    assert response.status_code == 200
    assert sorted(_names(response)) == sorted([with_products.name, without.name])
    assert "등록된 생산품·서비스가 없습니다" in response.content.decode()


def test_directory_filters_by_type_and_text_and_reports_bad_values(client):
    cooperative = OrganizationFactory(name="한지 협동조합")
    CertifiedSocialEnterpriseFactory(name="나눔 푸드")
    url = reverse("social_economy:directory")
    assert _names(client.get(url, {"org_type": "cooperative"})) == [cooperative.name]
    assert _names(client.get(url, {"q": "나눔"})) == ["나눔 푸드"]
    response = client.get(url, {"org_type": "nonsense"})
    assert response.status_code == 200
    assert _names(response) == []
    assert "올바르게 선택해 주세요" in response.content.decode()


def test_organization_profile_shows_products_and_where_to_buy(client):
    listing = StoreListingFactory(store__name="전주푸드 직매장 1호점", shelf_price=46000)
    organization = listing.product.organization
    response = client.get(reverse("social_economy:organization_detail", args=[organization.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert listing.product.name in html and "전주푸드 직매장 1호점" in html


def test_closed_organization_and_inactive_product_pages_are_not_found(client):
    closed = OrganizationFactory(status=OrganizationStatus.CLOSED, closed_on=datetime.date(2020, 1, 1))
    assert client.get(reverse("social_economy:organization_detail", args=[closed.pk])).status_code == 404
    hidden = ProductFactory(is_active=False)
    assert client.get(reverse("social_economy:product_detail", args=[hidden.pk])).status_code == 404


def test_catalogue_filters_by_category_type_dong_and_store(client):
    dong = DongFactory(name="팔복동")
    food = ProductFactory(
        name="콩나물 반찬",
        category=Product.Category.FOOD,
        organization=CertifiedSocialEnterpriseFactory(dong=dong),
    )
    craft = ProductFactory(name="한지 부채", category=Product.Category.CRAFT_DESIGN)
    ProductFactory(name="판매 중지", is_active=False, category=Product.Category.FOOD)
    StoreListingFactory(product=craft)
    StoreListingFactory(product=food, delisted_on=datetime.date(2018, 1, 1))
    url = reverse("social_economy:products")
    assert _names(client.get(url, {"category": "food"})) == ["콩나물 반찬"]
    assert _names(client.get(url, {"org_type": OrganizationType.CERTIFIED_SOCIAL_ENTERPRISE})) == [
        "콩나물 반찬"
    ]
    assert _names(client.get(url, {"dong": dong.pk})) == ["콩나물 반찬"]
    assert _names(client.get(url, {"sold_at_store": "true"})) == ["한지 부채"]
    assert _names(client.get(url, {"sold_at_store": "false"})) == ["콩나물 반찬"]
    bad = client.get(url, {"sold_at_store": "maybe"})
    assert bad.status_code == 200 and _names(bad) == []
    assert "true 또는 false여야 합니다." in bad.content.decode()


def test_product_page_shows_certification_badges_and_stores(client):
    haccp = ProductCertificationFactory(name="HACCP")
    product = ProductFactory(name="전주 비빔밥 소스", certifications=[haccp])
    StoreListingFactory(
        product=product, store=StoreFactory(name="사회적경제 시범매장", kind=Store.Kind.PILOT)
    )
    html = client.get(reverse("social_economy:product_detail", args=[product.pk])).content.decode()
    assert 'class="badge badge-cert">HACCP<' in html
    assert "사회적경제 시범매장" in html and "살 수 있는 곳" in html


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _add_products(count):
    certification = ProductCertificationFactory()
    for _ in range(count):
        product = ProductFactory(certifications=[certification])
        StoreListingFactory(product=product)
        OrganizationFactory()


@pytest.mark.parametrize("name", ["directory", "products"])
def test_public_lists_run_a_constant_number_of_queries(client, name):
    url = reverse(f"social_economy:{name}")
    _add_products(3)
    small = _count(client, url)
    _add_products(9)
    assert _count(client, url) == small


def test_organization_profile_runs_a_constant_number_of_queries(client):
    organization = OrganizationFactory()
    url = reverse("social_economy:organization_detail", args=[organization.pk])
    ProductFactory(organization=organization, certifications=[ProductCertificationFactory()])
    small = _count(client, url)
    for _ in range(5):
        StoreListingFactory(
            product=ProductFactory(organization=organization, certifications=[ProductCertificationFactory()])
        )
    assert _count(client, url) == small
