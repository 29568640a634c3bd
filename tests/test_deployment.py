"""docker-compose.yml cannot be started here (no Docker engine), so its shape and every command it runs
inside the image are checked against the code instead."""

import os
import re
import subprocess
import sys

import pytest
import yaml

from tests.conftest import REPO_ROOT

COMPOSE = yaml.safe_load((REPO_ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DEBUG": "false",
    "SECRET_KEY": "k3J9-pQ2x_Lm8vZr4TnW7yBc1Hs6Df0Ga5Ue2Io9Kp3Rt8Xq7Wn4Mb1Vj6Cz0Ly5",
    "ALLOWED_HOSTS": "portal.example.kr",
    "DATABASE_URL": "postgres://jeonju@127.0.0.1:1/none",
}


def run_in_app_env(command, extra_env=None):
    env = {k: v for k, v in os.environ.items() if k != "CELERY_BROKER_URL"}
    env.update(PRODUCTION_ENV, **(extra_env or {}))
    executable = command[0]
    if executable in {"python", "celery", "gunicorn"}:
        command = [sys.executable] + (["-m", executable] if executable != "python" else []) + command[1:]
    return subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_compose_runs_the_five_services_plus_a_migration_step():
    assert set(SERVICES) == {"db", "redis", "migrate", "web", "worker", "beat"}


@pytest.mark.parametrize("name", ["db", "redis", "web", "worker", "beat"])
def test_long_running_services_have_health_checks_and_restart(name):
    service = SERVICES[name]
    assert service["healthcheck"]["test"]
    assert service["restart"] == "unless-stopped"


@pytest.mark.parametrize("name", ["web", "worker", "beat", "migrate"])
def test_app_services_are_production_and_wait_for_migrations(name):
    service = SERVICES[name]
    assert service["env_file"] == ".env"
    assert service["environment"]["DJANGO_ENV"] == "production"
    assert service["environment"]["DATABASE_URL"].startswith("postgres://")
    assert service["environment"]["CELERY_BROKER_URL"] == "redis://redis:6379/0"
    if name != "migrate":
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_data_lives_in_named_volumes():
    assert {"pgdata", "redisdata", "media"} <= set(COMPOSE["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]


def test_web_command_loads_the_wsgi_application_with_gunicorn():
    result = run_in_app_env([*SERVICES["web"]["command"], "--check-config"])
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", ["worker", "beat"])
def test_celery_commands_find_the_app_and_its_options(name):
    command = SERVICES[name]["command"]
    assert command[:3] == ["celery", "-A", "jeonju_center"]
    result = run_in_app_env([*command[:4], "--help"])
    assert result.returncode == 0, result.stderr
    for option in command[4:]:
        assert option.split("=")[0] in result.stdout


def test_migrate_command_uses_existing_management_commands():
    script = SERVICES["migrate"]["command"][-1]
    names = re.findall(r"manage\.py (\w+)", script)
    assert names == ["migrate", "load_reference_data"]
    for name in names:
        result = run_in_app_env(["python", "manage.py", name, "--help"])
        assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_beat_health_check_fails_when_stale_and_passes_when_fresh():
    from datetime import timedelta

    from django.core.management import CommandError, call_command
    from django.utils import timezone

    from jeonju_center.common.models import ServiceHeartbeat

    test = SERVICES["beat"]["healthcheck"]["test"]
    assert test[1:4] == ["python", "manage.py", "check_heartbeat"]
    component, max_age = test[4], int(test[6])

    with pytest.raises(CommandError, match="No heartbeat"):
        call_command("check_heartbeat", component, max_age=max_age)
    ServiceHeartbeat.objects.create(
        component=component, last_seen=timezone.now() - timedelta(seconds=max_age + 5)
    )
    with pytest.raises(CommandError, match="last seen"):
        call_command("check_heartbeat", component, max_age=max_age)
    ServiceHeartbeat.objects.filter(component=component).update(last_seen=timezone.now())
    call_command("check_heartbeat", component, max_age=max_age)


def test_dockerfile_default_command_is_the_web_command():
    dockerfile = (REPO_ROOT / "Dockerfile").read_text()
    cmd = re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE).group(1)
    assert yaml.safe_load(cmd) == SERVICES["web"]["command"]


def test_database_image_matches_the_backup_client_major_version():
    # pg_dump refuses to dump a newer server; the web image gets Debian bookworm's postgresql-client (15).
    assert SERVICES["db"]["image"].startswith("postgres:15")
    assert "bookworm" in (REPO_ROOT / "Dockerfile").read_text().splitlines()[1]
