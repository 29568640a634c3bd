"""A real streaming replica of the test database, made on this machine for the replica tests.

How the replica sees the test database: pytest-django creates (and migrates) the test database on the primary
first (``django_db_setup``); only then does the session fixture below copy the whole primary cluster with
``pg_basebackup -R`` into a temporary directory and start it as a hot standby on a free port. The copy holds the
test database under the same name, and from then on every commit on the primary streams to it. So the tests
are transactional (``django_db(transaction=True)``): what a test writes must be committed to reach the replica,
and pytest-django's flush at the end of each test is replicated too. The ``replica`` alias exists while the module
that uses the fixture runs (tests name it in ``django_db(databases=…)``) and is a MIRROR of ``default`` for the
test framework: it is never created or flushed, only read.

Requirements on the primary (``.ci/run`` sets them): ``wal_level`` replica or logical, ``max_wal_senders`` > 0
and a ``host replication all 127.0.0.1/32 trust`` line in its pg_hba.conf. The standby runs as the ``postgres``
user (``runuser`` when the tests run as root).
"""

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg2
import pytest
from django.db import connections

from tests.conftest import _database_is_postgresql
from tests.faults.conftest import free_port, wait_for


def _as_postgres(command):
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


class StreamingReplica:
    def __init__(self, *, primary, port, directory, bin_directory):
        self.primary = primary  # the primary's test-database settings
        self.port = port
        self.directory = directory
        self.bin_directory = bin_directory

    def _connect(self, port):
        connection = psycopg2.connect(
            host="127.0.0.1", port=port, user=self.primary["USER"] or "postgres", dbname=self.primary["NAME"]
        )
        connection.autocommit = True
        return connection

    def _query(self, port, sql, params=()):
        with contextlib.closing(self._connect(port)) as connection, connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0] if cursor.description else None

    def pause(self):
        """Stop replaying the primary's WAL: from now on the replica lags behind every commit."""
        self._query(self.port, "SELECT pg_wal_replay_pause()")
        assert wait_for(lambda: self._query(self.port, "SELECT pg_get_wal_replay_pause_state()") == "paused")

    def resume(self):
        self._query(self.port, "SELECT pg_wal_replay_resume()")

    def caught_up(self):
        """Whether the replica has replayed everything the primary has written so far."""
        primary_lsn = self._query(self.primary["PORT"] or 5432, "SELECT pg_current_wal_lsn()::text")
        return self._query(self.port, "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [primary_lsn])

    def wait_until_caught_up(self):
        assert wait_for(self.caught_up, timeout=60), "the replica did not catch up with the primary"

    def alias_settings(self):
        test = {**self.primary["TEST"], "MIRROR": "default"}
        return {**self.primary, "HOST": "127.0.0.1", "PORT": str(self.port), "TEST": test}


def _bin_directory():
    with connections["default"].cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    directory = Path(f"/usr/lib/postgresql/{major}/bin")
    if not (directory / "pg_basebackup").exists():
        pytest.skip(
            f"needs the PostgreSQL {major} server binaries in {directory} (apt-get install postgresql)"
        )
    return directory


def _check_primary():
    with connections["default"].cursor() as cursor:
        cursor.execute("SHOW wal_level")
        wal_level = cursor.fetchone()[0]
        cursor.execute("SHOW max_wal_senders")
        senders = int(cursor.fetchone()[0])
    if wal_level == "minimal" or senders == 0:
        pytest.skip(
            f"the primary cannot stream (wal_level={wal_level}, max_wal_senders={senders}): "
            "ALTER SYSTEM SET wal_level = replica and restart it (.ci/run does)"
        )


@pytest.fixture(scope="module")
def streaming_replica(django_db_setup, django_db_blocker):
    if not _database_is_postgresql():
        pytest.skip("a streaming replica needs PostgreSQL: set DATABASE_URL=postgres://…")
    with django_db_blocker.unblock():
        _check_primary()
        bin_directory = _bin_directory()
        primary = dict(connections["default"].settings_dict)
        # A standby refuses to replay with less of these than the primary has.
        with connections["default"].cursor() as cursor:
            cursor.execute(
                "SELECT name, setting FROM pg_settings WHERE name IN ('max_connections', 'max_worker_processes', "
                "'max_wal_senders', 'max_prepared_transactions', 'max_locks_per_transaction')"
            )
            at_least_the_primary = "".join(f"{name} = {setting}\n" for name, setting in cursor.fetchall())
    directory = Path(tempfile.mkdtemp(prefix="jeonju-replica-"))
    data = directory / "data"
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    port = free_port()
    backup = subprocess.run(
        _as_postgres([str(bin_directory / "pg_basebackup"), "-h", primary["HOST"] or "127.0.0.1",
                      "-p", str(primary["PORT"] or 5432), "-U", primary["USER"] or "postgres",
                      "-D", str(data), "-R", "-X", "stream", "-c", "fast"]),
        capture_output=True, text=True,
    )  # fmt: skip
    if backup.returncode != 0:
        shutil.rmtree(directory, ignore_errors=True)
        if "pg_hba.conf" in backup.stderr:
            pytest.skip(
                "the primary refuses replication connections: add 'host replication all 127.0.0.1/32 trust' "
                f"to its pg_hba.conf and reload it (.ci/run does): {backup.stderr.strip()}"
            )
        pytest.fail(f"pg_basebackup failed: {backup.stderr}")
    # A Debian cluster keeps its configuration in /etc, outside the data directory that was copied.
    (data / "postgresql.conf").write_text(
        f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{directory}'\n"
        "hot_standby = on\nshared_buffers = 32MB\nfsync = off\n" + at_least_the_primary
    )
    (data / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    (data / "pg_ident.conf").write_text("")
    for path in (data / "postgresql.conf", data / "pg_hba.conf", data / "pg_ident.conf"):
        if os.geteuid() == 0:
            shutil.chown(path, "postgres", "postgres")
    pg_ctl = str(bin_directory / "pg_ctl")
    start = subprocess.run(
        _as_postgres([pg_ctl, "-D", str(data), "-l", str(directory / "replica.log"), "-w", "-t", "60", "start"]),
        capture_output=True, text=True,
    )  # fmt: skip
    if start.returncode != 0:
        log = (directory / "replica.log").read_text() if (directory / "replica.log").exists() else ""
        shutil.rmtree(directory, ignore_errors=True)
        pytest.fail(f"the replica did not start: {start.stdout}{start.stderr}{log}")
    replica = StreamingReplica(primary=primary, port=port, directory=directory, bin_directory=bin_directory)
    # The alias lives as long as this module's tests (a module-scoped fixture is set up before the test case
    # that checks each test's ``databases``); it is a MIRROR of default for the test framework, so nothing
    # creates or flushes it.
    connections.settings["replica"] = replica.alias_settings()
    try:
        assert replica._query(port, "SELECT pg_is_in_recovery()") is True
        yield replica
    finally:
        connections["replica"].close()
        del connections["replica"]
        del connections.settings["replica"]
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]), capture_output=True
        )
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def replica_alias(streaming_replica, transactional_db):
    """The streaming replica, caught up with the primary (the previous test's flush replayed)."""
    streaming_replica.resume()
    streaming_replica.wait_until_caught_up()
    try:
        yield streaming_replica
    finally:
        streaming_replica.resume()
