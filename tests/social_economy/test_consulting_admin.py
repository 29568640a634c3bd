"""The consulting back office goes through the consulting services (``ServiceAdminMixin``): a closed
organization gets no consulting, a cancelled case no session, the first session moves a case to 진행 중,
and completing or cancelling keeps its rules. A refusal is shown on the form and nothing is saved, not
even the rest of the same form."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from jeonju_center.common.teams import SOCIAL_ECONOMY_TEAM
from social_economy.models import ConsultingCase, ConsultingSession, OrganizationStatus
from tests.staff import staff_user

from .factories import ConsultingCaseFactory, ConsultingSessionFactory, OrganizationFactory

pytestmark = pytest.mark.django_db
Status = ConsultingCase.Status


@pytest.fixture
def officer_client(client, teams):
    client.force_login(staff_user("officer", SOCIAL_ECONOMY_TEAM))
    return client


def case_form(case, **fields):
    data = {
        "partner": case.partner_id or "",
        "topic": case.topic,
        "title": case.title,
        "opened_on": f"{case.opened_on:%Y-%m-%d}",
        "consultant": case.consultant,
        "summary": case.summary,
        "outcome": case.outcome,
        "history_change_reason": "",
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


def with_new_session(data, **session):
    data = {**data, "sessions-TOTAL_FORMS": "1"}
    values = {
        "held_on": "2024-05-02",
        "consultant": "김판로 컨설턴트",
        "hours": "2.0",
        "notes": "",
        "outcome": "",
    }
    values.update(session)
    data.update({f"sessions-0-{name}": value for name, value in values.items()})
    return data


def test_no_consulting_for_a_closed_organization(officer_client):
    closed = OrganizationFactory(status=OrganizationStatus.CLOSED, closed_on=datetime.date(2023, 12, 31))
    data = {
        "organization": closed.pk,
        "partner": "",
        "topic": "marketing",
        "title": "온라인 판로 컨설팅",
        "opened_on": "2024-05-01",
        "consultant": "",
        "summary": "",
        "outcome": "",
        "history_change_reason": "",
        "sessions-TOTAL_FORMS": "0",
        "sessions-INITIAL_FORMS": "0",
        "sessions-MIN_NUM_FORMS": "0",
        "sessions-MAX_NUM_FORMS": "1000",
    }
    page = officer_client.post(reverse("admin:social_economy_consultingcase_add"), data)
    assert page.status_code == 200
    assert "폐업한 조직에는 컨설팅을 등록할 수 없습니다." in page.content.decode()
    assert not ConsultingCase.objects.exists()

    open_organization = OrganizationFactory()
    added = officer_client.post(
        reverse("admin:social_economy_consultingcase_add"), {**data, "organization": open_organization.pk}
    )
    assert added.status_code == 302
    case = ConsultingCase.objects.get()
    assert (case.organization, case.status) == (open_organization, Status.REQUESTED)


def test_a_cancelled_case_takes_no_session_and_nothing_of_the_form_is_saved(officer_client):
    case = ConsultingCaseFactory(status=Status.CANCELLED, title="포장 개선")
    url = reverse("admin:social_economy_consultingcase_change", args=[case.pk])
    page = officer_client.post(url, with_new_session(case_form(case, title="바뀐 제목")))
    assert page.status_code == 200
    assert "취소된 컨설팅에는 회차를 추가할 수 없습니다." in page.content.decode()
    case.refresh_from_db()
    assert (case.title, case.sessions.count()) == ("포장 개선", 0)


def test_the_first_session_moves_a_requested_case_to_in_progress(officer_client):
    case = ConsultingCaseFactory(status=Status.REQUESTED)
    url = reverse("admin:social_economy_consultingcase_change", args=[case.pk])
    assert officer_client.post(url, with_new_session(case_form(case))).status_code == 302
    case.refresh_from_db()
    assert case.status == Status.IN_PROGRESS
    assert list(case.sessions.values_list("consultant", flat=True)) == ["김판로 컨설턴트"]
    # The status is the actions' to change, not a form field's.
    page = officer_client.post(url, case_form(case, status="completed", closed_on="2024-06-01"))
    assert page.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.closed_on) == (Status.IN_PROGRESS, None)


def test_the_session_page_refuses_a_cancelled_case(officer_client):
    cancelled = ConsultingCaseFactory(status=Status.CANCELLED)
    page = officer_client.post(
        reverse("admin:social_economy_consultingsession_add"),
        {
            "case": cancelled.pk,
            "held_on": "2024-05-02",
            "consultant": "김판로 컨설턴트",
            "hours": "2.0",
            "notes": "",
            "outcome": "",
            "history_change_reason": "",
        },
    )
    assert page.status_code == 200 and "취소된 컨설팅에는 회차를 추가할 수 없습니다." in page.content.decode()
    assert not ConsultingSession.objects.exists()


@pytest.fixture
def june_2031():
    with time_machine.travel(datetime.datetime(2031, 6, 3, 10, 0, tzinfo=datetime.UTC), tick=False):
        yield


def test_complete_and_cancel_actions_keep_their_rules(june_2031, officer_client):
    running = ConsultingCaseFactory(status=Status.IN_PROGRESS, title="진행 중 컨설팅")
    ConsultingSessionFactory(case=running)
    done = ConsultingCaseFactory(
        status=Status.COMPLETED, closed_on=datetime.date(2024, 6, 1), title="끝난 컨설팅"
    )
    changelist = reverse("admin:social_economy_consultingcase_changelist")
    page = officer_client.post(
        changelist, {"action": "complete_today", "_selected_action": [running.pk, done.pk]}, follow=True
    )
    text = page.content.decode()
    assert "진행 중 컨설팅: 완료 처리했습니다." in text and "끝난 컨설팅: 이미 종결된 컨설팅입니다." in text
    running.refresh_from_db()
    assert (running.status, running.closed_on) == (Status.COMPLETED, datetime.date(2031, 6, 3))
    fresh = ConsultingCaseFactory(status=Status.REQUESTED, title="새 컨설팅")
    officer_client.post(changelist, {"action": "cancel_cases", "_selected_action": [fresh.pk]})
    fresh.refresh_from_db()
    assert fresh.status == Status.CANCELLED
