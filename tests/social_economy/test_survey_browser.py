"""An organization answers the full survey in a real browser from the link in its invitation e-mail: the form
comes prefilled from last year, a draft is saved and found again, and the submission is recorded online."""

import datetime
import re

import pytest
from django.utils import timezone

from jeonju_center.common.models import OutboxEmail
from social_economy import services
from social_economy.models import SurveyCampaign, SurveyResponse
from tests.actors import TEST_JOB

from .factories import (
    OrganizationFactory,
    ProductFactory,
    SurveyCampaignFactory,
    SurveyProductItemFactory,
    SurveyResponseFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def invitation(monkeypatch, django_capture_on_commit_callbacks):
    """Created before the browser starts: Playwright's event loop forbids synchronous ORM calls after."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    organization = OrganizationFactory(name="전주 한지 협동조합", email="hanji@example.org")
    lamp = ProductFactory(organization=organization, name="한지 조명등", price=45000)
    fan = ProductFactory(organization=organization, name="한지 부채", price=12000)
    last_year = SurveyResponseFactory(
        organization=organization,
        campaign=SurveyCampaignFactory(status=SurveyCampaign.Status.CLOSED),
        status=SurveyResponse.Status.VERIFIED,
        annual_revenue=210000000,
    )
    SurveyProductItemFactory(response=last_year, product=lamp, annual_sales=150000000, unit_price=42000)
    today = timezone.localdate()
    campaign = SurveyCampaignFactory(
        name="올해 생산품·서비스 전수조사",
        year=today.year,
        starts_on=today - datetime.timedelta(days=3),
        ends_on=today + datetime.timedelta(days=30),
        status=SurveyCampaign.Status.PLANNED,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_campaign_open(campaign=campaign, actor=TEST_JOB)
    mail = OutboxEmail.objects.get(dedup_key__startswith="survey-invitation:", to=["hanji@example.org"])
    [path] = re.findall(r"/social-economy/survey/[^/\s]+/", mail.body)
    response = SurveyResponse.objects.get(campaign=campaign, organization=organization)
    return {"path": path, "response": response, "lamp": lamp, "fan": fan}


def test_an_organization_answers_the_survey_from_its_e_mail_link(invitation, live_server, browser_page):
    page = browser_page
    lamp, fan = invitation["lamp"], invitation["fan"]
    page.goto(f"{live_server.url}{invitation['path']}")
    assert page.get_by_role("heading", level=1).inner_text() == "올해 생산품·서비스 전수조사 응답"
    main = page.locator("main")
    # Prefilled from last year's verified answer and the current product list.
    assert main.get_by_label("지난해 매출액(원)", exact=True).input_value() == "210000000"
    assert main.get_by_label("한지 조명등 지난해 매출액(원)").input_value() == "150000000"
    assert main.get_by_label("한지 부채 단가(원)").input_value() == "12000"

    main.get_by_label("응답자 이름").fill("김한지")
    main.get_by_label("한지 조명등 지난해 매출액(원)").fill("180000000")
    main.get_by_label("한지 부채 응답에 포함").uncheck()
    main.get_by_role("button", name="임시 저장").click()
    assert "임시 저장했습니다" in page.locator(".messages, [role=status]").first.inner_text()
    response = invitation["response"]
    response.refresh_from_db()
    assert response.status == SurveyResponse.Status.IN_PROGRESS
    assert list(response.product_items.values_list("product_id", "annual_sales")) == [(lamp.pk, 180000000)]

    # Coming back later through the same link: the draft is there; submitting without a phone is refused.
    page.goto(f"{live_server.url}{invitation['path']}")
    assert main.get_by_label("응답자 이름").input_value() == "김한지"
    assert not main.get_by_label("한지 부채 응답에 포함").is_checked()
    main.get_by_role("button", name="제출").click()
    assert "응답자 연락처를 적어 주세요" in main.inner_text()
    main.get_by_label("응답자 연락처").fill("010-3456-7890")
    main.get_by_label("한지 부채 응답에 포함").check()
    main.get_by_label("한지 부채 지난해 매출액(원)").fill("9000000")
    main.get_by_role("button", name="제출").click()
    assert "제출되었습니다" in main.inner_text()
    assert "한지 부채" in main.get_by_role("table").inner_text()

    response.refresh_from_db()
    assert (response.status, response.channel, response.respondent_phone) == (
        SurveyResponse.Status.SUBMITTED,
        SurveyResponse.Channel.ONLINE,
        "010-3456-7890",
    )
    assert sorted(response.product_items.values_list("product_id", "annual_sales")) == sorted(
        [(lamp.pk, 180000000), (fan.pk, 9000000)]
    )
