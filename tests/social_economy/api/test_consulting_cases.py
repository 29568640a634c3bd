"""The partner API's ``consulting-cases``: each partner reads its own, and writes cases and sessions back."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from jeonju_center.partners.models import IdempotencyRecord
from social_economy import services
from social_economy.models import ConsultingCase, ConsultingSession, OrganizationStatus
from tests.actors import TEST_JOB
from tests.api.support import assert_constant_queries, partner_client

from ..factories import (
    ConsultingCaseFactory,
    ConsultingSessionFactory,
    OrganizationFactory,
    PartnerCenterFactory,
)
from .support import (
    LONG_AGO,
    READ,
    WRITE,
    age_everything,
    assert_invalid,
    csv_rows,
    events_since,
    ids,
    last_event_id,
)

pytestmark = pytest.mark.django_db


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
            actor=TEST_JOB,
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
            actor=TEST_JOB,
        )
    assert "topic" in error.value.message_dict


@pytest.mark.parametrize("hours", [Decimal("0"), Decimal("-0.5")])
def test_consulting_session_create_refuses_non_positive_hours(hours):
    case = ConsultingCaseFactory()
    with pytest.raises(ValidationError) as error:
        services.consulting_session_create(
            case=case, held_on=datetime.date(2024, 4, 1), consultant="김", hours=hours, actor=TEST_JOB
        )
    assert error.value.message_dict["hours"] == ["컨설팅 시간은 0보다 커야 합니다."]
    assert not ConsultingSession.objects.exists()


def test_consulting_session_create_refuses_a_cancelled_case():
    case = ConsultingCaseFactory(status=ConsultingCase.Status.CANCELLED)
    with pytest.raises(ValidationError) as error:
        services.consulting_session_create(
            case=case, held_on=datetime.date(2024, 4, 1), consultant="김", hours=Decimal("1"), actor=TEST_JOB
        )
    assert "case" in error.value.message_dict
    assert not ConsultingSession.objects.exists()
