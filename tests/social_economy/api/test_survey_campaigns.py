"""The partner API's ``survey-campaigns`` and their ``summary`` of the completed responses."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from social_economy.models import Sector, SurveyCampaign, SurveyResponse
from tests.api.support import assert_constant_queries

from ..factories import (
    CertifiedSocialEnterpriseFactory,
    OrganizationFactory,
    SalesChannelFactory,
    SupportNeedFactory,
    SurveyCampaignFactory,
    SurveyProductItemFactory,
    SurveyResponseFactory,
)
from .support import LONG_AGO, age_everything, assert_invalid, csv_rows, ids

pytestmark = pytest.mark.django_db


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
