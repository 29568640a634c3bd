"""The full survey answered online: personal links e-mailed to each organization's contacts when a campaign
opens and in every reminder round, the form prefilled from the last campaign, draft and submit moving the
status by themselves, staff verifying or returning with a comment, and every wrong link or id refused with a
clear page that changes nothing."""

import datetime
import re

import pytest
import time_machine
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jeonju_center.common.models import OutboxEmail
from social_economy import services, surveys, tasks
from social_economy.models import (
    OrganizationMember,
    SurveyCampaign,
    SurveyProductItem,
    SurveyResponse,
)
from tests.actors import TEST_JOB
from tests.courses.factories import UserFactory

from .factories import (
    OrganizationFactory,
    ProductFactory,
    SalesChannelFactory,
    SupportNeedFactory,
    SurveyCampaignFactory,
    SurveyProductItemFactory,
    SurveyResponseFactory,
)

pytestmark = pytest.mark.django_db
S = SurveyResponse.Status
NOW = datetime.datetime(2031, 5, 12, 10, 0, tzinfo=datetime.UTC)
LINK = re.compile(r"/social-economy/survey/([^/\s]+)/")


@pytest.fixture(autouse=True)
def pinned_now():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def member_of(organization, status=OrganizationMember.Status.ACTIVE, email=None):
    user = UserFactory(email=email) if email else UserFactory()
    OrganizationMember.objects.create(organization=organization, user=user, status=status)
    return user


def running_campaign(**fields):
    today = timezone.localdate()
    return SurveyCampaignFactory(
        **{
            "year": today.year,
            "starts_on": today - datetime.timedelta(days=10),
            "ends_on": today + datetime.timedelta(days=50),
            "status": SurveyCampaign.Status.PLANNED,
            **fields,
        }
    )


