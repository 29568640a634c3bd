"""The social-economy resources of the partner API."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from jeonju_center.partners.models import ChangeEvent, IdempotencyRecord
from social_economy import services
from social_economy.models import (
    ConsultingCase,
    ConsultingSession,
    Network,
    Organization,
    OrganizationStatus,
    Product,
    Sector,
    Store,
    SurveyCampaign,
    SurveyResponse,
)
from tests.api.support import assert_constant_queries, partner_client

from .factories import (
    CertifiedSocialEnterpriseFactory,
    ConsultingCaseFactory,
    ConsultingSessionFactory,
    DongFactory,
    NetworkFactory,
    NetworkMembershipFactory,
    OrganizationFactory,
    PartnerCenterFactory,
    PreliminarySocialEnterpriseFactory,
    ProductCertificationFactory,
    ProductFactory,
    SalesChannelFactory,
    StoreFactory,
    StoreListingFactory,
    SupportNeedFactory,
    SurveyCampaignFactory,
    SurveyProductItemFactory,
    SurveyResponseFactory,
)

pytestmark = pytest.mark.django_db

READ = "social_economy:read"
WRITE = "consulting:write"
# Every test here runs at one moment (a Wednesday morning in Korea): dates built from it cannot go stale at midnight.
MOMENT = timezone.make_aware(datetime.datetime(2027, 5, 12, 10, 0))
LONG_AGO = MOMENT - datetime.timedelta(days=30)


@pytest.fixture(autouse=True)
def _at_moment(time_machine):
    time_machine.move_to(MOMENT)


@pytest.fixture
def reader():
    return partner_client(READ)


def ids(response):
    assert response.status_code == 200, response.content[:500]
    return [row["id"] for row in response.json()["results"]]


def csv_rows(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def assert_invalid(response, field):
    assert response.status_code == 400, response.content[:500]
    body = response.json()
    assert body["code"] == "invalid"
    assert field in body["errors"], body


def last_event_id():
    return ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def events_since(start, resource):
    return list(
        ChangeEvent.objects.filter(id__gt=start, resource=resource)
        .order_by("id")
        .values_list("object_id", "action")
    )


def age_everything(*models):
    """Moves every row's ``updated_at`` to the past (``update()`` bypasses ``auto_now``)."""
    for model in models:
        model.objects.update(updated_at=LONG_AGO)


# --- Scopes ---------------------------------------------------------------------------------------------

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


# --- Organizations ---------------------------------------------------------------------------------------


@pytest.fixture
def organizations():
    pungnam, hyoja = DongFactory(name="풍남동"), DongFactory(name="효자4동")
    certified = CertifiedSocialEnterpriseFactory(
        name="가나푸드",
        description="어르신 도시락 배달",
        dong=pungnam,
        employees_count=20,
        vulnerable_employees_count=12,
        certification_number="제2015-101호",
        certification_expires_on=datetime.date(2027, 6, 30),
        representative_name="홍길순",
    )
    cooperative = OrganizationFactory(
        name="다라 한지공예협동조합",
        description="한지 조명과 소품",
        dong=hyoja,
        employees_count=5,
        vulnerable_employees_count=1,
        status=OrganizationStatus.SUSPENDED,
        representative_name="김철수",
    )
    preliminary = PreliminarySocialEnterpriseFactory(
        name="마바 돌봄",
        description="방문 돌봄",
        dong=DongFactory(name="송천1동"),
        employees_count=9,
        vulnerable_employees_count=4,
        certification_expires_on=datetime.date(2026, 12, 31),
        representative_name="이영희",
    )
    ProductFactory(organization=certified, name="도시락 A")
    ProductFactory(organization=certified, name="도시락 B")
    ProductFactory(organization=certified, name="단종된 반찬", is_active=False)
    return {"certified": certified, "cooperative": cooperative, "preliminary": preliminary}


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


# --- Products -------------------------------------------------------------------------------------------


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


# --- Survey campaigns and their summary ----------------------------------------------------------------


