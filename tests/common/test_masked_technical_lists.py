"""Lists that are not the domain's but show citizens' data — sent mail and 알림톡/SMS, phone verifications, login
attempts, account e-mail addresses — are masked without the permission and logged when unmasked, like every other list."""

import io

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from jeonju_center.accounts.models import PhoneVerification, User
from jeonju_center.common.models import OutboxEmail, OutboxMessage, PersonalDataAccess
from jeonju_center.common.teams import CENTER_ADMINS, PERSONAL_DATA_VIEWERS

pytestmark = pytest.mark.django_db

CITIZEN_EMAIL = "minji.kim@example.com"
CITIZEN_PHONE = "010-2345-6789"


@pytest.fixture
def records():
    call_command("load_reference_data", stdout=io.StringIO())
    citizen = User.objects.create_user("minji", email=CITIZEN_EMAIL, name="김민지")
    email = OutboxEmail.objects.create(
        dedup_key="course-confirmed:1", to=[CITIZEN_EMAIL], subject="[전주도시혁신센터] 수강신청 확정",
        body="김민지 님, 안녕하세요.", html_body="<p>김민지 님</p>",
    )  # fmt: skip
    AccessAttempt.objects.create(
        username=CITIZEN_EMAIL, ip_address="10.0.0.1", user_agent="x", failures_since_start=2
    )
    EmailAddress.objects.create(user=citizen, email=CITIZEN_EMAIL, verified=True, primary=True)
    message = OutboxMessage.objects.create(
        dedup_key="course-enrollment-confirmed:1", user=citizen, phone=CITIZEN_PHONE, event="enrollment_confirmed",
        text="[전주도시혁신센터] 김민지님, 수강신청이 확정되었습니다.", variables={"#{이름}": "김민지"},
    )  # fmt: skip
    verification = PhoneVerification.objects.create(
        user=citizen, phone=CITIZEN_PHONE, code_hash="x", expires_at="2027-01-01T00:00:00+09:00"
    )
    return {
        reverse("admin:common_outboxemail_change", args=[email.pk]): CITIZEN_EMAIL,
        reverse("admin:axes_accessattempt_changelist"): CITIZEN_EMAIL,
        reverse("admin:account_emailaddress_changelist"): CITIZEN_EMAIL,
        reverse("admin:common_outboxmessage_change", args=[message.pk]): CITIZEN_PHONE,
        reverse("admin:accounts_phoneverification_changelist"): CITIZEN_PHONE,
        reverse("admin:accounts_phoneverification_change", args=[verification.pk]): CITIZEN_PHONE,
    }


def _staff(username, *groups):
    user = User.objects.create_user(username, password="pw-123456789", is_staff=True)
    user.groups.set(Group.objects.filter(name__in=groups))
    # allauth's address list is not a team's: granted here directly so the test can open it.
    user.user_permissions.add(Permission.objects.get(codename="view_emailaddress"))
    return user


def test_a_center_administrator_sees_them_masked_and_nothing_is_logged(client, records):
    client.force_login(_staff("manager", CENTER_ADMINS))
    for url in records:
        html = client.get(url).content.decode()
        assert CITIZEN_EMAIL not in html, url
        assert CITIZEN_PHONE not in html, url
        assert "김민지" not in html, url
        assert "mi***@example.com" in html or "가림" in html or "***" in html, url
    assert PersonalDataAccess.objects.count() == 0


def test_with_the_permission_they_are_shown_and_each_view_is_logged(client, records):
    client.force_login(_staff("privacy", CENTER_ADMINS, PERSONAL_DATA_VIEWERS))
    for url, planted in records.items():
        assert planted in client.get(url).content.decode(), url
    logged = sorted(PersonalDataAccess.objects.values_list("model_label", flat=True))
    assert logged == [
        "account.emailaddress",
        "accounts.phoneverification",
        "accounts.phoneverification",
        "axes.accessattempt",
        "common.outboxemail",
        "common.outboxmessage",
    ]
