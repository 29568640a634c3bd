"""Organization members: staff invite by e-mail (signed, expiring link that only the invited address can
accept) or a citizen asks to join with the business registration number and staff approve; members leave,
staff revoke. Bad numbers, other people's links and ids get a Korean message and change nothing."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from jeonju_center.accounts.models import User
from jeonju_center.common.models import OutboxEmail
from social_economy import members, selectors
from social_economy.models import OrganizationMember, OrganizationStatus
from tests.courses.factories import UserFactory

from .factories import OrganizationFactory

pytestmark = pytest.mark.django_db
Status = OrganizationMember.Status


def mails_to(address):
    return [mail for mail in OutboxEmail.objects.order_by("pk") if address in mail.to]


def test_staff_invite_by_e_mail_and_only_that_address_accepts(client, officer):
    organization = OrganizationFactory(name="전주 한지 협동조합")
    invitee = UserFactory(email="rep@example.com")
    client.force_login(officer)
    added = client.post(
        reverse("admin:social_economy_organizationmember_add"),
        {"organization": organization.pk, "email": "Rep@Example.com", "role": "representative"},
    )
    assert added.status_code == 302
    member = OrganizationMember.objects.get()
    assert (member.status, member.email, member.invited_by) == (Status.INVITED, "rep@example.com", officer)
    again = client.post(
        reverse("admin:social_economy_organizationmember_add"),
        {"organization": organization.pk, "email": "rep@example.com", "role": "contact"},
    )
    assert again.status_code == 200 and "이미 있습니다" in again.content.decode()
    [mail] = mails_to("rep@example.com")
    # The personal link of this invitation (its token is signed with the moment it was made).
    [token] = re.findall(r"/me/organization/invitations/([^/\s]+)/", mail.body)
    assert members.invitation_for_token(token).pk == member.pk
    link = reverse("my_organization:invitation", args=[token])

    client.force_login(UserFactory(email="someone-else@example.com"))
    refused = client.post(link)
    assert refused.status_code == 400 and "초대받은 이메일 주소로 로그인" in refused.content.decode()
    member.refresh_from_db()
    assert member.status == Status.INVITED
    client.force_login(invitee)
    assert "전주 한지 협동조합" in client.get(link).content.decode()
    assert client.post(link).status_code == 302
    member.refresh_from_db()
    assert (member.status, member.user) == (Status.ACTIVE, invitee)
    assert list(selectors.member_organizations(invitee)) == [organization]
    used = client.post(link)
    assert used.status_code == 400 and "이미 받았거나" in used.content.decode()


def test_tampered_and_expired_invitation_links_change_nothing(client, officer):
    organization = OrganizationFactory()
    member = members.member_invite(
        organization=organization, email="late@example.com", role="contact", actor=officer
    )
    client.force_login(UserFactory(email="late@example.com"))
    token = members.invitation_token(member)
    tampered = client.post(reverse("my_organization:invitation", args=[token[:-3] + "abc"]))
    assert tampered.status_code == 400 and "올바르지 않습니다" in tampered.content.decode()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=members.INVITATION_VALID_DAYS + 1)):
        client.force_login(User.objects.get(email="late@example.com"))
        expired = client.post(reverse("my_organization:invitation", args=[token]))
    assert expired.status_code == 400 and "유효기간" in expired.content.decode()
    member.refresh_from_db()
    assert member.status == Status.INVITED and member.user is None


def test_a_citizen_asks_with_the_business_number_and_staff_approve(client, officer):
    organization = OrganizationFactory(name="완산 로컬푸드 협동조합")
    closed = OrganizationFactory(status=OrganizationStatus.CLOSED, closed_on=datetime.date(2025, 1, 1))
    citizen = UserFactory(email="contact@example.com")
    client.force_login(citizen)
    page = "/me/organization/"
    for number, message in [
        ("123", "사업자등록번호가 올바르지 않습니다"),
        (closed.business_registration_number, "등록된 조직이 없습니다"),
        ("", "사업자등록번호를 적어 주세요"),
    ]:
        response = client.post(
            page, {"action": "request", "business_registration_number": number, "role": "contact"}
        )
        assert response.status_code == 400 and message in response.content.decode(), number
    assert OrganizationMember.objects.count() == 0
    digits = organization.business_registration_number.replace("-", "")
    asked = client.post(
        page, {"action": "request", "business_registration_number": digits, "role": "contact"}
    )
    assert asked.status_code == 302
    member = OrganizationMember.objects.get()
    assert (member.organization, member.status) == (organization, Status.REQUESTED)
    twice = client.post(
        page, {"action": "request", "business_registration_number": digits, "role": "contact"}
    )
    assert twice.status_code == 400 and "이미" in twice.content.decode()
    assert mails_to("officer@jjuic.example")  # the team is told
    assert list(selectors.member_organizations(citizen)) == []  # not before the approval

    client.force_login(officer)
    client.post(
        reverse("admin:social_economy_organizationmember_change", args=[member.pk]), {"decision": "approve"}
    )
    member.refresh_from_db()
    assert (member.status, member.decided_by) == (Status.ACTIVE, officer)
    assert "승인" in mails_to("contact@example.com")[-1].subject
    client.force_login(citizen)
    assert "완산 로컬푸드 협동조합" in client.get(page).content.decode()


def test_members_leave_their_own_memberships_and_staff_revoke(client, officer):
    organization = OrganizationFactory()
    citizen, other = UserFactory(), UserFactory()
    mine = OrganizationMember.objects.create(organization=organization, user=citizen, status=Status.ACTIVE)
    theirs = OrganizationMember.objects.create(organization=organization, user=other, status=Status.ACTIVE)
    client.force_login(citizen)
    client.post("/me/organization/", {"action": "leave", "member": theirs.pk})  # someone else's id
    theirs.refresh_from_db()
    assert theirs.status == Status.ACTIVE
    client.post("/me/organization/", {"action": "leave", "member": mine.pk})
    mine.refresh_from_db()
    assert mine.status == Status.LEFT and mine.ended_at is not None
    members.member_revoke(member_id=theirs.pk, actor=officer)
    theirs.refresh_from_db()
    assert theirs.status == Status.REVOKED
    assert list(selectors.member_organizations(other)) == []
    with pytest.raises(Exception, match="할 수 없습니다"):
        members.member_approve(member_id=theirs.pk, actor=officer)


def test_the_page_needs_a_sign_in(client):
    assert client.get("/me/organization/").status_code == 302
