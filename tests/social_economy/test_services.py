"""Registry, survey workflow, reminders, expiry report, stores and consulting services."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError

from jeonju_center.accounts.models import User
from jeonju_center.common.models import OutboxEmail
from jeonju_center.common.teams import SOCIAL_ECONOMY_TEAM
from social_economy import services, tasks
from social_economy.models import (
    ConsultingCase,
    Organization,
    OrganizationStatus,
    StoreListing,
    SurveyCampaign,
    SurveyResponse,
)
from tests.actors import TEST_JOB

from .factories import (
    ConsultingCaseFactory,
    OrganizationFactory,
    PreliminarySocialEnterpriseFactory,
    ProductFactory,
    StoreFactory,
    SurveyCampaignFactory,
    SurveyProductItemFactory,
    SurveyResponseFactory,
)

pytestmark = pytest.mark.django_db
S = SurveyResponse.Status


# --- Registry --------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["123-45-67890", "12345678", "abc-de-fghij", "000-00-00000"])
def test_bad_registration_numbers_are_refused_in_korean(number):
    organization = OrganizationFactory.build(business_registration_number=number, dong=None)
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert "사업자등록번호가 올바르지 않습니다" in " ".join(
        error.value.message_dict["business_registration_number"]
    )


def test_preliminary_social_enterprise_needs_its_designation_expiry():
    organization = PreliminarySocialEnterpriseFactory.build(certification_expires_on=None, dong=None)
    with pytest.raises(ValidationError) as error:
        organization.full_clean()
    assert "예비사회적기업은 지정 만료일을 입력해야 합니다." in str(error.value)


# --- Survey workflow -------------------------------------------------------------------------------


def test_opening_a_campaign_gives_every_operating_organization_one_response():
    operating = OrganizationFactory.create_batch(3)
    OrganizationFactory(status=OrganizationStatus.CLOSED, closed_on=datetime.date(2020, 1, 1))
    campaign = SurveyCampaignFactory(status=SurveyCampaign.Status.PLANNED)
    assert services.survey_campaign_open(campaign=campaign, actor=TEST_JOB) == 3
    campaign.refresh_from_db()
    assert campaign.status == SurveyCampaign.Status.IN_PROGRESS
    assert set(campaign.responses.values_list("organization", flat=True)) == {o.pk for o in operating}
    assert set(campaign.responses.values_list("status", flat=True)) == {S.NOT_STARTED}
    OrganizationFactory()
    assert services.survey_campaign_open(campaign=campaign, actor=TEST_JOB) == 1  # only the new organization
    assert campaign.responses.count() == 4


def test_a_closed_campaign_cannot_be_opened_again():
    campaign = SurveyCampaignFactory(status=SurveyCampaign.Status.CLOSED)
    OrganizationFactory()
    with pytest.raises(ValidationError, match=re.escape("종료된 전수조사는 다시 시작할 수 없습니다.")):
        services.survey_campaign_open(campaign=campaign, actor=TEST_JOB)
    assert campaign.responses.count() == 0


def test_a_response_goes_through_contact_submission_and_verification():
    surveyor = User.objects.create_user(
        username="surveyor", email="surveyor@example.org", password="x", is_staff=True
    )
    response = SurveyResponseFactory(status=S.NOT_STARTED, surveyed_on=None)
    SurveyProductItemFactory(response=response)
    day = datetime.date(2016, 5, 2)
    services.survey_response_transition(response=response, to_status=S.CONTACTING, actor=surveyor, on=day)
    response.refresh_from_db()
    assert (response.status, response.contacted_on, response.surveyor) == (S.CONTACTING, day, surveyor)
    services.survey_response_transition(
        response=response, to_status=S.SUBMITTED, on=datetime.date(2016, 5, 9), actor=TEST_JOB
    )
    services.survey_response_transition(
        response=response, to_status=S.VERIFIED, on=datetime.date(2016, 5, 12), actor=TEST_JOB
    )
    response.refresh_from_db()
    assert response.status == S.VERIFIED
    assert response.surveyed_on == datetime.date(2016, 5, 9)
    assert response.verified_on == datetime.date(2016, 5, 12)


@pytest.mark.parametrize(
    ("start", "target", "message"),
    [
        (S.NOT_STARTED, S.VERIFIED, "‘미착수’ 상태에서 ‘검증 완료’(으)로 바꿀 수 없습니다."),
        (S.NOT_STARTED, S.SUBMITTED, "‘미착수’ 상태에서 ‘제출’(으)로 바꿀 수 없습니다."),
        (S.VERIFIED, S.DECLINED, "‘검증 완료’ 상태에서 ‘거절’(으)로 바꿀 수 없습니다."),
        (S.DECLINED, S.SUBMITTED, "‘거절’ 상태에서 ‘제출’(으)로 바꿀 수 없습니다."),
    ],
)
def test_forbidden_transitions_are_refused_and_change_nothing(start, target, message):
    response = SurveyResponseFactory(status=start)
    before = SurveyResponse.objects.values().get(pk=response.pk)
    with pytest.raises(ValidationError) as error:
        services.survey_response_transition(response=response, to_status=target, actor=TEST_JOB)
    assert error.value.message_dict["status"] == [message]
    assert SurveyResponse.objects.values().get(pk=response.pk) == before


def test_a_response_without_products_cannot_be_verified():
    response = SurveyResponseFactory(status=S.SUBMITTED)
    with pytest.raises(
        ValidationError, match=re.escape("생산품·서비스가 한 건도 없는 응답은 검증 완료할 수 없습니다.")
    ):
        services.survey_response_transition(response=response, to_status=S.VERIFIED, actor=TEST_JOB)
    response.refresh_from_db()
    assert response.status == S.SUBMITTED and response.verified_on is None


def test_responses_of_a_closed_campaign_are_frozen():
    response = SurveyResponseFactory(status=S.CONTACTING, campaign__status=SurveyCampaign.Status.CLOSED)
    with pytest.raises(ValidationError, match=re.escape("종료된 전수조사의 응답은 상태를 바꿀 수 없습니다.")):
        services.survey_response_transition(response=response, to_status=S.DECLINED, actor=TEST_JOB)
    response.refresh_from_db()
    assert response.status == S.CONTACTING


def test_vulnerable_employees_cannot_exceed_employees():
    response = SurveyResponseFactory.build(
        campaign=SurveyCampaignFactory(), organization=OrganizationFactory(), employees_count=3,
        vulnerable_employees_count=4,
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        response.full_clean()
    assert error.value.message_dict["vulnerable_employees_count"] == [
        "취약계층 종사자 수는 0명 이상, 종사자 수 이하여야 합니다."
    ]


# --- Reminders ----------------------------------------------------------------------------------------


def _campaign_with_statuses():
    campaign = SurveyCampaignFactory(status=SurveyCampaign.Status.IN_PROGRESS)
    waiting = [
        SurveyResponseFactory(campaign=campaign, status=S.NOT_STARTED, surveyed_on=None),
        SurveyResponseFactory(campaign=campaign, status=S.CONTACTING, surveyed_on=None),
    ]
    SurveyResponseFactory(campaign=campaign, status=S.SUBMITTED)
    SurveyResponseFactory(campaign=campaign, status=S.DECLINED)
    SurveyResponseFactory(campaign=campaign, status=S.NOT_STARTED, organization__email="")
    return campaign, waiting


def _reminders():
    return OutboxEmail.objects.filter(dedup_key__startswith="survey-reminder:")


def test_reminders_go_once_per_organization_per_round(django_capture_on_commit_callbacks, time_machine):
    time_machine.move_to(datetime.datetime(2026, 5, 11, 10, 0, tzinfo=datetime.UTC), tick=False)
    campaign, waiting = _campaign_with_statuses()
    with django_capture_on_commit_callbacks(execute=True):
        round_number = services.survey_reminder_round_start(campaign=campaign, actor=TEST_JOB)
    assert round_number == 1
    assert sorted(email.to[0] for email in _reminders()) == sorted(r.organization.email for r in waiting)
    assert all(campaign.name in email.subject for email in _reminders())
    # The task again (a retry, a duplicate delivery): nothing more.
    assert tasks.send_survey_reminders(campaign.pk, 1) == 0
    assert _reminders().count() == 2
    assert set(
        SurveyResponse.objects.filter(pk__in=[r.pk for r in waiting]).values_list(
            "last_reminder_round", flat=True
        )
    ) == {1}

    time_machine.shift(datetime.timedelta(hours=24))  # the least interval between rounds
    with django_capture_on_commit_callbacks(execute=True):
        assert services.survey_reminder_round_start(campaign=campaign, actor=TEST_JOB) == 2
    assert _reminders().count() == 4
    assert tasks.send_survey_reminders(campaign.pk, 1) == 0  # an old round never sends again
    assert _reminders().count() == 4


def test_a_second_round_within_the_interval_is_refused_and_sends_nothing(
    django_capture_on_commit_callbacks, time_machine, settings
):
    settings.SURVEY_REMINDER_INTERVAL_HOURS = 24
    # 23:50 in Korea on the last day of a month: the refusal names Korean times.
    time_machine.move_to(datetime.datetime(2026, 5, 31, 14, 50, tzinfo=datetime.UTC), tick=False)
    campaign, waiting = _campaign_with_statuses()
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_reminder_round_start(campaign=campaign, actor=TEST_JOB)
    time_machine.shift(datetime.timedelta(hours=23, minutes=59))
    with pytest.raises(ValidationError) as refused:
        services.survey_reminder_round_start(campaign=campaign, actor=TEST_JOB)
    assert refused.value.messages == [
        "1차 독려 메일을 2026-05-31 23:50에 보냈습니다. 다음 차수는 2026-06-01 23:50부터 보낼 수 있습니다."
    ]
    campaign.refresh_from_db()
    assert campaign.reminder_round == 1
    assert _reminders().count() == len(waiting)


def test_no_reminders_for_a_campaign_that_is_not_running():
    campaign, _waiting = _campaign_with_statuses()
    campaign.status = SurveyCampaign.Status.CLOSED
    campaign.save()
    with pytest.raises(
        ValidationError, match=re.escape("조사 중인 전수조사에만 독려 메일을 보낼 수 있습니다.")
    ):
        services.survey_reminder_round_start(campaign=campaign, actor=TEST_JOB)
    campaign.refresh_from_db()
    assert campaign.reminder_round == 0
    assert _reminders().count() == 0


# --- Certification expiry report ----------------------------------------------------------------------


def test_monthly_expiry_report_goes_to_the_team_once_a_month():
    today = datetime.date(2025, 6, 1)
    staff = User.objects.create_user(
        username="se-team", email="se-team@example.org", password="x", is_staff=True
    )
    staff.groups.add(Group.objects.get_or_create(name=SOCIAL_ECONOMY_TEAM)[0])
    PreliminarySocialEnterpriseFactory(name="곧 만료", certification_expires_on=datetime.date(2025, 8, 1))
    PreliminarySocialEnterpriseFactory(name="이미 만료", certification_expires_on=datetime.date(2025, 5, 1))
    PreliminarySocialEnterpriseFactory(name="한참 남음", certification_expires_on=datetime.date(2026, 6, 1))
    PreliminarySocialEnterpriseFactory(
        name="폐업함", certification_expires_on=datetime.date(2025, 7, 1), status=OrganizationStatus.CLOSED,
        closed_on=datetime.date(2025, 1, 1),
    )  # fmt: skip
    email = services.expiring_certifications_report_send(today=today, actor=TEST_JOB)
    assert email.to == ["se-team@example.org"]
    assert "2025-06" in email.subject and "2곳" in email.subject
    assert "곧 만료" in email.body and "이미 만료" in email.body
    assert "한참 남음" not in email.body and "폐업함" not in email.body
    assert (
        services.expiring_certifications_report_send(today=datetime.date(2025, 6, 20), actor=TEST_JOB).pk
        == email.pk
    )
    assert OutboxEmail.objects.filter(dedup_key__startswith="social-economy-expiring:").count() == 1


def test_the_beat_schedule_runs_the_monthly_report():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["social-economy-expiring-certifications"]
    assert entry["task"] == "social_economy.tasks.send_expiring_certifications_report"


# --- Stores and consulting ----------------------------------------------------------------------------


def test_staff_put_a_product_on_a_store_shelf_once():
    store, product = StoreFactory(), ProductFactory(price=9000)
    listing = services.store_listing_create(
        store=store, product=product, listed_on=datetime.date(2025, 3, 1), shelf_price=9500, actor=TEST_JOB
    )
    assert listing.shelf_price == 9500
    with pytest.raises(ValidationError, match=r"이미 .* 판매 중입니다"):
        services.store_listing_create(
            store=store, product=product, listed_on=datetime.date(2025, 4, 1), actor=TEST_JOB
        )
    assert StoreListing.objects.count() == 1


def test_inactive_products_and_closed_stores_are_refused():
    product = ProductFactory(is_active=False)
    with pytest.raises(ValidationError, match=re.escape("판매 중이 아닌 상품은 입점할 수 없습니다.")):
        services.store_listing_create(
            store=StoreFactory(), product=product, listed_on=datetime.date(2025, 3, 1), actor=TEST_JOB
        )
    with pytest.raises(ValidationError, match=re.escape("운영하지 않는 매장에는 상품을 입점할 수 없습니다.")):
        services.store_listing_create(
            store=StoreFactory(is_active=False),
            product=ProductFactory(),
            listed_on=datetime.date(2025, 3, 1),
            actor=TEST_JOB,
        )
    assert StoreListing.objects.count() == 0


def test_consulting_case_is_completed_once():
    case = ConsultingCaseFactory(consultant="김컨설턴트")
    services.consulting_case_complete(
        case=case, closed_on=datetime.date(2024, 4, 1), outcome="포장 개선", actor=TEST_JOB
    )
    case.refresh_from_db()
    assert (case.status, case.outcome) == (ConsultingCase.Status.COMPLETED, "포장 개선")
    with pytest.raises(ValidationError, match=re.escape("이미 종결된 컨설팅입니다.")):
        services.consulting_case_complete(case=case, closed_on=datetime.date(2024, 5, 1), actor=TEST_JOB)
    case.refresh_from_db()
    assert case.closed_on == datetime.date(2024, 4, 1)
    assert Organization.objects.count() == 1
