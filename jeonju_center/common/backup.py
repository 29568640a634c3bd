"""Backups of the PostgreSQL database (pg_dump custom format) and the uploaded media, and their restore.

A backup directory holds ``db.dump``, ``media.tar.gz`` and ``manifest.json`` with the row count and a
checksum of every table, so a restore can prove it brought back exactly what was saved.
"""

import json
import os
import subprocess
import tarfile
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone


def connection_params(database_url=None):
    """libpq parameters of ``database_url`` (default: the portal's own PostgreSQL database)."""
    if database_url:
        parts = urlsplit(database_url)
        params = {
            "host": parts.hostname or "127.0.0.1",
            "port": str(parts.port or 5432),
            "user": parts.username or "postgres",
            "password": parts.password or "",
            "dbname": parts.path.lstrip("/"),
        }
    else:
        db = settings.DATABASES["default"]
        if db["ENGINE"] != "django.db.backends.postgresql":
            raise ImproperlyConfigured(
                "Backups need PostgreSQL: set DATABASE_URL to the production database."
            )
        params = {
            "host": db.get("HOST") or "127.0.0.1",
            "port": str(db.get("PORT") or 5432),
            "user": db.get("USER") or "postgres",
            "password": db.get("PASSWORD") or "",
            "dbname": db["NAME"],
        }
    return params


def _libpq(params):
    args = ["--host", params["host"], "--port", params["port"], "--username", params["user"]]
    env = {**os.environ, "PGPASSWORD": params["password"]}
    return args, env


def table_fingerprints(params):
    """{table: {"rows": n, "checksum": md5}} of every table in the public schema."""
    with psycopg2.connect(**params) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        fingerprints = {}
        for table in tables:
            cursor.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM \"{table}\" t"
            )
            rows, checksum = cursor.fetchone()
            fingerprints[table] = {"rows": rows, "checksum": checksum}
    connection.close()
    return fingerprints


def backup_create(*, target_root, database_url=None, media_root=None):
    """Write a new backup under ``target_root``; returns its directory."""
    params = connection_params(database_url)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    target = Path(target_root) / timezone.now().strftime("%Y%m%d-%H%M%S")
    target.mkdir(parents=True, exist_ok=False)
    args, env = _libpq(params)
    subprocess.run(
        ["pg_dump", *args, "--format=custom", "--no-owner", "--no-privileges", "--file", str(target / "db.dump"),
         params["dbname"]],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    with tarfile.open(target / "media.tar.gz", "w:gz") as archive:
        if media_root.exists():
            archive.add(media_root, arcname="media")
    manifest = {
        "created_at": timezone.now().isoformat(),
        "database": params["dbname"],
        "tables": table_fingerprints(params),
    }
    (target / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2))
    return target


class RestoreMismatch(Exception):
    pass


def backup_restore(*, source, database_url=None, media_root=None):
    """Restore ``source`` into an EMPTY database and verify every table against the manifest.

    Returns the number of tables checked; raises RestoreMismatch listing the tables that differ.
    """
    source = Path(source)
    manifest = json.loads((source / "manifest.json").read_text())
    params = connection_params(database_url)
    with psycopg2.connect(**params) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
        existing = cursor.fetchone()[0]
    connection.close()
    if existing:
        raise RestoreMismatch(
            f"database {params['dbname']!r} is not empty ({existing} tables): restore into a new database"
        )
    args, env = _libpq(params)
    subprocess.run(
        ["pg_restore", *args, "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", params["dbname"],
         str(source / "db.dump")],
        env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    media_target = Path(media_root or settings.MEDIA_ROOT)
    with tarfile.open(source / "media.tar.gz", "r:gz") as archive:
        members = [m for m in archive.getmembers() if m.name == "media" or m.name.startswith("media/")]
        for member in members:
            member.name = member.name[len("media") :].lstrip("/") or "."
        media_target.mkdir(parents=True, exist_ok=True)
        archive.extractall(media_target, members=members, filter="data")
    restored = table_fingerprints(params)
    differing = sorted(
        table for table, expected in manifest["tables"].items() if restored.get(table) != expected
    )
    if differing or set(restored) != set(manifest["tables"]):
        raise RestoreMismatch(
            f"tables that differ after the restore: {differing or sorted(set(restored) ^ set(manifest['tables']))}"
        )
    return len(restored)
