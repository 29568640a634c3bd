"""The partner API's ``organizations``: public fields, filters, ordering, ``updated_since``, CSV, queries."""

import datetime

import pytest

from social_economy.models import Organization
from tests.api.support import assert_constant_queries

from ..factories import OrganizationFactory, ProductFactory
from .support import LONG_AGO, age_everything, assert_invalid, csv_rows, ids

pytestmark = pytest.mark.django_db


def test_organizations_list_shows_public_fields_and_counts_active_products(reader, organizations):
    response = reader.get("/api/v1/organizations/")
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert ids(response) == [organizations[k].pk for k in ("certified", "cooperative", "preliminary")]
    row = body["results"][0]
    certified = organizations["certified"]
    assert row["name"] == "가나푸드"
    assert row["org_type"] == "certified_se"
    assert row["org_type_label"] == "인증 사회적기업"
    assert row["sector"] == "food"
    assert row["sector_label"] == "식품·외식"
    assert row["dong"] == certified.dong_id
    assert row["dong_name"] == "풍남동"
    assert row["status"] == "operating"
    assert row["status_label"] == "운영 중"
    assert row["certification_number"] == "제2015-101호"
    assert row["certified_on"] == "2015-06-01"
    assert row["certification_expires_on"] == "2027-06-30"
    assert row["designating_body"] == "고용노동부"
    assert row["social_purpose_type"] == "job_creation"
    assert row["social_purpose_type_label"] == "일자리제공형"
    assert row["business_registration_number"] == certified.business_registration_number
    assert row["phone"] == "063-281-1234"
    assert row["employees_count"] == 20
    assert row["vulnerable_employees_count"] == 12
    assert row["product_count"] == 2
    cooperative_row = body["results"][1]
    assert cooperative_row["members_count"] == 12
    assert cooperative_row["cooperative_authority"] == "전북특별자치도"
    assert cooperative_row["product_count"] == 0
    assert body["results"][2]["preliminary_kind_label"] == "지역형"


def test_organizations_never_show_the_representative(reader, organizations):
    content = reader.get("/api/v1/organizations/").content.decode()
    content += reader.get(f"/api/v1/organizations/{organizations['certified'].pk}/").content.decode()
    content += reader.get("/api/v1/organizations/?format=csv").content.decode("utf-8-sig")
    assert "representative" not in content
    for name in ("홍길순", "김철수", "이영희"):
        assert name not in content


def test_organization_detail(reader, organizations):
    cooperative = organizations["cooperative"]
    response = reader.get(f"/api/v1/organizations/{cooperative.pk}/")
    assert response.status_code == 200
    assert response.json()["name"] == "다라 한지공예협동조합"
    assert response.json()["status_label"] == "휴업"
    assert "Last-Modified" in response
    assert reader.get("/api/v1/organizations/999999/").status_code == 404


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("org_type=cooperative", ["cooperative"]),
        ("sector=care", ["preliminary"]),
        ("status=suspended", ["cooperative"]),
        ("q=도시락", ["certified"]),
        ("q=한지공예", ["cooperative"]),
        ("certification_expires_before=2027-01-01", ["preliminary"]),
        ("certification_expires_before=2028-01-01", ["certified", "preliminary"]),
    ],
)
def test_organization_filters(reader, organizations, query, expected):
    response = reader.get(f"/api/v1/organizations/?{query}")
    assert ids(response) == [organizations[key].pk for key in expected]


def test_organization_dong_filter(reader, organizations):
    dong = organizations["cooperative"].dong_id
    assert ids(reader.get(f"/api/v1/organizations/?dong={dong}")) == [organizations["cooperative"].pk]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("org_type=bank", "org_type"),
        ("sector=mining", "sector"),
        ("dong=999999", "dong"),
        ("dong=abc", "dong"),
        ("status=open", "status"),
        ("certification_expires_before=next-year", "certification_expires_before"),
        ("ordering=representative_name", "ordering"),
        ("updated_since=yesterday", "updated_since"),
    ],
)
def test_organization_invalid_filters_are_400(reader, query, field):
    assert_invalid(reader.get(f"/api/v1/organizations/?{query}"), field)


def test_organization_ordering(reader, organizations):
    by_employees = ids(reader.get("/api/v1/organizations/?ordering=-employees_count"))
    assert by_employees == [organizations[k].pk for k in ("certified", "preliminary", "cooperative")]
    by_name = ids(reader.get("/api/v1/organizations/?ordering=-name"))
    assert by_name == [organizations[k].pk for k in ("preliminary", "cooperative", "certified")]


def test_organization_updated_since(reader, organizations):
    age_everything(Organization)
    organizations["cooperative"].save()
    since = (LONG_AGO + datetime.timedelta(days=1)).isoformat()
    assert ids(reader.get("/api/v1/organizations/", {"updated_since": since})) == [
        organizations["cooperative"].pk
    ]


def test_organization_csv(reader, organizations):
    rows = csv_rows(reader.get("/api/v1/organizations/?format=csv&org_type=certified_se"))
    assert len(rows) == 1
    assert rows[0]["name"] == "가나푸드"
    assert rows[0]["org_type_label"] == "인증 사회적기업"
    assert rows[0]["product_count"] == "2"


def test_organization_list_query_count_is_constant(reader):
    def add_rows(n):
        for _ in range(n):
            ProductFactory(organization=OrganizationFactory())

    assert_constant_queries(reader, "/api/v1/organizations/", add_rows)
