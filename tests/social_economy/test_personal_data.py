"""Issue 8 in the social-economy back office: masking and the access log, custom views' permissions,
retention, the team's dashboard panel, uploads and the change history."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from jeonju_center.accounts.models import User
from jeonju_center.common.models import PersonalDataAccess
from jeonju_center.common.reference import load_all_reference_data
from jeonju_center.common.retention import apply_retention_policies, retention_policies
from jeonju_center.common.teams import (
    CENTER_ADMINS,
    EDUCATION_TEAM,
    PERSONAL_DATA_VIEWERS,
    SOCIAL_ECONOMY_TEAM,
)
from social_economy import services
from social_economy.dashboard import social_economy_items
from social_economy.models import (
    ConsultingCase,
    Organization,
    OrganizationStatus,
    Product,
    SurveyCampaign,
    SurveyResponse,
)
from tests.actors import TEST_JOB

from .factories import (
    ConsultingCaseFactory,
    OrganizationFactory,
    PreliminarySocialEnterpriseFactory,
    ProductFactory,
    SurveyCampaignFactory,
    SurveyResponseFactory,
)

pytestmark = pytest.mark.django_db

NAME, PHONE = "김철용", "010-2345-6789"
MASKED_NAME, MASKED_PHONE = "김*용", "010-2345-****"


@pytest.fixture
def teams():
    load_all_reference_data()


def _staff(username, *groups):
    user = User.objects.create_user(username=username, password="pw-123456789", is_staff=True, name=username)
    user.groups.set(Group.objects.filter(name__in=groups))
    return user


@pytest.fixture
def team_client(client, teams):
    client.force_login(_staff("se-staff", SOCIAL_ECONOMY_TEAM))
    return client


@pytest.fixture
def viewer_client(client, teams):
    client.force_login(_staff("se-privacy", SOCIAL_ECONOMY_TEAM, PERSONAL_DATA_VIEWERS))
    return client


def _url(model_name, view, *args):
    return reverse(f"admin:social_economy_{model_name}_{view}", args=args)


# --- Masking and the access log --------------------------------------------------------------------


def _screens():
    """(url, whose data) of every admin screen of the app that shows personal data."""
    response = SurveyResponseFactory(respondent_name=NAME, respondent_phone=PHONE)
    organization = OrganizationFactory(representative_name="김철용")
    return [
        (_url("surveyresponse", "changelist"), SurveyResponse, response.pk, True),
        (_url("surveyresponse", "change", response.pk), SurveyResponse, response.pk, True),
        (_url("organization", "change", organization.pk), Organization, organization.pk, False),
    ]


def test_every_screen_is_masked_for_the_team_and_logs_nothing(team_client):
    for url, _model, _pk, has_phone in _screens():
        page = team_client.get(url)
        content = page.content.decode()
        assert page.status_code == 200, url
        assert MASKED_NAME in content and NAME not in content, url
        if has_phone:
            assert MASKED_PHONE in content and PHONE not in content, url
    assert not PersonalDataAccess.objects.exists()


def test_every_screen_is_unmasked_with_the_permission_and_each_view_logs_one_row(viewer_client):
    for url, model, pk, has_phone in _screens():
        before = PersonalDataAccess.objects.count()
        content = viewer_client.get(url, REMOTE_ADDR="10.0.0.7").content.decode()
        assert NAME in content and MASKED_NAME not in content, url
        if has_phone:
            assert PHONE in content, url
        assert PersonalDataAccess.objects.count() == before + 1, url
        entry = PersonalDataAccess.objects.latest("pk")
        assert (entry.action, entry.model_label, entry.staff_username) == (
            "view",
            model._meta.label_lower,
            "se-privacy",
        )
        assert pk in entry.object_ids and entry.ip_address == "10.0.0.7" and not entry.masked


def test_masked_fields_are_read_only_for_the_team(team_client):
    response = SurveyResponseFactory(respondent_name=NAME)
    form = team_client.get(_url("surveyresponse", "change", response.pk)).context["adminform"].form
    assert "respondent_name" not in form.fields and "respondent_phone" not in form.fields


def test_a_search_on_the_representative_name_is_logged_with_its_hits(team_client):
    organization = OrganizationFactory(representative_name="김철용")
    OrganizationFactory(representative_name="박영희")
    team_client.get(_url("organization", "changelist"), {"q": "김철용"})
    (entry,) = PersonalDataAccess.objects.all()
    assert (entry.action, entry.search_term, entry.object_ids) == ("search", "김철용", [organization.pk])
    assert entry.fields == ["representative_name"]


def _export(client, reason="", unmasked=False):
    return client.post(
        _url("organization", "export"),
        {
            "format": "1",  # CSV
            "resource": "0",
            "reason": reason,
            **({"unmasked": "on"} if unmasked else {}),
            **{f"organizationresource_{f}": "on" for f in ("name", "representative_name")},
        },
    )


@pytest.mark.parametrize(
    ("who", "unmasked", "masked"),
    [("team", True, True), ("viewer", False, True), ("viewer", True, False)],
)
def test_organization_export_is_masked_unless_permitted_and_asked_for_and_always_logged_with_its_reason(
    client, teams, who, unmasked, masked
):
    groups = [SOCIAL_ECONOMY_TEAM] + ([PERSONAL_DATA_VIEWERS] if who == "viewer" else [])
    client.force_login(_staff(who, *groups))
    organization = OrganizationFactory(representative_name=NAME)
    response = _export(client, "settlement", unmasked=unmasked)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["조직명", "대표자명"]
    assert rows[1] == [organization.name, MASKED_NAME if masked else NAME]
    (entry,) = PersonalDataAccess.objects.all()
    assert (entry.action, entry.masked, entry.reason) == ("export", masked, "사업 정산·실적 보고")
    assert (entry.record_count, entry.object_ids) == (1, [organization.pk])
    assert entry.fields == ["representative_name"]


def test_no_export_with_personal_data_without_a_reason(client, teams):
    client.force_login(_staff("viewer", SOCIAL_ECONOMY_TEAM, PERSONAL_DATA_VIEWERS))
    OrganizationFactory(representative_name=NAME)
    response = _export(client, "", unmasked=True)
    assert response.status_code == 200 and "text/csv" not in response["Content-Type"]
    assert "내려받는 사유를 골라 주세요" in response.content.decode()
    other = client.post(
        _url("organization", "export"),
        {
            "format": "1",
            "resource": "0",
            "reason": "other",
            "detail": " ",
            "organizationresource_representative_name": "on",
        },
    )
    assert "기타 사유를 적어 주세요" in other.content.decode()
    assert not PersonalDataAccess.objects.exists()
    # Columns without personal data need no reason and leave no access record.
    plain = client.post(
        _url("organization", "export"), {"format": "1", "resource": "0", "organizationresource_name": "on"}
    )
    assert "text/csv" in plain["Content-Type"] and NAME not in plain.content.decode("utf-8-sig")
    assert not PersonalDataAccess.objects.exists()


# --- Custom admin views -----------------------------------------------------------------------------


@pytest.mark.parametrize("view", ["analysis", "analysis_export"])
def test_survey_analysis_views_refuse_other_teams(client, teams, view):
    campaign = SurveyCampaignFactory()
    url = _url("surveycampaign", view, campaign.pk)
    client.force_login(_staff("teacher", EDUCATION_TEAM, PERSONAL_DATA_VIEWERS))
    assert client.get(url).status_code == 403
    client.force_login(_staff("se", SOCIAL_ECONOMY_TEAM))
    assert client.get(url).status_code == 200
    # The analysis holds aggregates only: nothing about a respondent, nothing to log.
    assert not PersonalDataAccess.objects.exists()


# --- Retention ---------------------------------------------------------------------------------------

NOW = timezone.make_aware(datetime.datetime(2030, 6, 1, 3, 0))
CUTOFF = datetime.date(2027, 6, 1)


def _closed_campaign(ends_on):
    return SurveyCampaignFactory(
        starts_on=ends_on - datetime.timedelta(days=60), ends_on=ends_on, status=SurveyCampaign.Status.CLOSED
    )


def test_survey_respondents_are_anonymised_exactly_when_expired_and_only_once():
    expired = SurveyResponseFactory(campaign=_closed_campaign(CUTOFF - datetime.timedelta(days=1)))
    kept_boundary = SurveyResponseFactory(campaign=_closed_campaign(CUTOFF))
    still_running = SurveyResponseFactory(
        campaign=SurveyCampaignFactory(starts_on=datetime.date(2020, 1, 1), ends_on=datetime.date(2020, 2, 1))
    )
    assert services.survey_respondents_anonymise(campaigns_ended_before=CUTOFF, now=NOW, actor=TEST_JOB) == 1
    expired.refresh_from_db()
    assert (expired.respondent_name, expired.respondent_phone) == ("", "")
    assert expired.respondent_anonymised_at == NOW
    assert expired.annual_revenue == 250_000_000  # the answers stay for the statistics
    for kept in (kept_boundary, still_running):
        kept.refresh_from_db()
        assert (
            kept.respondent_name and kept.respondent_phone == PHONE and kept.respondent_anonymised_at is None
        )
    # Irreversible: the history holds no personal value to restore, and records why it changed.
    latest = expired.history.latest()
    assert latest.history_change_reason == services.ANONYMISED_REASON
    assert not hasattr(latest, "respondent_name")
    assert services.survey_respondents_anonymise(campaigns_ended_before=CUTOFF, now=NOW, actor=TEST_JOB) == 0


def test_representatives_of_long_closed_organizations_are_anonymised():
    def closed(on):
        return OrganizationFactory(status=OrganizationStatus.CLOSED, closed_on=on)

    expired = closed(CUTOFF - datetime.timedelta(days=1))
    boundary = closed(CUTOFF)
    operating = OrganizationFactory()
    assert services.organization_representatives_anonymise(closed_before=CUTOFF, now=NOW, actor=TEST_JOB) == 1
    expired.refresh_from_db()
    assert (expired.representative_name, expired.representative_anonymised_at) == ("", NOW)
    for kept in (boundary, operating):
        kept.refresh_from_db()
        assert kept.representative_name and kept.representative_anonymised_at is None
    assert services.organization_representatives_anonymise(closed_before=CUTOFF, now=NOW, actor=TEST_JOB) == 0


@override_settings(PERSONAL_DATA_RETENTION_DAYS={"survey_respondents": 30})
def test_the_nightly_job_applies_the_configured_period_and_reports_counts():
    assert retention_policies()["survey_respondents"].days == 30
    SurveyResponseFactory(campaign=_closed_campaign(datetime.date(2030, 4, 30)))  # 32 days before NOW
    SurveyResponseFactory(campaign=_closed_campaign(datetime.date(2030, 5, 3)))  # 29 days before NOW
    counts = apply_retention_policies(now=NOW)
    assert counts["survey_respondents"] == 1
    assert counts["organization_representatives"] == 0
    assert apply_retention_policies(now=NOW)["survey_respondents"] == 0


# --- The back-office home ----------------------------------------------------------------------------


@pytest.fixture
def attention():
    today = timezone.localdate()
    campaign = SurveyCampaignFactory(
        name="2030 전수조사",
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(10),
    )
    for status in ("submitted", "verified", "not_started", "contacting", "declined"):
        SurveyResponseFactory(campaign=campaign, status=status, surveyed_on=today)
    SurveyResponse.objects.filter(status="submitted").update(
        channel=SurveyResponse.Channel.ONLINE, submitted_at=timezone.now()
    )
    SurveyResponseFactory(campaign=SurveyCampaignFactory(status=SurveyCampaign.Status.CLOSED))  # not counted
    for days in (5, 89, 91):
        PreliminarySocialEnterpriseFactory(certification_expires_on=today + datetime.timedelta(days=days))
    PreliminarySocialEnterpriseFactory(certification_expires_on=today - datetime.timedelta(days=3))
    PreliminarySocialEnterpriseFactory(  # closed: its expiry needs no action
        certification_expires_on=today - datetime.timedelta(days=3),
        status=OrganizationStatus.CLOSED,
        closed_on=today - datetime.timedelta(days=1),
    )
    ConsultingCaseFactory(status=ConsultingCase.Status.REQUESTED)
    ConsultingCaseFactory(status=ConsultingCase.Status.IN_PROGRESS)
    return today


def test_dashboard_counts_and_links_open_exactly_the_counted_rows(team_client, attention):
    with CaptureQueriesContext(connection) as queries:
        items = social_economy_items(today=attention)
    assert len(queries) == 5
    assert [(item.count, item.level) for item in items] == [
        (2, "info"),  # responses received
        (1, "warning"),  # submitted, waiting for staff's review
        (2, "warning"),  # not submitted, campaign ends in 10 days
        (2, "warning"),  # expiring within 90 days
        (1, "warning"),  # expired, still operating
        (1, "warning"),  # consulting requests
        (0, "warning"),  # profile changes waiting for review
    ]
    assert "조사 대상 5곳 중 40% · 온라인 1곳, 직원 입력 1곳" in items[0].detail
    for item in items:
        response = team_client.get(item.url)
        assert response.status_code == 200, item.url
        assert response.context["cl"].result_count == item.count, item.url


def test_dashboard_query_count_does_not_grow_with_campaign_rows(attention):
    with CaptureQueriesContext(connection) as small:
        social_economy_items(today=attention)
    campaign = SurveyCampaign.objects.get(name="2030 전수조사")
    for _ in range(5):
        SurveyResponseFactory(campaign=campaign, status="contacting")
    with CaptureQueriesContext(connection) as large:
        items = social_economy_items(today=attention)
    assert len(large) == len(small) and items[2].count == 7


@pytest.mark.parametrize(
    ("groups", "shown"),
    [([SOCIAL_ECONOMY_TEAM], True), ([CENTER_ADMINS], True), ([EDUCATION_TEAM], False)],
)
def test_the_panel_is_shown_to_the_team_and_center_admins_only(client, teams, attention, groups, shown):
    client.force_login(_staff("someone", *groups))
    content = client.get(reverse("admin:index")).content.decode()
    assert ("사회적경제 지원" in content) is shown
    assert ("2030 전수조사 응답 접수" in content) is shown


# --- Uploads -----------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.png", PNG + b"\x00" * 2048, "파일이 너무 큽니다"),
        ("photo.svg", b"<svg></svg>", "올릴 수 없는 파일 형식입니다"),
        ("photo.jpg", b"<html><script>alert(1)</script></html>", "파일 내용이 확장자(.jpg)와 맞지 않습니다"),
    ],
)
@override_settings(MAX_UPLOAD_MB=0.001)
def test_product_images_are_checked_and_nothing_is_saved(name, content, message):
    product = ProductFactory()
    product.image = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError) as error:
        product.full_clean()
    assert message in " ".join(error.value.message_dict["image"])
    assert not Product.objects.get(pk=product.pk).image


def test_product_image_upload_through_the_admin_refuses_a_disguised_file(team_client):
    product = ProductFactory()
    data = {
        "organization": product.organization.pk,
        "name": product.name,
        "kind": product.kind,
        "category": product.category,
        "price": "45000",
        "unit": "개",
        "image": SimpleUploadedFile("photo.jpg", b"<html></html>", content_type="image/jpeg"),
    }
    response = team_client.post(_url("product", "change", product.pk), data)
    assert response.status_code == 200
    assert "image" in response.context["adminform"].form.errors
    assert not Product.objects.get(pk=product.pk).image


# --- Change history ----------------------------------------------------------------------------------


def test_an_admin_change_records_who_when_and_why(team_client):
    case = ConsultingCaseFactory(title="판로 컨설팅")
    staff = User.objects.get(username="se-staff")
    data = {
        "organization": case.organization.pk,
        "partner": "",
        "topic": case.topic,
        "title": "판로 개척 컨설팅",
        "opened_on": case.opened_on.isoformat(),
        "closed_on": "",
        "status": case.status,
        "consultant": "",
        "summary": "",
        "outcome": "",
        "history_change_reason": "제목 오타 정정",
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
    }
    response = team_client.post(_url("consultingcase", "change", case.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = case.history.latest()
    assert (latest.title, latest.history_user, latest.history_change_reason) == (
        "판로 개척 컨설팅",
        staff,
        "제목 오타 정정",
    )
    history = team_client.get(_url("consultingcase", "history", case.pk)).content.decode()
    assert "제목 오타 정정" in history