def test_survey_campaigns_list_counts_responses(reader):
    campaign = SurveyCampaignFactory(name="2016 전수조사", year=2016)
    newer = SurveyCampaignFactory(
        name="2024 전수조사",
        year=2024,
        starts_on=datetime.date(2024, 4, 1),
        ends_on=datetime.date(2024, 10, 31),
        status=SurveyCampaign.Status.PLANNED,
    )
    SurveyResponseFactory(campaign=campaign, status=SurveyResponse.Status.SUBMITTED)
    SurveyResponseFactory(campaign=campaign, status=SurveyResponse.Status.VERIFIED)
    SurveyResponseFactory(campaign=campaign, status=SurveyResponse.Status.CONTACTING, surveyed_on=None)
    response = reader.get("/api/v1/survey-campaigns/")
    assert ids(response) == [newer.pk, campaign.pk]  # newest first
    row = response.json()["results"][1]
    assert row["name"] == "2016 전수조사"
    assert row["year"] == 2016
    assert row["starts_on"] == "2016-04-01"
    assert row["status"] == "in_progress"
    assert row["status_label"] == "조사 중"
    assert row["response_count"] == 3
    assert row["completed_count"] == 2
    assert response.json()["results"][0]["response_count"] == 0
    detail = reader.get(f"/api/v1/survey-campaigns/{campaign.pk}/").json()
    assert detail["response_count"] == 3
    assert "respondent" not in str(detail)


def test_survey_campaign_filters_ordering_and_updated_since(reader):
    old = SurveyCampaignFactory(year=2016, status=SurveyCampaign.Status.CLOSED)
    new = SurveyCampaignFactory(
        year=2024, starts_on=datetime.date(2024, 4, 1), ends_on=datetime.date(2024, 9, 1)
    )
    assert ids(reader.get("/api/v1/survey-campaigns/?year=2016")) == [old.pk]
    assert ids(reader.get("/api/v1/survey-campaigns/?status=closed")) == [old.pk]
    assert ids(reader.get("/api/v1/survey-campaigns/?ordering=year")) == [old.pk, new.pk]
    assert_invalid(reader.get("/api/v1/survey-campaigns/?year=soon"), "year")
    assert_invalid(reader.get("/api/v1/survey-campaigns/?status=done"), "status")
    assert_invalid(reader.get("/api/v1/survey-campaigns/?ordering=respondent_name"), "ordering")
    age_everything(SurveyCampaign)
    old.save()
    since = (LONG_AGO + datetime.timedelta(days=1)).isoformat()
    assert ids(reader.get("/api/v1/survey-campaigns/", {"updated_since": since})) == [old.pk]


def test_survey_campaign_csv(reader):
    campaign = SurveyCampaignFactory(name="2016 전수조사")
    SurveyResponseFactory(campaign=campaign)
    rows = csv_rows(reader.get("/api/v1/survey-campaigns/?format=csv"))
    assert [(row["name"], row["response_count"], row["status_label"]) for row in rows] == [
        ("2016 전수조사", "1", "조사 중")
    ]


def test_survey_campaign_list_query_count_is_constant(reader):
    def add_rows(n):
        for _ in range(n):
            SurveyResponseFactory()

    assert_constant_queries(reader, "/api/v1/survey-campaigns/", add_rows)


def _survey_with_results():
    online = SalesChannelFactory(code="online", name="온라인", display_order=1)
    shop = SalesChannelFactory(code="shop", name="매장", display_order=2)
    SalesChannelFactory(code="unused", name="쓰지 않는 경로", display_order=3)
    marketing = SupportNeedFactory(code="marketing", name="마케팅")
    campaign = SurveyCampaignFactory()
    coop = SurveyResponseFactory(
        campaign=campaign,
        organization=OrganizationFactory(sector=Sector.MANUFACTURING),
        status=SurveyResponse.Status.SUBMITTED,
        respondent_name="박응답",
        respondent_phone="010-9876-5432",
        sales_channels=[online, shop],
        needs=[marketing],
    )
    certified = SurveyResponseFactory(
        campaign=campaign,
        organization=CertifiedSocialEnterpriseFactory(),
        status=SurveyResponse.Status.VERIFIED,
        sales_channels=[online],
    )
    unfinished = SurveyResponseFactory(
        campaign=campaign, status=SurveyResponse.Status.IN_PROGRESS, sales_channels=[shop], needs=[marketing]
    )
    SurveyResponseFactory(campaign=campaign, status=SurveyResponse.Status.DECLINED, surveyed_on=None)
    SurveyProductItemFactory(response=coop, unit_price=10000, annual_sales=1_000_000)
    SurveyProductItemFactory(response=coop, unit_price=30000, annual_sales=2_000_000)
    SurveyProductItemFactory(
        response=certified, unit_price=20000, annual_sales=None, product__category="food"
    )
    SurveyProductItemFactory(
        response=certified, unit_price=40000, annual_sales=500_000, product__category="food"
    )
    SurveyProductItemFactory(response=certified, unit_price=None, annual_sales=None, product__category="food")
    SurveyProductItemFactory(response=unfinished, unit_price=999_999)
    # Another campaign's data must not leak in.
    other = SurveyResponseFactory(sales_channels=[online])
    SurveyProductItemFactory(response=other, unit_price=1)
    return campaign


