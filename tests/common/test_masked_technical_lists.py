"""Lists that are not the domain's but show citizens' data — sent mail, login attempts, account e-mail
addresses — are masked without the permission and logged when unmasked, like every other list."""

import io

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from jeonju_center.accounts.models import User
from jeonju_center.common.models import OutboxEmail, PersonalDataAccess
from jeonju_center.common.teams import CENTER_ADMINS, PERSONAL_DATA_VIEWERS

pytestmark = pytest.mark.django_db

CITIZEN_EMAIL = "minji.kim@example.com"


@pytest.fixture
def records():
    call_command("load_reference_data", stdout=io.StringIO())
    citizen = User.objects.create_user("minji", email=CITIZEN_EMAIL, name="김민지")
    email = OutboxEmail.objects.create(
        dedup_key="course-confirmed:1", to=[CITIZEN_EMAIL], subject="[전주도시혁신센터] 수강신청 확정",
        body="김민지 님, 안녕하세요.", html_body="<p>김민지 님</p>",
    )  # fmt: skip
    attempt = AccessAttempt.objects.create(
        username=CITIZEN_EMAIL, ip_address="10.0.0.1", user_agent="x", failures_since_start=2
    )
    address = EmailAddress.objects.create(user=citizen, email=CITIZEN_EMAIL, verified=True, primary=True)
    return {
        reverse("admin:common_outboxemail_change", args=[email.pk]): email,
        reverse("admin:axes_accessattempt_changelist"): attempt,
        reverse("admin:account_emailaddress_changelist"): address,
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
        assert "김민지" not in html, url
        assert "mi***@example.com" in html or "가림" in html or "***" in html, url
    assert PersonalDataAccess.objects.count() == 0


def test_with_the_permission_they_are_shown_and_each_view_is_logged(client, records):
    client.force_login(_staff("privacy", CENTER_ADMINS, PERSONAL_DATA_VIEWERS))
    for url in records:
        assert CITIZEN_EMAIL in client.get(url).content.decode(), url
    logged = sorted(PersonalDataAccess.objects.values_list("model_label", flat=True))
    assert logged == ["account.emailaddress", "axes.accessattempt", "common.outboxemail"]
