"""The backup/restore drill: back up the seeded database and media, restore into a fresh database, and
compare every table's row count and checksum."""

import uuid

import psycopg2
import pytest
from django.core.management import CommandError, call_command

from jeonju_center.common.backup import connection_params, table_fingerprints

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fresh_database():
    params = connection_params()
    name = f"{params['dbname']}_restore_{uuid.uuid4().hex[:6]}"
    admin = psycopg2.connect(**{**params, "dbname": "postgres"})
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{params['user']}@{params['host']}:{params['port']}/{name}"
    yield url, {**params, "dbname": name}
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def test_backup_restores_every_table_and_the_media_exactly(tmp_path, fresh_database, capsys, settings):
    call_command("seed_demo", verbosity=0)
    media = tmp_path / "media"
    (media / "courses").mkdir(parents=True)
    (media / "courses" / "poster.png").write_bytes(b"\x89PNG demo bytes")
    settings.MEDIA_ROOT = str(media)

    call_command("backup_data", to=str(tmp_path / "backups"))
    backup_dir = capsys.readouterr().out.strip().splitlines()[-1]
    original = table_fingerprints(connection_params())
    assert original["social_economy_organization"]["rows"] >= 300

    url, params = fresh_database
    restored_media = tmp_path / "restored-media"
    settings.MEDIA_ROOT = str(restored_media)
    call_command("restore_data", backup_dir, database_url=url)
    assert "Restored and verified" in capsys.readouterr().out
    assert table_fingerprints(params) == original
    assert (restored_media / "courses" / "poster.png").read_bytes() == b"\x89PNG demo bytes"

    # A second restore into the now non-empty database is refused and changes nothing.
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore_data", backup_dir, database_url=url)
    assert table_fingerprints(params) == original


def test_a_tampered_backup_is_detected(tmp_path, fresh_database, capsys, settings):
    import json
    from pathlib import Path

    call_command("load_reference_data", verbosity=0)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("backup_data", to=str(tmp_path / "backups"))
    backup_dir = Path(capsys.readouterr().out.strip().splitlines()[-1])
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    manifest["tables"]["common_dong"]["rows"] += 1
    (backup_dir / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match="common_dong"):
        call_command("restore_data", str(backup_dir), database_url=fresh_database[0])