def _count(rows, code):
    return next(row["count"] for row in rows if row["code"] == code)


def test_survey_summary_aggregates_completed_responses(reader):
    campaign = _survey_with_results()
    response = reader.get(f"/api/v1/survey-campaigns/{campaign.pk}/summary/")
    assert response.status_code == 200
    summary = response.json()
    assert summary["campaign"] == campaign.pk
    assert summary["response_count"] == 4
    assert summary["completed_count"] == 2
    by_status = {row["code"]: (row["label"], row["count"]) for row in summary["responses_by_status"]}
    assert by_status == {
        "not_started": ("미착수", 0),
        "contacting": ("연락 중", 0),
        "in_progress": ("조사 중", 1),
        "submitted": ("제출", 1),
        "verified": ("검증 완료", 1),
        "declined": ("거절", 1),
        "unreachable": ("연락 불가", 0),
    }
    assert _count(summary["organizations_by_org_type"], "cooperative") == 1
    assert _count(summary["organizations_by_org_type"], "certified_se") == 1
    assert _count(summary["organizations_by_org_type"], "village") == 0
    assert _count(summary["organizations_by_sector"], "manufacturing") == 1
    assert _count(summary["organizations_by_sector"], "food") == 1
    assert _count(summary["products_by_category"], "craft") == 2
    assert _count(summary["products_by_category"], "food") == 3
    assert summary["reported_product_count"] == 5
    assert summary["total_annual_sales"] == 3_500_000
    assert summary["price"] == {"count": 4, "min": 10000, "max": 40000, "average": 25000.0, "median": 25000.0}
    assert [(row["code"], row["label"], row["count"]) for row in summary["sales_channels"]] == [
        ("online", "온라인", 2),
        ("shop", "매장", 1),
        ("unused", "쓰지 않는 경로", 0),
    ]
    assert _count(summary["needs"], "marketing") == 1
    assert "박응답" not in response.content.decode()
    assert "010-9876-5432" not in response.content.decode()


def test_survey_summary_median_of_an_odd_count_and_of_nothing(reader):
    campaign = SurveyCampaignFactory()
    answer = SurveyResponseFactory(campaign=campaign)
    for price in (5000, 7000, 100000):
        SurveyProductItemFactory(response=answer, unit_price=price)
    price = reader.get(f"/api/v1/survey-campaigns/{campaign.pk}/summary/").json()["price"]
    assert price["median"] == 7000
    assert price["average"] == pytest.approx(37333.3)
    empty = SurveyCampaignFactory()
    summary = reader.get(f"/api/v1/survey-campaigns/{empty.pk}/summary/").json()
    assert summary["price"] == {"count": 0, "min": None, "max": None, "average": None, "median": None}
    assert summary["response_count"] == 0
    assert summary["total_annual_sales"] is None


