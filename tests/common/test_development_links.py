"""In development, links in e-mails point at the address the portal is actually served on."""

import os
import subprocess

import pytest
from django.core import mail
from django.test import override_settings

from courses import services
from tests.actors import TEST_JOB
from tests.conftest import REPO_ROOT
from tests.courses.factories import UserFactory, future_course


def _portal_url_of_make_run(port=None, environ_portal_url=None):
    """PORTAL_URL as ``make run`` hands it to runserver (the command is replaced by printing the variable)."""
    arguments = ["make", "-n", "run"] + ([f"PORT={port}"] if port else [])
    env = {key: value for key, value in os.environ.items() if key != "PORTAL_URL"}
    if environ_portal_url:
        env["PORTAL_URL"] = environ_portal_url
    plan = subprocess.run(
        arguments, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    [serve] = [line for line in plan.splitlines() if "manage.py runserver" in line]
    prefix = serve.split(" ", 1)[0]  # PORTAL_URL="${PORTAL_URL:-…}"
    assert prefix.startswith("PORTAL_URL="), serve
    return subprocess.run(
        ["bash", "-c", f"{prefix} printenv PORTAL_URL"], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()


def test_make_run_on_another_port_links_to_that_port():
    assert _portal_url_of_make_run() == "http://127.0.0.1:8000"
    assert _portal_url_of_make_run(port=8811) == "http://127.0.0.1:8811"


def test_a_portal_url_of_the_environment_wins():
    assert _portal_url_of_make_run(port=8811, environ_portal_url="https://portal.example.kr") == (
        "https://portal.example.kr"
    )


@pytest.mark.django_db
@override_settings(PORTAL_URL="http://127.0.0.1:8811")
def test_the_portal_url_makes_every_link_of_an_enrollment_email_absolute(django_capture_on_commit_callbacks):
    course = future_course(title="마을공동체 첫걸음")
    with django_capture_on_commit_callbacks(execute=True):
        services.enrollment_create(
            course=course, user=UserFactory(), consent_version="2026-11-01", actor=TEST_JOB
        )
    [message] = mail.outbox
    assert f"http://127.0.0.1:8811/courses/{course.slug}/" in message.body
    assert "http://127.0.0.1:8811/me/" in message.body
    assert "http://127.0.0.1:8000" not in message.body
