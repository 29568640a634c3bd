"""Brute-force protection of both logins (OWASP ASVS 5.0 V6.3): the staff admin's and the citizens' allauth
login lock a login + address pair after AXES_FAILURE_LIMIT failures, show a Korean lockout page with the
time to come back, and let the person in again after the cool-off."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import jeonju_center.settings as base_settings
from jeonju_center.accounts.models import User
from jeonju_center.common.security import client_ip_address

pytestmark = pytest.mark.django_db

PASSWORD = "전주-혁신센터-비밀번호-2026"
WRONG = "틀린-비밀번호-0000"
HOME_IP, OTHER_IP = "203.0.113.10", "198.51.100.20"


@pytest.fixture
def staff_member():
    return User.objects.create_user(username="planner", password=PASSWORD, is_staff=True, name="박기획")


@pytest.fixture
def citizen():
    user = User.objects.create_user(username="minji", email="minji@example.com", password=PASSWORD)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


class AdminLogin:
    name = "admin"

    def __init__(self, user):
        self.user, self.login = user, user.username

    def post(self, client, password, *, login=None, ip=HOME_IP, **extra):
        data = {"username": login or self.login, "password": password, "next": reverse("admin:index")}
        return client.post(reverse("admin:login"), data, REMOTE_ADDR=ip, **extra)


class CitizenLogin:
    name = "citizen"

    def __init__(self, user):
        self.user, self.login = user, user.email

    def post(self, client, password, *, login=None, ip=HOME_IP, **extra):
        data = {"login": login or self.login, "password": password}
        return client.post(reverse("account_login"), data, REMOTE_ADDR=ip, **extra)


@pytest.fixture(params=[AdminLogin, CitizenLogin], ids=["admin", "citizen"])
def login(request, staff_member, citizen):
    return request.param(staff_member if request.param is AdminLogin else citizen)


def signed_in(client):
    return SESSION_KEY in client.session


def assert_refused_form(response):
    """A plain failed login: the form again (200), not the lockout page."""
    assert response.status_code == 200
    assert "로그인이 잠시 제한되었습니다" not in response.content.decode()


def assert_lockout_page(response):
    assert response.status_code == 429
    html = response.content.decode()
    assert "<h1>로그인이 잠시 제한되었습니다</h1>" in html
    assert f"로그인에 {settings.AXES_FAILURE_LIMIT}번 연속으로 실패해" in html
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]


def test_one_failure_less_than_the_limit_still_lets_the_right_password_in_and_resets_the_count(login):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert_refused_form(login.post(client, WRONG))
    assert AccessAttempt.objects.get().failures_since_start == settings.AXES_FAILURE_LIMIT - 1

    response = login.post(client, PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)
    # Reset on success: the next mistakes start counting from zero again.
    assert not AccessAttempt.objects.exists()
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert_refused_form(login.post(client, WRONG))
    assert login.post(client, PASSWORD).status_code == 302


def test_the_limit_locks_out_even_the_right_password_until_the_cool_off_has_passed(login):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert_refused_form(login.post(client, WRONG))
    assert_lockout_page(login.post(client, WRONG))

    refused = login.post(client, PASSWORD)
    assert_lockout_page(refused)
    assert not signed_in(client)

    # The failures happened longer ago than the cool-off: the lock has lifted by itself.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    response = login.post(client, PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)


def test_the_lock_is_for_that_login_from_that_address_only(login, staff_member, citizen):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login.post(client, WRONG)
    assert_lockout_page(login.post(client, PASSWORD))

    # The same person at home (another address) is not locked out by an attacker elsewhere ...
    from_elsewhere = Client()
    assert login.post(from_elsewhere, PASSWORD, ip=OTHER_IP).status_code == 302
    # ... and another account can still sign in from the attacker's address (one NAT, one office).
    other = User.objects.create_user(
        username="clerk", email="clerk@example.com", password=PASSWORD, is_staff=True
    )
    EmailAddress.objects.create(user=other, email=other.email, verified=True, primary=True)
    other_login = type(login)(other)
    assert other_login.post(Client(), PASSWORD).status_code == 302


def test_retrying_during_the_lockout_does_not_extend_it(login):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login.post(client, WRONG)
    attempt = AccessAttempt.objects.get()
    for _ in range(3):
        assert_lockout_page(login.post(client, WRONG))
    again = AccessAttempt.objects.get()
    assert (again.attempt_time, again.failures_since_start) == (
        attempt.attempt_time,
        attempt.failures_since_start,
    )


def test_the_lockout_page_says_when_to_come_back_in_seoul_time(login):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = login.post(client, WRONG)
    last_failure = AccessAttempt.objects.get().attempt_time
    retry_at = timezone.localtime(last_failure + settings.AXES_COOLOFF_TIME)
    html = response.content.decode()
    assert f"{retry_at:%Y-%m-%d %H:%M}부터 다시 로그인할 수 있습니다" in html
    cool_off_minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert abs(int(response["Retry-After"]) - cool_off_minutes * 60) <= 5
    if login.name == "citizen":
        assert reverse("account_reset_password") in html
    else:
        assert "‘접근 시도’" in html


def test_the_case_of_the_typed_login_does_not_give_extra_tries(citizen):
    client = Client()
    login = CitizenLogin(citizen)
    for n in range(settings.AXES_FAILURE_LIMIT):
        login.post(client, WRONG, login=("MinJi@Example.com" if n % 2 else "minji@example.com "))
    assert_lockout_page(login.post(client, PASSWORD))


def test_a_configured_lower_limit_applies(login, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    assert_refused_form(login.post(client, WRONG))
    assert login.post(client, WRONG).status_code == 429


def test_the_attempt_record_keeps_neither_the_password_nor_the_typed_email(citizen):
    client = Client()
    CitizenLogin(citizen).post(client, WRONG)
    post_data = AccessAttempt.objects.get().post_data
    assert WRONG not in post_data
    assert "minji@example.com" not in post_data
    assert "login=********" in post_data


# --- The client address behind a proxy -------------------------------------------------------------------


def test_behind_one_trusted_proxy_a_spoofed_forwarded_for_does_not_escape_the_lock(login, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    client = Client()
    proxy = "10.0.0.2"
    for n in range(settings.AXES_FAILURE_LIMIT):
        # The attacker makes up a new left-most address every time; the proxy appends the real one.
        login.post(client, WRONG, ip=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, {HOME_IP}")
    assert_lockout_page(login.post(client, PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR=f"192.0.2.99, {HOME_IP}"))
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {HOME_IP}


def test_client_address_rules():
    class Request:
        def __init__(self, remote, forwarded=None):
            self.META = {"REMOTE_ADDR": remote}
            if forwarded is not None:
                self.META["HTTP_X_FORWARDED_FOR"] = forwarded

    assert client_ip_address(Request(HOME_IP, "192.0.2.1")) == HOME_IP  # no proxy trusted: header ignored


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        (f"192.0.2.1, {HOME_IP}", HOME_IP),  # the right-most entry was written by our proxy
        (HOME_IP, HOME_IP),
        ("", "10.0.0.2"),  # a request that did not come through the proxy
        ("not-an-address", "10.0.0.2"),  # garbage never reaches the database
    ],
)
def test_client_address_behind_one_trusted_proxy(settings, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = 1

    class Request:
        META = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": forwarded}

    assert client_ip_address(Request()) == expected


# --- Staff see and lift lockouts in the admin ----------------------------------------------------------


def test_staff_see_the_lockout_in_korean_and_can_lift_it(citizen, admin_client):
    login = CitizenLogin(citizen)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login.post(client, WRONG)
    attempt = AccessAttempt.objects.get()

    changelist = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert changelist.status_code == 200
    html = changelist.content.decode()
    assert "접근 시도" in html
    assert "minji@example.com" in html
    assert "잠김" in html

    response = admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert login.post(client, PASSWORD).status_code == 302


def test_a_successful_login_is_recorded_with_its_address(staff_member):
    AdminLogin(staff_member).post(Client(), PASSWORD)
    log = AccessLog.objects.get()
    assert (log.username, log.ip_address) == ("planner", HOME_IP)


# --- Tests and production use the same lockout ---------------------------------------------------------


def test_production_settings_refuse_a_password_check_without_a_request():
    from axes.backends import AxesStandaloneBackend
    from django.utils.module_loading import import_string

    assert base_settings.AUTHENTICATION_BACKENDS[0] == "jeonju_center.common.security.PortalLockoutBackend"
    assert issubclass(import_string(base_settings.AUTHENTICATION_BACKENDS[0]), AxesStandaloneBackend)
    assert base_settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_the_test_client_login_and_force_login_still_work(staff_member):
    client = Client()
    assert client.login(username="planner", password=PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200
    forced = Client()
    forced.force_login(staff_member)
    assert forced.get(reverse("admin:index")).status_code == 200


def test_failures_from_many_addresses_lock_the_account_everywhere_until_staff_lift_it(login, admin_client):
    """Five failures from each of three addresses: a fourth address, with the right password, is refused too."""
    addresses = [f"198.51.100.{n}" for n in range(1, 4)]
    for address in addresses:
        for _ in range(settings.AXES_FAILURE_LIMIT):
            login.post(Client(), WRONG, ip=address)
    assert settings.AXES_FAILURE_LIMIT * len(addresses) >= settings.AXES_ACCOUNT_FAILURE_LIMIT
    response = login.post(Client(), PASSWORD, ip="203.0.113.77")
    assert response.status_code == 429 and "Retry-After" in response
    assert "여러 곳에서 이 계정으로" in response.content.decode()
    assert not signed_in(Client())

    # The unlock path: staff delete the attempts of that login in the back office's 로그인 시도 list.
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.filter(username=login.login.casefold())
    assert attempts.exists()
    admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [str(pk) for pk in attempts.values_list("pk", flat=True)],
         "post": "yes"},
    )  # fmt: skip
    assert not attempts.exists()
    assert login.post(Client(), PASSWORD, ip="203.0.113.77").status_code == 302