def test_survey_summary_query_count_does_not_grow_with_responses(reader):
    small, large = _survey_with_results(), SurveyCampaignFactory()
    channel = SalesChannelFactory()
    for _ in range(30):
        answer = SurveyResponseFactory(campaign=large, sales_channels=[channel])
        SurveyProductItemFactory(response=answer)
    reader.get(f"/api/v1/survey-campaigns/{small.pk}/summary/")  # key's first use
    counts = []
    for campaign in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert reader.get(f"/api/v1/survey-campaigns/{campaign.pk}/summary/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_survey_summary_of_an_unknown_campaign_is_404(reader):
    assert reader.get("/api/v1/survey-campaigns/999999/summary/").status_code == 404


# --- Stores ---------------------------------------------------------------------------------------------


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


# --- Networks -------------------------------------------------------------------------------------------


@pytest.fixture
def networks():
    local = NetworkFactory(name="전주 사회적경제 네트워크", level=Network.Level.LOCAL)
    national = NetworkFactory(name="전국 협동조합 협의회", level=Network.Level.NATIONAL, founded_on=None)
    chair = OrganizationFactory(name="가 협동조합")
    former = OrganizationFactory(name="나 협동조합")
    NetworkMembershipFactory(
        network=local, organization=chair, role="chair", joined_on=datetime.date(2013, 3, 15)
    )
    NetworkMembershipFactory(
        network=local,
        organization=former,
        joined_on=datetime.date(2014, 1, 1),
        left_on=datetime.date(2020, 12, 31),
    )
    return {"local": local, "national": national, "chair": chair, "former": former}


def test_networks_list_nests_memberships(reader, networks):
    response = reader.get("/api/v1/networks/")
    assert ids(response) == [networks["local"].pk, networks["national"].pk]
    row = response.json()["results"][0]
    assert row["name"] == "전주 사회적경제 네트워크"
    assert row["level_label"] == "지역"
    assert row["founded_on"] == "2013-03-15"
    assert row["memberships"] == [
        {
            "organization": networks["chair"].pk,
            "organization_name": "가 협동조합",
            "role": "chair",
            "role_label": "대표",
            "joined_on": "2013-03-15",
            "left_on": None,
        },
        {
            "organization": networks["former"].pk,
            "organization_name": "나 협동조합",
            "role": "member",
            "role_label": "회원",
            "joined_on": "2014-01-01",
            "left_on": "2020-12-31",
        },
    ]
    detail = reader.get(f"/api/v1/networks/{networks['national'].pk}/").json()
    assert detail["level"] == "national"
    assert detail["memberships"] == []


def test_network_filters_ordering_and_invalid_values(reader, networks):
    assert ids(reader.get("/api/v1/networks/?level=national")) == [networks["national"].pk]
    assert ids(reader.get(f"/api/v1/networks/?organization={networks['chair'].pk}")) == [networks["local"].pk]
    assert ids(reader.get("/api/v1/networks/?ordering=name")) == [
        networks["national"].pk,
        networks["local"].pk,
    ]
    assert_invalid(reader.get("/api/v1/networks/?level=global"), "level")
    assert_invalid(reader.get("/api/v1/networks/?organization=x"), "organization")
    assert_invalid(reader.get("/api/v1/networks/?ordering=secret"), "ordering")


def test_network_updated_since(reader, networks):
    age_everything(Network)
    networks["national"].save()
    since = (LONG_AGO + datetime.timedelta(days=1)).isoformat()
    assert ids(reader.get("/api/v1/networks/", {"updated_since": since})) == [networks["national"].pk]


def test_network_csv_lists_current_members(reader, networks):
    rows = csv_rows(reader.get("/api/v1/networks/?format=csv"))
    assert [(row["name"], row["member_count"], row["memberships"]) for row in rows] == [
        ("전주 사회적경제 네트워크", "1", str(networks["chair"].pk)),
        ("전국 협동조합 협의회", "0", ""),
    ]


def test_network_list_query_count_is_constant(reader):
    def add_rows(n):
        for _ in range(n):
            network = NetworkFactory()
            NetworkMembershipFactory(network=network)
            NetworkMembershipFactory(network=network)

    assert_constant_queries(reader, "/api/v1/networks/", add_rows)


# --- Consulting cases: reading -------------------------------------------------------------------------


@pytest.fixture
def partner():
    return PartnerCenterFactory(name="전북 사회적경제지원센터")


@pytest.fixture
def own_case(partner):
    case = ConsultingCaseFactory(
        partner=partner,
        organization=OrganizationFactory(name="품질 협동조합"),
        title="포장 개선",
        topic=ConsultingCase.Topic.QUALITY,
        opened_on=datetime.date(2024, 3, 4),
        summary="포장재 파손",
    )
    ConsultingSessionFactory(
        case=case, held_on=datetime.date(2024, 3, 18), hours=Decimal("2.0"), notes="1회차"
    )
    ConsultingSessionFactory(
        case=case, held_on=datetime.date(2024, 3, 25), hours=Decimal("1.5"), notes="2회차"
    )
    return case


@pytest.fixture
def others_case():
    return ConsultingCaseFactory(partner=PartnerCenterFactory(name="다른 센터"), title="다른 기관 사례")


def test_a_partner_reads_only_its_own_consulting_cases(partner, own_case, others_case):
    client = partner_client(READ, partner=partner)
    response = client.get("/api/v1/consulting-cases/")
    assert ids(response) == [own_case.pk]
    row = response.json()["results"][0]
    assert row["organization"] == own_case.organization_id
    assert row["organization_name"] == "품질 협동조합"
    assert row["partner_center"] == partner.pk
    assert row["partner_center_name"] == "전북 사회적경제지원센터"
    assert row["topic"] == "quality"
    assert row["topic_label"] == "품질 개선"
    assert row["status_label"] == "진행 중"
    assert row["session_count"] == 2
    assert row["total_hours"] == "3.5"
    assert [(s["held_on"], s["hours"], s["notes"]) for s in row["sessions"]] == [
        ("2024-03-18", "2.0", "1회차"),
        ("2024-03-25", "1.5", "2회차"),
    ]
    assert client.get(f"/api/v1/consulting-cases/{own_case.pk}/").json()["title"] == "포장 개선"
    assert client.get(f"/api/v1/consulting-cases/{others_case.pk}/").status_code == 404


def test_staff_read_every_consulting_case(admin_client, own_case, others_case):
    response = admin_client.get("/api/v1/consulting-cases/")
    assert sorted(ids(response)) == sorted([own_case.pk, others_case.pk])


def test_a_write_only_key_reads_its_own_cases(partner, own_case, others_case):
    client = partner_client(WRITE, partner=partner)
    assert ids(client.get("/api/v1/consulting-cases/")) == [own_case.pk]
    # ... but nothing else of the social-economy data.
    assert client.get("/api/v1/organizations/").status_code == 403


def test_consulting_case_filters_ordering_and_invalid_values(partner, own_case):
    later = ConsultingCaseFactory(
        partner=partner,
        topic=ConsultingCase.Topic.MARKETING,
        status=ConsultingCase.Status.REQUESTED,
        opened_on=datetime.date(2025, 1, 10),
    )
    client = partner_client(READ, partner=partner)
    assert ids(client.get("/api/v1/consulting-cases/")) == [later.pk, own_case.pk]
    assert ids(client.get("/api/v1/consulting-cases/?ordering=opened_on")) == [own_case.pk, later.pk]
    assert ids(client.get("/api/v1/consulting-cases/?topic=marketing")) == [later.pk]
    assert ids(client.get("/api/v1/consulting-cases/?status=in_progress")) == [own_case.pk]
    assert ids(client.get("/api/v1/consulting-cases/?opened_after=2025-01-01")) == [later.pk]
    assert ids(client.get(f"/api/v1/consulting-cases/?organization={own_case.organization_id}")) == [
        own_case.pk
    ]
    assert_invalid(client.get("/api/v1/consulting-cases/?topic=luck"), "topic")
    assert_invalid(client.get("/api/v1/consulting-cases/?status=x"), "status")
    assert_invalid(client.get("/api/v1/consulting-cases/?opened_after=someday"), "opened_after")
    assert_invalid(client.get("/api/v1/consulting-cases/?organization=0"), "organization")
    assert_invalid(client.get("/api/v1/consulting-cases/?ordering=consultant"), "ordering")
    age_everything(ConsultingCase)
    later.save()
    since = (LONG_AGO + datetime.timedelta(days=1)).isoformat()
    assert ids(client.get("/api/v1/consulting-cases/", {"updated_since": since})) == [later.pk]


def test_consulting_case_csv_is_one_row_per_case(partner, own_case):
    rows = csv_rows(partner_client(READ, partner=partner).get("/api/v1/consulting-cases/?format=csv"))
    assert [(row["title"], row["session_count"], row["total_hours"]) for row in rows] == [
        ("포장 개선", "2", "3.5")
    ]
    assert not any(column.startswith("sessions") for column in rows[0])


def test_consulting_case_list_query_count_is_constant(partner):
    def add_rows(n):
        for _ in range(n):
            ConsultingSessionFactory(case=ConsultingCaseFactory(partner=partner))

    assert_constant_queries(partner_client(READ, partner=partner), "/api/v1/consulting-cases/", add_rows)


# --- Consulting cases: partner write-back --------------------------------------------------------------


def _case_input(for_organization, **overrides):
    return {
        "organization": for_organization.pk,
        "topic": "product_range",
        "title": "상품 구성 컨설팅",
        "opened_on": "2025-02-03",
        "summary": "선물 세트 구성",
        **overrides,
    }


def test_a_partner_creates_a_case_for_itself(partner):
    organization = OrganizationFactory()
    someone_else = PartnerCenterFactory(name="남의 센터")
    client = partner_client(WRITE, partner=partner)
    start = last_event_id()
    response = client.post(
        "/api/v1/consulting-cases/", _case_input(organization, partner_center=someone_else.pk), format="json"
    )
    assert response.status_code == 201, response.content
    case = ConsultingCase.objects.get()
    assert case.partner == partner  # never taken from the input
    assert case.organization == organization
    assert case.topic == "product_range"
    assert case.opened_on == datetime.date(2025, 2, 3)
    assert case.status == ConsultingCase.Status.REQUESTED
    body = response.json()
    assert body["id"] == case.pk
    assert body["partner_center"] == partner.pk
    assert body["status"] == "requested"
    assert body["sessions"] == []
    assert events_since(start, "consulting-cases") == [(str(case.pk), "created")]
    # Kept in the change history; a partner's API key is not a staff account, so no user is recorded.
    (created,) = case.history.all()
    assert (created.history_type, created.history_user) == ("+", None)


def test_creating_a_case_needs_the_write_scope(partner):
    organization = OrganizationFactory()
    response = partner_client(READ, partner=partner).post(
        "/api/v1/consulting-cases/", _case_input(organization), format="json"
    )
    assert response.status_code == 403
    assert WRITE in response.json()["detail"]
    assert (
        APIClient().post("/api/v1/consulting-cases/", _case_input(organization), format="json").status_code
        == 401
    )
    assert not ConsultingCase.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"topic": "luck"}, "topic"),
        ({"organization": 999999}, "organization"),
        ({"opened_on": "yesterday"}, "opened_on"),
        ({"title": ""}, "title"),
    ],
)
def test_invalid_case_input_is_400_and_creates_nothing(partner, overrides, field):
    response = partner_client(WRITE, partner=partner).post(
        "/api/v1/consulting-cases/", _case_input(OrganizationFactory(), **overrides), format="json"
    )
    assert_invalid(response, field)
    assert not ConsultingCase.objects.exists()


