"""The security settings as the environment sets them, checked in a fresh process (settings are read once, at
start): production's HTTPS behaviour and Django's deployment checklist, the configurable admin address, the
CSP report-only switch."""

import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

import jeonju_center.settings as base_settings
from tests.conftest import REPO_ROOT

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DEBUG": "false",
    "SECRET_KEY": "k3J9-pQ2x_Lm8vZr4TnW7yBc1Hs6Df0Ga5Ue2Io9Kp3Rt8Xq7Wn4Mb1Vj6Cz0Ly5",
    "ALLOWED_HOSTS": "portal.example.kr",
    "DATABASE_URL": "postgres://jeonju@db.example.kr:5432/jeonju_center",
}
# Every variable this file sets, so a value in the developer's environment cannot leak into a run.
CONTROLLED = {*PRODUCTION_ENV, "ADMIN_URL", "CSP_REPORT_ONLY", "CSP_REPORT_URI", "TRUSTED_PROXY_COUNT",
              "CELERY_BROKER_URL", "STAFF_SESSION_IDLE_MINUTES", "AXES_FAILURE_LIMIT", "AXES_COOLOFF_MINUTES"}  # fmt: skip

SHOW_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
from django.urls import reverse
print(json.dumps({
    "hsts": [s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD],
    "ssl_redirect": s.SECURE_SSL_REDIRECT,
    "cookies": [s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE,
                s.CSRF_COOKIE_NAME, s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, s.LANGUAGE_COOKIE_SECURE],
    "proxies": [s.TRUSTED_PROXY_COUNT, s.ALLAUTH_TRUSTED_PROXY_COUNT, s.REST_FRAMEWORK["NUM_PROXIES"]],
    "csp": s.CONTENT_SECURITY_POLICY and s.CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "csp_report_only": s.CONTENT_SECURITY_POLICY_REPORT_ONLY and s.CONTENT_SECURITY_POLICY_REPORT_ONLY["DIRECTIVES"],
    "lockout": [s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), s.AXES_LOCKOUT_PARAMETERS],
    "staff_idle": s.STAFF_SESSION_IDLE_TIMEOUT,
    "admin": reverse("admin:index"),
}, default=str))
"""


def run(env_overrides, *args, code=None):
    env = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="jeonju_center.settings")
    command = [sys.executable, "manage.py", *args] if args else [sys.executable, "-c", code]
    return subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)


def show_settings(env_overrides):
    result = run(env_overrides, code=SHOW_SETTINGS)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_turns_on_hsts_secure_host_cookies_and_the_trusted_proxy():
    values = show_settings(PRODUCTION_ENV)
    assert values["hsts"] == [31536000, True, True]
    assert values["ssl_redirect"] is True
    assert values["cookies"] == ["__Host-sessionid", True, True, "Lax", "__Host-csrftoken", True, True, True]
    assert values["proxies"] == [1, 1, 1]
    assert values["csp"]["upgrade-insecure-requests"] is True
    assert values["csp"]["script-src"] == ["'self'"]
    assert values["lockout"] == [5, 1800.0, [["username", "ip_address"]]]
    assert values["staff_idle"] == 30 * 60
    assert values["admin"] == "/admin/"


def test_development_trusts_no_proxy_and_keeps_plain_cookie_names():
    values = show_settings({"DJANGO_ENV": "development", "DATABASE_URL": ""})
    assert values["proxies"] == [0, 0, 0]
    assert values["cookies"][0] == "sessionid"
    assert values["csp"]["upgrade-insecure-requests"] is False


def test_production_with_a_moved_admin_and_report_only_csp_passes_the_deployment_checklist():
    env = {
        **PRODUCTION_ENV,
        "ADMIN_URL": "office-7f3k/",
        "CSP_REPORT_ONLY": "true",
        "CSP_REPORT_URI": "https://csp.example.kr/report",
        "AXES_FAILURE_LIMIT": "8",
        "AXES_COOLOFF_MINUTES": "15",
        "STAFF_SESSION_IDLE_MINUTES": "10",
    }
    result = run(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout

    values = show_settings(env)
    assert values["admin"] == "/office-7f3k/"
    assert values["csp"] is None
    assert values["csp_report_only"]["report-uri"] == ["https://csp.example.kr/report"]
    assert values["lockout"][:2] == [8, 900.0]
    assert values["staff_idle"] == 10 * 60


def test_the_moved_admin_answers_at_its_address_and_not_at_admin():
    code = """
import django
django.setup()
from django.test import Client
client = Client()
print(client.get("/office-7f3k/").status_code, client.get("/office-7f3k/login/").status_code,
      client.get("/admin/").status_code)
"""
    result = run({"DJANGO_ENV": "development", "DATABASE_URL": "", "ADMIN_URL": "office-7f3k/"}, code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == ["302", "200", "404"]


@pytest.mark.parametrize("value", ["/admin/", "admin", "", "../admin/", "api/", "courses/", "ad min/"])
def test_an_unusable_admin_url_is_refused(value):
    with pytest.raises(ImproperlyConfigured, match="ADMIN_URL"):
        base_settings.checked_admin_url(value)


@pytest.mark.parametrize("value", ["admin/", "office-7f3k/", "staff/back-office/"])
def test_a_usable_admin_url_is_accepted(value):
    assert base_settings.checked_admin_url(value) == value
