"""Consulting requests from /me/organization/<id>/consulting/: only an active member of the organization asks
and sees (another organization's id is a 404), staff start a consulting case from a request through the
consulting service or decline it with a reason, and the organization follows its cases and sessions."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from social_economy import services
from social_economy.models import ConsultingCase, ConsultingRequest, OrganizationMember, OrganizationStatus
from tests.actors import TEST_JOB
from tests.courses.factories import UserFactory

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db
FORM = {"topic": "marketing", "description": "온라인 판매를 시작하고 싶습니다."}


def member_of(organization, status=OrganizationMember.Status.ACTIVE):
    user = UserFactory()
    OrganizationMember.objects.create(organization=organization, user=user, status=status)
    return user


def url(organization):
    return reverse("my_organization:consulting", args=[organization.pk])


def test_only_active_members_ask_and_see_and_bad_input_changes_nothing(client):
    organization, other = OrganizationFactory(), OrganizationFactory()
    client.force_login(member_of(organization))
    assert client.get(url(other)).status_code == 404
    assert client.post(url(other), FORM).status_code == 404
    for bad, message in [
        ({"description": ""}, "요청 내용을 적어"),
        ({"description": "<script>x</script>"}, "HTML 태그"),
        ({"description": "가" * 2001}, "2000자까지"),
        ({"topic": "magic"}, "분야를 골라"),
    ]:
        response = client.post(url(organization), {**FORM, **bad})
        assert response.status_code == 400 and message in response.content.decode()
    assert ConsultingRequest.objects.count() == 0
    assert client.post(url(organization), FORM).status_code == 302
    assert ConsultingRequest.objects.get().organization == organization
    for outsider in (member_of(organization, OrganizationMember.Status.REQUESTED), UserFactory()):
        client.force_login(outsider)
        assert client.get(url(organization)).status_code == 404
    closed = OrganizationFactory(status=OrganizationStatus.CLOSED, closed_on=datetime.date(2025, 1, 1))
    client.force_login(member_of(closed))
    assert client.get(url(closed)).status_code == 404


def test_staff_start_a_case_from_a_request_and_the_organization_follows_it(client, officer):
    organization = OrganizationFactory()
    member = member_of(organization)
    client.force_login(member)
    client.post(url(organization), FORM)
    request = ConsultingRequest.objects.get()
    change = reverse("admin:social_economy_consultingrequest_change", args=[request.pk])
    client.force_login(officer)
    refused = client.post(change, {"decision": "accept", "title": ""})
    assert refused.status_code == 200 and "제목을 적어" in refused.content.decode()
    assert client.post(change, {"decision": "accept", "title": "온라인 판로 컨설팅"}).status_code == 302
    request.refresh_from_db()
    case = request.case
    assert (request.status, case.title, case.summary, case.status) == (
        "accepted",
        "온라인 판로 컨설팅",
        FORM["description"],
        ConsultingCase.Status.REQUESTED,
    )
    services.consulting_session_create(
        case=case, held_on=case.opened_on, consultant="김컨설턴트", hours=Decimal("2.0"), actor=TEST_JOB
    )
    client.force_login(member)
    page = client.get(url(organization)).content.decode()
    assert "온라인 판로 컨설팅" in page and case.opened_on.isoformat() in page and "진행 중" in page


def test_a_decline_needs_a_reason_and_is_told_to_the_member(client, officer):
    organization = OrganizationFactory()
    client.force_login(member_of(organization))
    client.post(url(organization), FORM)
    request = ConsultingRequest.objects.get()
    change = reverse("admin:social_economy_consultingrequest_change", args=[request.pk])
    client.force_login(officer)
    assert "반려 사유를 적어" in client.post(change, {"decision": "decline", "reason": ""}).content.decode()
    client.post(change, {"decision": "decline", "reason": "올해 예산이 끝났습니다."})
    request.refresh_from_db()
    assert (request.status, request.decline_reason, request.case) == (
        "declined",
        "올해 예산이 끝났습니다.",
        None,
    )


def test_the_page_costs_the_same_queries_for_more_cases_and_requests(client):
    organization = OrganizationFactory()
    client.force_login(member_of(organization))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(organization)).status_code == 200
        return len(captured)

    def add_case(number):
        case = services.consulting_case_create(
            organization=organization, partner=None, topic="marketing", title=f"컨설팅 {number}",
            opened_on=datetime.date(2026, 5, 1), actor=TEST_JOB,
        )  # fmt: skip
        services.consulting_session_create(
            case=case, held_on=datetime.date(2026, 5, 2), consultant="김", hours=1, actor=TEST_JOB
        )

    client.post(url(organization), FORM)
    add_case(0)
    few = queries()
    for number in range(1, 6):
        client.post(url(organization), FORM)
        case = services.consulting_case_create(
            organization=organization, partner=None, topic="marketing", title=f"컨설팅 {number}",
            opened_on=datetime.date(2026, 5, 1), actor=TEST_JOB,
        )  # fmt: skip
        services.consulting_session_create(
            case=case, held_on=datetime.date(2026, 5, 2), consultant="김", hours=1, actor=TEST_JOB
        )
    assert queries() == few