def test_a_closed_organization_gets_no_new_case(partner):
    closed = OrganizationFactory(status=OrganizationStatus.CLOSED, closed_on=datetime.date(2023, 12, 31))
    response = partner_client(WRITE, partner=partner).post(
        "/api/v1/consulting-cases/", _case_input(closed), format="json"
    )
    assert_invalid(response, "organization")
    assert "폐업" in response.json()["errors"]["organization"][0]
    assert not ConsultingCase.objects.exists()


def test_a_retried_case_post_with_the_same_idempotency_key_creates_one_case(partner):
    client = partner_client(WRITE, partner=partner)
    payload = _case_input(OrganizationFactory())
    first = client.post("/api/v1/consulting-cases/", payload, format="json", HTTP_IDEMPOTENCY_KEY="case-1")
    again = client.post("/api/v1/consulting-cases/", payload, format="json", HTTP_IDEMPOTENCY_KEY="case-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert ConsultingCase.objects.count() == 1
    changed = client.post(
        "/api/v1/consulting-cases/",
        {**payload, "title": "다른 제목"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="case-1",
    )
    assert changed.status_code == 409
    assert ConsultingCase.objects.count() == 1


def test_staff_create_a_case_of_the_center_itself(admin_client):
    organization = OrganizationFactory()
    response = admin_client.post(
        "/api/v1/consulting-cases/", _case_input(organization), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert ConsultingCase.objects.get().partner is None


def _session_input(**overrides):
    return {
        "held_on": "2024-04-01",
        "consultant": "김컨설 경영지도사",
        "hours": "2.5",
        "notes": "원가 분석",
        **overrides,
    }


def test_a_partner_adds_a_session_to_its_own_case(partner):
    case = ConsultingCaseFactory(partner=partner, status=ConsultingCase.Status.REQUESTED)
    client = partner_client(WRITE, partner=partner)
    start = last_event_id()
    response = client.post(f"/api/v1/consulting-cases/{case.pk}/sessions/", _session_input(), format="json")
    assert response.status_code == 201, response.content
    session = ConsultingSession.objects.get()
    assert session.case == case
    assert session.hours == Decimal("2.5")
    assert session.consultant == "김컨설 경영지도사"
    assert response.json()["id"] == session.pk
    assert response.json()["case"] == case.pk
    case.refresh_from_db()
    assert case.status == ConsultingCase.Status.IN_PROGRESS  # the first session starts the case
    assert (str(case.pk), "updated") in events_since(start, "consulting-cases")
    listed = client.get(f"/api/v1/consulting-cases/{case.pk}/").json()
    assert [s["notes"] for s in listed["sessions"]] == ["원가 분석"]
    assert listed["total_hours"] == "2.5"


def test_adding_a_session_to_another_partners_case_is_404(partner, others_case):
    response = partner_client(WRITE, partner=partner).post(
        f"/api/v1/consulting-cases/{others_case.pk}/sessions/", _session_input(), format="json"
    )
    assert response.status_code == 404
    assert not ConsultingSession.objects.exists()


def test_adding_a_session_needs_the_write_scope(partner):
    case = ConsultingCaseFactory(partner=partner)
    response = partner_client(READ, partner=partner).post(
        f"/api/v1/consulting-cases/{case.pk}/sessions/", _session_input(), format="json"
    )
    assert response.status_code == 403
    assert not ConsultingSession.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"hours": "0"}, "hours"),
        ({"hours": "-1.0"}, "hours"),
        ({"hours": "lots"}, "hours"),
        ({"held_on": "2024-03-01"}, "held_on"),  # before the case was opened
        ({"consultant": ""}, "consultant"),
    ],
)
def test_invalid_session_input_is_400_and_creates_nothing(partner, overrides, field):
    case = ConsultingCaseFactory(partner=partner, opened_on=datetime.date(2024, 3, 4))
    response = partner_client(WRITE, partner=partner).post(
        f"/api/v1/consulting-cases/{case.pk}/sessions/", _session_input(**overrides), format="json"
    )
    assert_invalid(response, field)
    assert not ConsultingSession.objects.exists()


