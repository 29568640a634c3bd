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


def test_compose_runs_the_services_plus_one_shot_steps_and_a_load_balancer():
    assert set(SERVICES) == {
        "db",
        "replica",
        "pgbouncer",
        "redis",
        "minio",
        "minio-setup",
        "migrate",
        "web",
        "worker",
        "beat",
        "lb",
    }


@pytest.mark.parametrize(
    "name", ["db", "redis", "minio", "web", "worker", "beat", "lb", "replica", "pgbouncer"]
)
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


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_app_services_go_through_pgbouncer_and_migrations_go_direct(name):
    environment = SERVICES[name]["environment"]
    assert "@pgbouncer:6432/" in environment["DATABASE_URL"] and environment["DATABASE_POOLER"] == "pgbouncer"
    assert environment["DATABASE_REPLICA_URL"].endswith("_replica")
    assert SERVICES[name]["depends_on"]["pgbouncer"]["condition"] == "service_healthy"
    assert "@db:5432/" in SERVICES["migrate"]["environment"]["DATABASE_URL"]
    assert "DATABASE_POOLER" not in SERVICES["migrate"]["environment"]


def test_the_replica_streams_from_db_and_pgbouncer_pools_both_in_transaction_mode():
    replica = SERVICES["replica"]
    assert "pg_basebackup -h db" in replica["command"][-1] and " -R " in replica["command"][-1]
    assert "pgreplica:/var/lib/postgresql/data" in replica["volumes"]
    ini = (REPO_ROOT / "deploy" / "pgbouncer" / "pgbouncer.ini").read_text()
    assert "pool_mode = transaction" in ini
    start = (REPO_ROOT / "deploy" / "pgbouncer" / "start.sh").read_text()
    assert "host=db port=5432" in start and "_replica = host=replica port=5432" in start


def test_data_lives_in_named_volumes():
    assert {"pgdata", "redisdata", "objects"} <= set(COMPOSE["volumes"])
    assert "objects:/data" in SERVICES["minio"]["volumes"]
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
    assert names == ["migrate", "load_reference_data", "collectstatic"]
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


# --- Scaling out: docker compose up --scale web=N --scale worker=M ------------------------------------

NGINX_CONF = (REPO_ROOT / "deploy" / "nginx.conf").read_text()
DOCKERFILE = (REPO_ROOT / "Dockerfile").read_text()


def _dockerfile_env(name):
    return re.search(rf"\b{name}=(\S+)", DOCKERFILE).group(1)


def test_no_service_has_a_fixed_container_name():
    assert [name for name, service in SERVICES.items() if "container_name" in service] == []


@pytest.mark.parametrize("name", ["web", "worker"])
def test_scalable_services_publish_no_host_port(name):
    assert "ports" not in SERVICES[name]


def test_only_the_load_balancer_publishes_a_port_and_it_proxies_to_every_web_replica():
    assert [name for name, service in SERVICES.items() if "ports" in service] == ["lb"]
    assert SERVICES["lb"]["image"].startswith("nginx:")
    assert "./deploy/nginx.conf:/etc/nginx/nginx.conf:ro" in SERVICES["lb"]["volumes"]
    # Docker's DNS is asked again while running (the upstream is a variable), so new replicas get traffic.
    assert re.search(r"resolver 127\.0\.0\.11 valid=\d+s", NGINX_CONF)
    assert re.search(r"set \$(\w+) http://web:8000;\s+proxy_pass \$\1;", NGINX_CONF)
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in NGINX_CONF
    assert SERVICES["web"]["expose"] == ["8000"]


@pytest.mark.parametrize("name", ["web", "worker", "beat", "migrate"])
def test_uploads_live_in_the_object_store_not_on_a_host_volume(name):
    # Every replica, on any host, reaches the same bucket; nothing is shared on a local disk.
    environment = SERVICES[name]["environment"]
    assert environment["S3_BUCKET"] and environment["S3_ENDPOINT_URL"]
    assert not any(volume.startswith("media:") for volume in SERVICES[name].get("volumes", []))
    # The endpoint is a name both the containers and visitors' browsers reach (signed URLs point at it).
    assert "storage.localhost:host-gateway" in SERVICES[name]["extra_hosts"]
    assert "storage.localhost" in environment["S3_ENDPOINT_URL"]
    assert re.search(r"server_name storage\.localhost[^;]*;.*?proxy_pass \$objects;", NGINX_CONF, re.DOTALL)


