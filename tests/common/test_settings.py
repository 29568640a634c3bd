"""Settings come from the environment; production refuses to start without real secrets."""

import os
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

STRONG_KEY = "k3J9-pQ2x_Lm8vZr4TnW7yBc1Hs6Df0Ga5Ue2Io9Kp3Rt8Xq7Wn4Mb1Vj6Cz0Ly5"
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": STRONG_KEY,
    "ALLOWED_HOSTS": "portal.example.kr",
    "DATABASE_URL": "postgres://jeonju@db.example.kr:5432/jeonju_center",
    "DEBUG": "false",
}


def run_django(env_overrides, *args, code=None):
    env = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV and k != "CELERY_BROKER_URL"}
    env.update(env_overrides, DJANGO_SETTINGS_MODULE="jeonju_center.settings")
    command = [sys.executable, "manage.py", *args] if args else [sys.executable, "-c", code]
    return subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_django(env, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECRET_KEY", "django-insecure-" + "x" * 60),
        ("SECRET_KEY", "short"),
        ("ALLOWED_HOSTS", "*"),
        ("DEBUG", "true"),
    ],
)
def test_production_refuses_unsafe_values(name, value):
    result = run_django({**PRODUCTION_ENV, name: value}, "check")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = run_django(PRODUCTION_ENV, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_development_defaults_to_sqlite_inline_tasks_and_korean():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.LANGUAGE_CODE, s.TIME_ZONE, s.DEBUG)"
    )
    result = run_django({"DATABASE_URL": "", "DJANGO_ENV": "development"}, code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "ko-kr", "Asia/Seoul", "True"]


def test_broker_url_switches_tasks_to_the_queue_and_database_url_to_postgres():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)"
    )
    env = {"DATABASE_URL": "postgres://u@127.0.0.1:5432/x", "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0"}
    result = run_django(env, code=code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "False"]
