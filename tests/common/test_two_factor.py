"""Two-factor sign-in for staff who can see personal data: without the second factor such a staff member
reaches no back-office page (every admin URL is walked) and is led to set it up or give the code; the setup
with an authenticator app, one-time recovery codes, and the reset of a lost device with its history entry."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.core.management import CommandError, call_command
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from jeonju_center.common.teams import (
    ACCESS_LOG_REVIEWERS,
    EDUCATION_TEAM,
    PERSONAL_DATA_VIEWERS,
    SOCIAL_ECONOMY_TEAM,
)
from tests.social_economy.factories import OrganizationFactory
from tests.staff import staff_user

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor_pending]

PLANTED = "두단계확인용대표자"


@pytest.fixture(autouse=True)
def _teams(teams):
    """Every test here signs in staff of the teams."""


def admin_urls():
    """The index and every registered model's list (the screens that show people)."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        try:
            urls.append(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"))
        except NoReverseMatch:
            continue
    return urls


def current_code(device):
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


@pytest.mark.parametrize(
    "groups_or_superuser",
    [(SOCIAL_ECONOMY_TEAM, PERSONAL_DATA_VIEWERS), (ACCESS_LOG_REVIEWERS,), "superuser"],
    ids=["team member who unmasks", "access-log reviewer", "superuser"],
)
def test_without_the_second_factor_no_back_office_page_is_reached(client, groups_or_superuser):
    OrganizationFactory(representative_name=PLANTED)
    if groups_or_superuser == "superuser":
        user = staff_user("root", is_superuser=True)
    else:
        user = staff_user("viewer", *groups_or_superuser)
    client.force_login(user)
    for url in admin_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("two_factor_setup")), url
        assert PLANTED not in response.content.decode()
    # With an authenticator app registered, the way leads to the code page instead.
    TOTPDevice.objects.create(user=user, name="인증 앱", confirmed=True)
    response = client.get(reverse("admin:social_economy_organization_changelist"))
    assert response["Location"] == (
        f"{reverse('two_factor_verify')}?next={reverse('admin:social_economy_organization_changelist')}"
    )


def test_the_second_factor_is_asked_when_the_portal_is_served_under_a_path_prefix(client):
    """Behind a proxy that serves the portal under ``/portal`` (WSGI ``SCRIPT_NAME``), the back office's
    address is ``/portal/admin/…``: the gate must recognise it there too."""
    OrganizationFactory(representative_name=PLANTED)
    client.force_login(staff_user("root", is_superuser=True))
    path = reverse("admin:social_economy_organization_changelist")
    # Django's WSGI handler sets the script prefix from SCRIPT_NAME; the test client does not.
    set_script_prefix("/portal/")
    try:
        response = client.get(path, SCRIPT_NAME="/portal")
    finally:
        clear_script_prefix()
    assert response.status_code == 302
    assert response["Location"].startswith("/portal" + reverse("two_factor_setup"))
    assert PLANTED not in response.content.decode()


def test_staff_who_see_only_masked_data_need_no_second_factor(client):
    client.force_login(staff_user("teacher", EDUCATION_TEAM))
    assert client.get(reverse("admin:index")).status_code == 200


def test_setting_up_an_authenticator_app_then_recovery_codes(client, time_machine):
    viewer = staff_user("viewer", SOCIAL_ECONOMY_TEAM, PERSONAL_DATA_VIEWERS)
    client.force_login(viewer)
    target = reverse("admin:social_economy_organization_changelist")
    setup = client.get(reverse("two_factor_setup"), {"next": target})
    page = setup.content.decode()
    assert setup.status_code == 200 and "<svg" in page and "2단계 인증 설정" in page
    device = TOTPDevice.objects.get(user=viewer, confirmed=False)

    wrong = client.post(reverse("two_factor_setup"), {"code": "000000", "next": target})
    assert wrong.status_code == 400 and "코드가 맞지 않습니다" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    # Guessing is slowed down: right after a wrong code even the right one is refused for a moment.
    throttled = client.post(reverse("two_factor_setup"), {"code": current_code(device), "next": target})
    assert throttled.status_code == 400
    time_machine.move_to(datetime.datetime.now(datetime.UTC) + datetime.timedelta(seconds=5), tick=False)

    done = client.post(reverse("two_factor_setup"), {"code": current_code(device), "next": target})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in done.content.decode() for code in codes)
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(target).status_code == 200  # this session passed the second factor

    # Next sign-in: a recovery code works once.
    client.logout()
    client.force_login(viewer)
    assert client.get(target)["Location"].startswith(reverse("two_factor_verify"))
    used = client.post(reverse("two_factor_verify"), {"code": codes[0], "next": target})
    assert used.status_code == 302 and used["Location"] == target
    assert client.get(target).status_code == 200
    client.logout()
    client.force_login(viewer)
    again = client.post(reverse("two_factor_verify"), {"code": codes[0], "next": target})
    assert again.status_code == 400 and "코드가 맞지 않습니다" in again.content.decode()
    assert client.get(target).status_code == 302


def test_the_code_page_refuses_a_foreign_next_address(client):
    viewer = staff_user("viewer", SOCIAL_ECONOMY_TEAM, PERSONAL_DATA_VIEWERS)
    device = TOTPDevice.objects.create(user=viewer, name="인증 앱", confirmed=True)
    client.force_login(viewer)
    response = client.post(
        reverse("two_factor_verify"), {"code": current_code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("admin:index")


def test_a_staff_certificate_download_needs_the_second_factor_too(client):
    from django.contrib.auth.models import Permission

    from tests.courses.test_certificates import completed, download_url

    enrollment = completed()
    viewer = staff_user("viewer")
    viewer.user_permissions.add(
        Permission.objects.get(codename="view_enrollment"),
        Permission.objects.get(codename="view_personal_data"),
    )
    client.force_login(viewer)
    assert client.get(download_url(enrollment), {"reason": "inquiry"}).status_code == 404


def test_a_lost_device_is_reset_by_a_superuser_and_the_history_says_so():
    viewer = staff_user("viewer", SOCIAL_ECONOMY_TEAM, PERSONAL_DATA_VIEWERS)
    TOTPDevice.objects.create(user=viewer, name="인증 앱", confirmed=True)
    StaticDevice.objects.create(user=viewer, name="복구 코드", confirmed=True)
    root = staff_user("root", is_superuser=True)
    with pytest.raises(CommandError, match="superuser"):
        call_command("reset_two_factor", "viewer", "--by", "viewer")
    assert TOTPDevice.objects.filter(user=viewer).exists()

    call_command("reset_two_factor", "viewer", "--by", "root")
    assert not TOTPDevice.objects.filter(user=viewer).exists()
    assert not StaticDevice.objects.filter(user=viewer).exists()
    entry = LogEntry.objects.get(object_id=str(viewer.pk))
    assert entry.user == root and "2단계 인증 기기 초기화" in entry.get_change_message()