def test_a_retried_session_post_with_the_same_idempotency_key_adds_one_session(partner):
    case = ConsultingCaseFactory(partner=partner)
    client = partner_client(WRITE, partner=partner)
    url = f"/api/v1/consulting-cases/{case.pk}/sessions/"
    first = client.post(url, _session_input(), format="json", HTTP_IDEMPOTENCY_KEY="session-1")
    again = client.post(url, _session_input(), format="json", HTTP_IDEMPOTENCY_KEY="session-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert ConsultingSession.objects.count() == 1
    changed = client.post(url, _session_input(hours="3.0"), format="json", HTTP_IDEMPOTENCY_KEY="session-1")
    assert changed.status_code == 409
    other = client.post(url, _session_input(hours="3.0"), format="json", HTTP_IDEMPOTENCY_KEY="session-2")
    assert other.status_code == 201
    assert ConsultingSession.objects.count() == 2


def test_a_refused_session_does_not_use_up_the_idempotency_key(partner):
    case = ConsultingCaseFactory(partner=partner)
    client = partner_client(WRITE, partner=partner)
    url = f"/api/v1/consulting-cases/{case.pk}/sessions/"
    refused = client.post(url, _session_input(hours="0"), format="json", HTTP_IDEMPOTENCY_KEY="retry-me")
    assert refused.status_code == 400
    assert not IdempotencyRecord.objects.exists()
    fixed = client.post(url, _session_input(), format="json", HTTP_IDEMPOTENCY_KEY="retry-me")
    assert fixed.status_code == 201
    assert ConsultingSession.objects.count() == 1


# --- Services (also used by the admin) ------------------------------------------------------------------


def test_consulting_case_create_refuses_a_closed_organization():
    closed = OrganizationFactory(status=OrganizationStatus.CLOSED, closed_on=datetime.date(2023, 12, 31))
    with pytest.raises(ValidationError) as error:
        services.consulting_case_create(
            organization=closed,
            partner=None,
            topic="quality",
            title="t",
            opened_on=datetime.date(2024, 1, 1),
        )
    assert "organization" in error.value.message_dict
    assert not ConsultingCase.objects.exists()


def test_consulting_case_create_validates_the_model():
    with pytest.raises(ValidationError) as error:
        services.consulting_case_create(
            organization=OrganizationFactory(),
            partner=None,
            topic="luck",
            title="t",
            opened_on=datetime.date(2024, 1, 1),
        )
    assert "topic" in error.value.message_dict


@pytest.mark.parametrize("hours", [Decimal("0"), Decimal("-0.5")])
def test_consulting_session_create_refuses_non_positive_hours(hours):
    case = ConsultingCaseFactory()
    with pytest.raises(ValidationError) as error:
        services.consulting_session_create(
            case=case, held_on=datetime.date(2024, 4, 1), consultant="김", hours=hours
        )
    assert error.value.message_dict["hours"] == ["컨설팅 시간은 0보다 커야 합니다."]
    assert not ConsultingSession.objects.exists()


def test_consulting_session_create_refuses_a_cancelled_case():
    case = ConsultingCaseFactory(status=ConsultingCase.Status.CANCELLED)
    with pytest.raises(ValidationError) as error:
        services.consulting_session_create(
            case=case, held_on=datetime.date(2024, 4, 1), consultant="김", hours=Decimal("1")
        )
    assert "case" in error.value.message_dict
    assert not ConsultingSession.objects.exists()


# --- Change feed ----------------------------------------------------------------------------------------

OWN_SOURCES = [
    ("organizations", OrganizationFactory, None),
    ("products", ProductFactory, None),
    ("survey-campaigns", SurveyCampaignFactory, None),
    ("survey-campaigns", SurveyResponseFactory, "campaign_id"),
    ("stores", StoreFactory, None),
    ("stores", StoreListingFactory, "store_id"),
    ("consulting-cases", ConsultingCaseFactory, None),
    ("consulting-cases", ConsultingSessionFactory, "case_id"),
    ("networks", NetworkFactory, None),
    ("networks", NetworkMembershipFactory, "network_id"),
]


@pytest.mark.parametrize(("resource", "factory", "parent"), OWN_SOURCES)
def test_saves_and_deletes_feed_the_change_events(resource, factory, parent):
    start = last_event_id()
    obj = factory()
    target = str(getattr(obj, parent) if parent else obj.pk)
    if parent:
        # The parent's own creation (by the sub-factory) comes first, then the child's "updated".
        assert events_since(start, resource)[-1] == (target, "updated")
    else:
        assert events_since(start, resource) == [(target, "created")]
    start = last_event_id()
    obj.save()
    assert events_since(start, resource) == [(target, "updated")]
    start = last_event_id()
    obj.delete()
    assert events_since(start, resource) == [(target, "updated" if parent else "deleted")]


def test_the_change_feed_endpoint_lists_social_economy_events(reader):
    organization = OrganizationFactory()
    product = ProductFactory(organization=organization)
    response = reader.get("/api/v1/changes/?resource=products")
    assert response.status_code == 200
    assert [(e["id"], e["action"]) for e in response.json()["results"]] == [(str(product.pk), "created")]
    organizations = reader.get("/api/v1/changes/?resource=organizations").json()["results"]
    assert [(e["id"], e["action"]) for e in organizations] == [(str(organization.pk), "created")]
    assert partner_client("ondure:read").get("/api/v1/changes/?resource=products").status_code == 403