def test_the_object_store_gets_its_bucket_before_the_portal_starts():
    assert SERVICES["migrate"]["depends_on"]["minio-setup"]["condition"] == "service_completed_successfully"
    setup = " ".join(SERVICES["minio-setup"]["command"])
    # Anonymous read on the public pictures only; private documents stay private objects.
    assert 'anonymous set download "store/$$S3_BUCKET/public"' in setup


def test_the_load_balancer_serves_static_from_the_shared_volume_and_media_folders_without_object_storage():
    assert f"static:{_dockerfile_env('STATIC_ROOT')}" in SERVICES["migrate"]["volumes"]
    assert "static:/srv/static:ro" in SERVICES["lb"]["volumes"]
    assert "static" in COMPOSE["volumes"]
    assert re.search(r"location /static/ \{\s+alias /srv/static/;", NGINX_CONF)
    assert "root /srv;" in NGINX_CONF  # /media/<path> is /srv/media/<path>
    assert "autoindex on" not in NGINX_CONF


def _media_location():
    block = re.search(r"location ~ \^/media/\(\?:([^)]*)\)/ \{(.*?)\n        \}", NGINX_CONF, re.DOTALL)
    return block.group(1).split("|"), block.group(2)


def test_media_is_served_so_that_no_upload_can_run_in_the_portals_origin():
    _prefixes, block = _media_location()
    assert 'X-Content-Type-Options "nosniff" always' in block
    assert re.search(r"Content-Security-Policy \"sandbox; default-src 'none'", block)
    assert "Content-Disposition $media_disposition always" in block
    mapping = re.search(r"map \$uri \$media_disposition \{(.*?)\}", NGINX_CONF, re.DOTALL).group(1)
    assert re.search(r'default\s+"attachment";', mapping)  # anything but a picture is downloaded
    assert "svg" not in mapping and "html" not in mapping
    # /media/ itself answers 404: only the listed folders are served.
    assert re.search(r"location /media/ \{\s+return 404;\s+\}", NGINX_CONF)


def test_only_public_pictures_are_served_never_personal_or_internal_files():
    from django.apps import apps
    from django.db import models

    from jeonju_center.common.validators import validate_image_upload

    served, _block = _media_location()
    upload_folders = {}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField) and isinstance(field.upload_to, str):
                folder = field.upload_to.split("%")[0].rstrip("/")
                upload_folders.setdefault(folder, set()).add((model._meta.label, field.name, field))
    for folder in served:
        assert folder in upload_folders, f"{folder}: no upload goes there"
        for label, name, field in upload_folders[folder]:
            assert validate_image_upload in field.validators, f"{label}.{name} is served but is not a picture"
    # Owner consents, support evidence and meeting minutes' attachments go through the portal's own
    # permission check and access log; the load balancer must never hand them out.
    for private in ("regeneration/consents", "ondure/evidence", "regeneration/minutes"):
        assert private in upload_folders and private not in served


def test_the_image_collects_static_files_with_the_production_manifest():
    run = next(line for line in DOCKERFILE.split("\nRUN ") if "collectstatic" in line)
    assert "DJANGO_ENV=production" in run


def test_static_files_collect_with_the_manifest_storage(tmp_path, settings):
    # What the image build does (the hashing and the references between files, without compressing them):
    # a file referring to a missing one (e.g. a vendored script's source map) fails the build.
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "staticfiles.json").exists()


def test_gunicorn_settings_come_from_the_environment():
    result = run_in_app_env(
        [
            "gunicorn",
            "jeonju_center.wsgi:application",
            "--config",
            "deploy/gunicorn.conf.py",
            "--print-config",
        ],
        {"GUNICORN_WORKERS": "3", "GUNICORN_THREADS": "1", "GUNICORN_MAX_REQUESTS": "500"},
    )
    assert result.returncode == 0, result.stderr
    config = dict(re.findall(r"^(\w+)\s*=\s*(.*)$", result.stdout, re.MULTILINE))
    assert config["workers"] == "3" and config["threads"] == "1" and config["max_requests"] == "500"
    assert config["preload_app"] == "True"