def open_campaign(campaign, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_campaign_open(campaign=campaign, actor=TEST_JOB)
    return campaign


def links_in(mail):
    return LINK.findall(mail.body)


def answer(product_rows, **fields):
    """The POST body of the form: ``product_rows`` is {product: (included, annual_sales, unit_price)}."""
    data = {
        "respondent_name": "김담당",
        "respondent_phone": "010-2345-6789",
        "annual_revenue": "120000000",
        "employees_count": "9",
        "vulnerable_employees_count": "4",
        "action": "draft",
    }
    for product, (included, sales, price) in product_rows.items():
        prefix = f"product-{product.pk}"
        if included:
            data[f"{prefix}-included"] = "on"
        data[f"{prefix}-annual_sales"] = str(sales)
        data[f"{prefix}-unit_price"] = str(price)
        data[f"{prefix}-notes"] = ""
    data.update(fields)
    return data


def snapshot(response):
    response.refresh_from_db()
    return (
        response.status,
        response.annual_revenue,
        response.channel,
        response.first_opened_at,
        sorted(response.product_items.values_list("product_id", "annual_sales")),
    )


# --- Invitations and reminders --------------------------------------------------------------------------


def test_opening_a_campaign_mails_each_contact_its_own_link_once(django_capture_on_commit_callbacks):
    organization = OrganizationFactory(email="Coop@Example.org")
    member_of(organization, email="rep@example.com")
    member_of(organization, status=OrganizationMember.Status.REQUESTED, email="asked@example.com")
    no_contact = OrganizationFactory(email="")
    campaign = open_campaign(running_campaign(), django_capture_on_commit_callbacks)

    invitations = OutboxEmail.objects.filter(dedup_key__startswith=f"survey-invitation:{campaign.pk}:")
    assert sorted(mail.to[0] for mail in invitations) == ["coop@example.org", "rep@example.com"]
    tokens = {mail.to[0]: links_in(mail)[0] for mail in invitations}
    assert tokens["coop@example.org"] != tokens["rep@example.com"]  # personal: tied to the address
    for address, token in tokens.items():
        response, sent_to = surveys.response_for_link(token)
        assert (response.organization, response.campaign, sent_to) == (organization, campaign, address)
    assert not SurveyResponse.objects.get(organization=no_contact).last_reminded_at
    # Opening again (e.g. after registering a new organization) e-mails nobody twice.
    new_organization = OrganizationFactory(email="new@example.org")
    open_campaign(campaign, django_capture_on_commit_callbacks)
    assert tasks.send_survey_invitations(campaign.pk) == 0
    assert sorted(
        mail.to[0] for mail in OutboxEmail.objects.filter(dedup_key__startswith="survey-invitation:")
    ) == [
        "coop@example.org",
        "new@example.org",
        "rep@example.com",
    ]
    assert SurveyResponse.objects.filter(organization=new_organization).count() == 1


def test_reminders_skip_who_submitted_online_and_each_round_sends_once(
    client, django_capture_on_commit_callbacks, pinned_now
):
    answering, waiting = (
        OrganizationFactory(email="a@example.org"),
        OrganizationFactory(email="w@example.org"),
    )
    product = ProductFactory(organization=answering)
    campaign = open_campaign(running_campaign(), django_capture_on_commit_callbacks)
    [invitation] = OutboxEmail.objects.filter(to=["a@example.org"])
    link = f"/social-economy/survey/{links_in(invitation)[0]}/"
    assert client.post(link, answer({product: (True, 5000000, 9000)}, action="submit")).status_code == 302

    with django_capture_on_commit_callbacks(execute=True):
        assert services.survey_reminder_round_start(campaign=campaign, actor=TEST_JOB) == 1
    reminders = OutboxEmail.objects.filter(dedup_key__startswith=f"survey-reminder:{campaign.pk}:1:")
    assert [mail.to for mail in reminders] == [["w@example.org"]]
    [reminder] = reminders
    response, _ = surveys.response_for_link(links_in(reminder)[0])
    assert response.organization == waiting
    assert tasks.send_survey_reminders(campaign.pk, 1) == 0  # a retried task sends nothing more
    pinned_now.shift(datetime.timedelta(days=2))
    member_of(waiting, email="late-member@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.survey_reminder_round_start(campaign=campaign, actor=TEST_JOB) == 2
    round_two = OutboxEmail.objects.filter(dedup_key__startswith=f"survey-reminder:{campaign.pk}:2:")
    assert sorted(mail.to[0] for mail in round_two) == ["late-member@example.com", "w@example.org"]
    assert tasks.send_survey_reminders(campaign.pk, 2) == 0
    assert OutboxEmail.objects.filter(dedup_key__startswith="survey-reminder:").count() == 3


# --- Answering from the e-mail link ----------------------------------------------------------------------


@pytest.fixture
def invited(django_capture_on_commit_callbacks):
    organization = OrganizationFactory(email="coop@example.org")
    products = [
        ProductFactory(organization=organization, name=name, price=9000) for name in ("한지 등", "한지 부채")
    ]
    campaign = open_campaign(running_campaign(), django_capture_on_commit_callbacks)
    [mail] = OutboxEmail.objects.filter(dedup_key__startswith="survey-invitation:")
    response = SurveyResponse.objects.get(campaign=campaign, organization=organization)
    return response, products, f"/social-economy/survey/{links_in(mail)[0]}/"


def test_first_open_marks_contacted_then_draft_then_submit_as_an_online_answer(client, invited, officer):
    response, (lamp, fan), link = invited
    assert client.head(link).status_code == 200
    assert snapshot(response)[0] == S.NOT_STARTED  # a HEAD (a link checker) is not an opening

    page = client.get(link)
    assert page.status_code == 200
    response.refresh_from_db()
    assert (response.status, response.first_opened_at, response.contacted_on) == (
        S.CONTACTING,
        NOW,
        NOW.date(),
    )
    assert f'name="product-{lamp.pk}-included"' in page.content.decode()

    draft = client.post(link, answer({lamp: (True, 3000000, 8000), fan: (False, 0, 0)}))
    assert draft.status_code == 302
    response.refresh_from_db()
    assert (response.status, response.channel, response.submitted_at) == (S.IN_PROGRESS, "staff", None)
    assert list(response.product_items.values_list("product_id", "annual_sales", "unit_price")) == [
        (lamp.pk, 3000000, 8000)
    ]
    reopened = client.get(link).content.decode()
    assert 'value="3000000"' in reopened  # the draft comes back

    submitted = client.post(
        link, answer({lamp: (True, 3500000, 8000), fan: (True, 1000000, 12000)}, action="submit")
    )
    assert submitted.status_code == 302
    response.refresh_from_db()
    assert (
        response.status,
        response.channel,
        response.surveyed_on,
        response.submitted_at,
        response.submitted_by,
    ) == (
        S.SUBMITTED,
        SurveyResponse.Channel.ONLINE,
        NOW.date(),
        NOW,
        None,
    )
    assert response.product_items.count() == 2
    assert OutboxEmail.objects.filter(dedup_key__startswith=f"survey-submitted:{response.pk}:").get().to == [
        "officer@jjuic.example"
    ]
    # Submitted: the link shows what was sent and a second submission changes nothing.
    assert "제출되었습니다" in client.get(link).content.decode()
    before = snapshot(response)
    again = client.post(link, answer({lamp: (True, 1, 1)}, action="submit"))
    assert again.status_code == 200 and snapshot(response) == before


def test_submitting_needs_the_respondent_and_a_product_and_bad_input_changes_nothing(client, invited):
    response, (lamp, fan), link = invited
    client.get(link)
    before = snapshot(response)
    cases = [
        (answer({lamp: (True, 1, 1)}, respondent_name="", action="submit"), "응답자 이름"),
        (answer({lamp: (False, 1, 1), fan: (False, 1, 1)}, action="submit"), "한 개 이상"),
        (answer({lamp: (True, -5, 1)}), "0 이상"),
        (answer({lamp: (True, "삼백만", 1)}), "숫자만"),
        (answer({lamp: (True, 1, 1)}, vulnerable_employees_count="20"), "종사자 수 이하"),
        (answer({lamp: (True, 1, 1)}, respondent_phone="12"), "전화번호"),
        (answer({lamp: (True, 1, 1)}, **{f"product-{lamp.pk}-notes": "<script>x</script>"}), "HTML"),
    ]
    for data, message in cases:
        page = client.post(link, data)
        assert page.status_code == 400, message
        assert message in page.content.decode(), message
        assert snapshot(response) == before, message


def test_the_form_is_prefilled_from_the_last_campaign_and_lists_the_current_products(
    client, django_capture_on_commit_callbacks
):
    organization = OrganizationFactory(email="coop@example.org")
    kept, retired = (
        ProductFactory(organization=organization, price=7000),
        ProductFactory(organization=organization),
    )
    channel, need = SalesChannelFactory(), SupportNeedFactory()
    last_year = SurveyResponseFactory(
        organization=organization,
        campaign=SurveyCampaignFactory(status=SurveyCampaign.Status.CLOSED),
        status=S.VERIFIED,
        annual_revenue=88000000,
    )
    last_year.sales_channels.add(channel)
    last_year.needs.add(need)
    SurveyProductItemFactory(response=last_year, product=kept, annual_sales=4400000, unit_price=6500)
    SurveyProductItemFactory(response=last_year, product=retired, annual_sales=100)
    retired.is_active = False
    retired.save()
    added_since = ProductFactory(organization=organization, name="새 한지 상품", price=15000)
    open_campaign(running_campaign(), django_capture_on_commit_callbacks)
    [mail] = OutboxEmail.objects.filter(dedup_key__startswith="survey-invitation:")
    page = client.get(f"/social-economy/survey/{links_in(mail)[0]}/")
    form = page.context["form"]
    assert page.context["source"] == "previous"
    assert form.initial["annual_revenue"] == 88000000
    assert form.initial["sales_channels"] == [channel.pk] and form.initial["needs"] == [need.pk]
    rows = {row["product"]: row for row in form.product_rows}
    assert set(rows) == {kept, added_since}  # the retired product is not offered again
    assert (rows[kept]["annual_sales"].value(), rows[kept]["unit_price"].value()) == (4400000, 6500)
    assert (rows[added_since]["annual_sales"].value(), rows[added_since]["unit_price"].value()) == (
        None,
        15000,
    )
    assert rows[kept]["included"].value() and rows[added_since]["included"].value()
    assert 'value="88000000"' in page.content.decode()


# --- Wrong links ---------------------------------------------------------------------------------------


def test_tampered_expired_and_foreign_links_get_a_clear_page_and_change_nothing(client, invited, pinned_now):
    response, (lamp, _fan), link = invited
    token = link.split("/")[-2]
    before = snapshot(response)
    tampered = client.post(
        f"/social-economy/survey/{token[:-2]}xy/", answer({lamp: (True, 1, 1)}, action="submit")
    )
    assert tampered.status_code == 400 and "링크가 올바르지 않습니다" in tampered.content.decode()
    other = SurveyResponseFactory(campaign=response.campaign, status=S.NOT_STARTED)
    forged = signing.dumps(
        {"r": other.pk, "o": response.organization_id, "c": response.campaign_id, "e": "x@example.org"},
        salt=surveys.LINK_SALT,
        compress=True,
    )
    mismatch = client.get(f"/social-economy/survey/{forged}/")
    assert mismatch.status_code == 400 and "열 수 있는 조사 응답이 없습니다" in mismatch.content.decode()
    wrong_salt = signing.dumps({"r": response.pk, "o": response.organization_id, "c": response.campaign_id})
    assert client.get(f"/social-economy/survey/{wrong_salt}/").status_code == 400
    assert snapshot(response) == before and snapshot(other)[0] == S.NOT_STARTED

    pinned_now.shift(datetime.timedelta(days=surveys.LINK_VALID_DAYS, seconds=1))
    expired = client.get(link)
    assert expired.status_code == 410 and "유효기간" in expired.content.decode()
    assert snapshot(response) == before


def test_a_link_used_after_the_campaign_closed_changes_nothing(client, invited):
    response, (lamp, _fan), link = invited
    client.get(link)
    before = snapshot(response)
    SurveyCampaign.objects.filter(pk=response.campaign_id).update(status=SurveyCampaign.Status.CLOSED)
    for page in (client.get(link), client.post(link, answer({lamp: (True, 1, 1)}, action="submit"))):
        assert page.status_code == 410 and "조사는 끝났습니다" in page.content.decode()
    assert snapshot(response) == before
    with pytest.raises(ValidationError):
        surveys.survey_response_save(
            response_id=response.pk,
            answers={},
            product_rows=[{"product_id": lamp.pk}],
            submit=False,
            actor=TEST_JOB,
        )


def test_the_service_refuses_another_organizations_product(invited):
    response, _products, _link = invited
    foreign = ProductFactory()
    with pytest.raises(ValidationError, match="이 조직의 생산품"):
        surveys.survey_response_save(
            response_id=response.pk,
            answers={"respondent_name": "김담당", "respondent_phone": "010-2345-6789"},
            product_rows=[{"product_id": foreign.pk, "annual_sales": 1}],
            submit=True,
            actor=TEST_JOB,
        )
    assert not SurveyProductItem.objects.exists()


# --- Members ---------------------------------------------------------------------------------------------


def test_a_member_answers_from_my_organization_and_nobody_else_reaches_the_response(client, invited):
    response, (lamp, _fan), _link = invited
    organization = response.organization
    url = reverse("my_organization:survey", args=[organization.pk, response.campaign_id])
    member = member_of(organization)
    other_organization = OrganizationFactory()
    other_response = SurveyResponseFactory(
        campaign=response.campaign, organization=other_organization, status=S.NOT_STARTED
    )
    other_url = reverse("my_organization:survey", args=[other_organization.pk, response.campaign_id])
    before = snapshot(other_response)

    assert client.get(url).status_code == 302  # sign in first
    outsiders = [
        member_of(organization, status=OrganizationMember.Status.REQUESTED),
        member_of(organization, status=OrganizationMember.Status.REVOKED),
        member_of(other_organization, status=OrganizationMember.Status.LEFT),
    ]
    for user in outsiders:
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, answer({lamp: (True, 1, 1)}, action="submit")).status_code == 404
    client.force_login(member)
    assert client.get(other_url).status_code == 404
    assert client.post(other_url, answer({lamp: (True, 1, 1)}, action="submit")).status_code == 404
    assert snapshot(other_response) == before

    home = client.get(reverse("my_organization:home")).content.decode()
    assert url in home and other_url not in home
    assert client.post(url, answer({lamp: (True, 2000000, 9000)}, action="submit")).status_code == 302
    response.refresh_from_db()
    assert (response.status, response.channel, response.submitted_by) == (S.SUBMITTED, "online", member)
    assert response.history.first().history_user == member


# --- Staff review ----------------------------------------------------------------------------------------


def test_staff_verify_or_return_with_a_comment_and_the_organization_resubmits(client, invited, officer):
    response, (lamp, _fan), link = invited
    client.post(link, answer({lamp: (True, 1000000, 9000)}, action="submit"))
    review = reverse("admin:social_economy_surveyresponse_review", args=[response.pk])
    client.force_login(officer)
    assert (
        "검증 완료 또는 보완 요청"
        in client.get(
            reverse("admin:social_economy_surveyresponse_change", args=[response.pk])
        ).content.decode()
    )
    no_comment = client.post(review, {"decision": "return", "comment": " "})
    assert no_comment.status_code == 400 and "무엇을 보완해야" in no_comment.content.decode()
    assert snapshot(response)[0] == S.SUBMITTED

    assert (
        client.post(review, {"decision": "return", "comment": "매출액 단위를 확인해 주세요."}).status_code
        == 302
    )
    response.refresh_from_db()
    assert (response.status, response.return_comment, response.verified_on) == (
        S.IN_PROGRESS,
        "매출액 단위를 확인해 주세요.",
        None,
    )
    [returned] = OutboxEmail.objects.filter(dedup_key__startswith=f"survey-returned:{response.pk}:")
    assert "매출액 단위를 확인해 주세요." in returned.body and returned.to == ["coop@example.org"]
    client.logout()
    fresh_link = f"/social-economy/survey/{links_in(returned)[0]}/"
    page = client.get(fresh_link).content.decode()
    assert "매출액 단위를 확인해 주세요." in page and 'value="1000000"' in page
    assert client.post(fresh_link, answer({lamp: (True, 1000000, 9000)}, action="submit")).status_code == 302
    response.refresh_from_db()
    assert (response.status, response.return_comment) == (S.SUBMITTED, "")

    client.force_login(officer)
    assert client.post(review, {"decision": "verify"}).status_code == 302
    response.refresh_from_db()
    assert (response.status, response.verified_on, response.surveyor) == (S.VERIFIED, NOW.date(), officer)
    twice = client.post(review, {"decision": "verify"})  # a second click: nothing left to review
    assert twice.status_code == 400 and "제출된 응답만 검증 완료할 수 있습니다" in twice.content.decode()
    assert "확인했습니다. 참여해 주셔서 고맙습니다" in client.get(link).content.decode()


def test_the_campaign_list_shows_online_and_staff_entered_answers(client, officer):
    campaign = running_campaign(status=SurveyCampaign.Status.IN_PROGRESS)
    for channel in ("online", "online", "staff"):
        SurveyResponseFactory(
            campaign=campaign, channel=channel, submitted_at=NOW if channel == "online" else None
        )
    SurveyResponseFactory(campaign=campaign, status=S.NOT_STARTED)
    client.force_login(officer)
    page = client.get(reverse("admin:social_economy_surveycampaign_changelist"))
    [row] = page.context["cl"].result_list
    assert (row.completed_count, row.online_count) == (3, 2)
    assert (
        '<td class="field-online_count">2</td><td class="field-staff_entered_count">1</td>'
        in page.content.decode()
    )


# --- Queries --------------------------------------------------------------------------------------------


def test_the_answer_page_runs_the_same_queries_for_more_products(client, invited):
    response, products, link = invited
    client.get(link)
    SurveyProductItemFactory(response=response, product=products[0], annual_sales=1)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(link).status_code == 200
        return len(queries)

    few = count()
    for index in range(6):
        product = ProductFactory(organization=response.organization, name=f"추가 상품 {index}")
        SurveyProductItemFactory(response=response, product=product, annual_sales=index)
    SalesChannelFactory.create_batch(3)
    assert count() == few
