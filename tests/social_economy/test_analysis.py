"""The product analysis (상품 분석): numbers checked against a hand-computed fixture; the back-office
report, its Excel export and the API summary show the same numbers."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from social_economy import selectors
from social_economy.models import OrganizationType, Product, Store, SurveyResponse
from tests.api.support import partner_client

from .factories import (
    CertifiedSocialEnterpriseFactory,
    OrganizationFactory,
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
S = SurveyResponse.Status
FOOD, CRAFT = Product.Category.FOOD, Product.Category.CRAFT_DESIGN


@pytest.fixture
def campaign():
    """Five organizations:
    A cooperative, verified: craft 10 000 and 30 000 (both goods, priced) → pilot candidate (2 products)
    B certified SE, verified: food 5 000, food 7 000 (service, priced)  → candidate (1 goods product)
    C cooperative, submitted: food 9 000                              → not verified, no candidate
    D certified SE, verified: food 20 000, but already on the pilot shelf → no candidate
    E cooperative, declined; F cooperative, not started.
    Channels: online by A, B, C; direct by A. Needs: 판로 by A, B; 자금 by D.
    """
    campaign = SurveyCampaignFactory()
    online, direct = (
        SalesChannelFactory(code="online", name="온라인"),
        SalesChannelFactory(code="direct", name="직매장"),
    )
    sales, funding = (
        SupportNeedFactory(code="sales", name="판로"),
        SupportNeedFactory(code="funding", name="자금"),
    )
    a = SurveyResponseFactory(
        campaign=campaign, status=S.VERIFIED, sales_channels=[online, direct], needs=[sales]
    )
    b = SurveyResponseFactory(
        campaign=campaign, status=S.VERIFIED, organization=CertifiedSocialEnterpriseFactory(), sales_channels=[online],
        needs=[sales],
    )  # fmt: skip
    c = SurveyResponseFactory(campaign=campaign, status=S.SUBMITTED, sales_channels=[online])
    d = SurveyResponseFactory(
        campaign=campaign, status=S.VERIFIED, organization=CertifiedSocialEnterpriseFactory(), needs=[funding]
    )
    SurveyResponseFactory(campaign=campaign, status=S.DECLINED, surveyed_on=None)
    SurveyResponseFactory(campaign=campaign, status=S.NOT_STARTED, surveyed_on=None)
    for response, category, price, kind in [
        (a, CRAFT, 10000, Product.Kind.GOODS),
        (a, CRAFT, 30000, Product.Kind.GOODS),
        (b, FOOD, 5000, Product.Kind.GOODS),
        (b, FOOD, 7000, Product.Kind.SERVICE),
        (c, FOOD, 9000, Product.Kind.GOODS),
        (d, FOOD, 20000, Product.Kind.GOODS),
    ]:
        product = ProductFactory(
            organization=response.organization, category=category, price=price, kind=kind
        )
        SurveyProductItemFactory(response=response, product=product, unit_price=price)
    pilot = StoreFactory(kind=Store.Kind.PILOT)
    StoreListingFactory(store=pilot, product=d.organization.products.get())
    return campaign, a.organization, b.organization


def _row(rows, code):
    return next(row for row in rows if row["code"] == code)


def test_analysis_numbers_match_the_hand_computed_fixture(campaign):
    campaign, a, b = campaign
    analysis = selectors.survey_campaign_analysis(campaign=campaign)
    assert analysis["coverage"] == {
        "total": 6, "responded": 4, "verified": 3, "declined": 1, "not_responded": 2,
        "responded_percent": 66.7, "verified_percent": 50.0,
    }  # fmt: skip
    org_types = [t["code"] for t in analysis["org_types"]]
    food = _row(analysis["products_by_category_and_org_type"], FOOD)
    craft = _row(analysis["products_by_category_and_org_type"], CRAFT)
    assert food["counts"][org_types.index(OrganizationType.CERTIFIED_SOCIAL_ENTERPRISE)] == 3
    assert food["counts"][org_types.index(OrganizationType.COOPERATIVE)] == 1
    assert (food["total"], craft["total"]) == (4, 2)
    assert sum(analysis["products_by_org_type_totals"]) == 6
    assert _row(analysis["price_by_category"], FOOD) | {} == {
        "code": FOOD, "label": "식품", "count": 4, "min": 5000, "median": 8000.0, "max": 20000,
    }  # fmt: skip
    assert _row(analysis["price_by_category"], CRAFT)["median"] == 20000.0
    assert _row(analysis["price_by_category"], Product.Category.CARE)["min"] is None
    assert [(r["rank"], r["code"], r["count"], r["percent"]) for r in analysis["sales_channel_ranking"]] == [
        (1, "online", 3, 75.0),
        (2, "direct", 1, 25.0),
    ]
    assert [(r["code"], r["count"]) for r in analysis["needs_ranking"][:2]] == [("sales", 2), ("funding", 1)]
    assert [(c["organization"], c["ready_product_count"]) for c in analysis["pilot_store_candidates"]] == [
        (a.pk, 2),
        (b.pk, 1),
    ]


def test_analysis_runs_a_fixed_number_of_queries(campaign):
    campaign, _a, _b = campaign
    with CaptureQueriesContext(connection) as small:
        selectors.survey_campaign_analysis(campaign=campaign)
    for _ in range(5):
        item = SurveyProductItemFactory(response__campaign=campaign, response__status=S.VERIFIED)
        item.response.sales_channels.add(SalesChannelFactory())
    with CaptureQueriesContext(connection) as large:
        selectors.survey_campaign_analysis(campaign=campaign)
    assert len(large) == len(small)


def test_the_api_summary_shows_the_same_numbers(campaign):
    campaign, _a, _b = campaign
    analysis = selectors.survey_campaign_analysis(campaign=campaign)
    summary = (
        partner_client("social_economy:read").get(f"/api/v1/survey-campaigns/{campaign.pk}/summary/").json()
    )
    assert summary["coverage"] == analysis["coverage"]
    assert summary["price_by_category"] == analysis["price_by_category"]
    assert summary["products_by_category_and_org_type"] == analysis["products_by_category_and_org_type"]
    assert [r["code"] for r in summary["sales_channel_ranking"]] == ["online", "direct"]
    assert [c["organization"] for c in summary["pilot_store_candidates"]] == [
        c["organization"] for c in analysis["pilot_store_candidates"]
    ]


def test_the_back_office_report_has_tables_and_accessible_charts(admin_client, campaign):
    campaign, a, _b = campaign
    response = admin_client.get(reverse("admin:social_economy_surveycampaign_analysis", args=[campaign.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('role="img"') == 5
    assert '<title id="chart-status-title">' in html
    assert 'id="kpi-responded">4<' in html
    assert a.name in html and 'id="pilot-candidates"' in html


def test_the_report_exports_to_excel(admin_client, campaign):
    campaign, a, b = campaign
    response = admin_client.get(
        reverse("admin:social_economy_surveycampaign_analysis_export", args=[campaign.pk])
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "조사 현황",
        "분류×조직유형",
        "가격대",
        "판매 경로 순위",
        "지원 필요 순위",
        "시범매장 후보",
    ]
    prices = {row[0]: row[1:] for row in workbook["가격대"].iter_rows(min_row=2, values_only=True)}
    assert prices["식품"] == (4, 5000, 8000, 20000)
    candidates = [row[0] for row in workbook["시범매장 후보"].iter_rows(min_row=2, values_only=True)]
    assert candidates == [a.name, b.name]


def test_campaign_changelist_shows_progress_and_the_actions_work(admin_client):
    campaign = SurveyCampaignFactory(status="planned")
    OrganizationFactory.create_batch(2)
    response = admin_client.post(
        reverse("admin:social_economy_surveycampaign_changelist"),
        {"action": "open_campaign", "_selected_action": [campaign.pk]},
        follow=True,
    )
    assert "응답 기록 2건을 만들었습니다." in response.content.decode()
    assert campaign.responses.count() == 2
    page = admin_client.get(reverse("admin:social_economy_surveycampaign_changelist")).content.decode()
    assert '<progress max="100" value="0"' in page
