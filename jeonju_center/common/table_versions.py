"""A version number per table, kept by PostgreSQL itself, so a page built from some tables can be kept until
one of them changes.

Every table of the portal's models has a sequence of the same name in the schema ``portal_versions`` and a
statement-level trigger that advances it after any INSERT, UPDATE, DELETE or TRUNCATE. Whatever writes — the
ORM, a bulk update, a migration's SQL, ``psql`` — moves the version of the tables it wrote; nothing in Python
has to remember to. A sequence takes no row lock, so writers of the same table never wait for each other
(an enrolment rush writes one table from many connections at once).

A sequence advances when the statement runs, not when its transaction commits. So what was read under a
version is only known to hold every change up to that version if no writing transaction was still running
when the version was read: a caller reads the versions (``read_versions``), then whether any transaction
with a write is in flight (``writers_in_flight``), in that order, and keeps nothing when one is.

SQLite (the embedded default) has no sequences: nothing is installed and nothing is kept there.
"""

import re

from django.db import connections

SCHEMA = "portal_versions"

_INSTALL_FUNCTION = f"""
CREATE SCHEMA IF NOT EXISTS {SCHEMA};
CREATE OR REPLACE FUNCTION {SCHEMA}.advance() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval(format('{SCHEMA}.%I', TG_TABLE_NAME));
    RETURN NULL;
END
$$;
"""
_TRIGGER = "portal_table_version"


def supported(connection):
    return connection.vendor == "postgresql"


def install(using="default", **kwargs):
    """Create the sequence and the trigger of every model table that lacks them (a ``post_migrate``
    receiver: new tables get theirs on the migrate that creates them). Idempotent."""
    connection = connections[using]
    if not supported(connection):
        return
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(_INSTALL_FUNCTION)
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
            [_TRIGGER],
        )
        done = {row[0] for row in cursor.fetchall()}
        for table in sorted(set(tables) - done):
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SCHEMA}.{quote(table)}")
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {_TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
                f"ON {quote(table)} FOR EACH STATEMENT EXECUTE FUNCTION {SCHEMA}.advance()"
            )


def read_versions(connection, tables=None):
    """The version of each versioned table (of all, or of ``tables``) as ``{table name: number}``."""
    query = "SELECT sequencename, COALESCE(last_value, 0) FROM pg_sequences WHERE schemaname = %s"
    params = [SCHEMA]
    if tables is not None:
        query += " AND sequencename = ANY(%s)"
        params.append(list(tables))
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return dict(cursor.fetchall())


def writers_in_flight(connection):
    """Whether another transaction with a write (one that holds a transaction id) is running in the database
    cluster, read after the versions in a statement of its own. Every such transaction holds the lock on its
    own id, and ``pg_locks`` is read live (a snapshot's list of running ids leaves out the newest). Cluster-wide:
    the lock does not say which database a transaction writes, so a long write elsewhere only means nothing
    is kept meanwhile."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT FROM pg_locks WHERE locktype = 'transactionid' AND granted "
            "AND mode = 'ExclusiveLock' AND pid IS DISTINCT FROM pg_backend_pid())"
        )
        return cursor.fetchone()[0]


_QUOTED = re.compile(r'"([^"]+)"')
_READS = ("SELECT", "WITH")


def quoted_names(sql):
    """The quoted identifiers of ``sql``: the tables it reads among them (Django quotes every table it names);
    columns and aliases are there too, and simply match no table's version."""
    return set(_QUOTED.findall(sql))


class TablesRead:
    """The tables that the SELECT statements run on ``connection`` inside the block name (an execute
    wrapper: Django quotes every table it names, so the quoted names that are versioned tables are the ones
    read). Statements that write are not counted: a page that logs its own viewing still depends only on
    what it showed."""

    def __init__(self, connection):
        self.connection = connection
        self.tables = set()

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip()[:6].upper().startswith(_READS):
            self.tables.update(quoted_names(sql))
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = self.connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        return self._wrapper.__exit__(*exc)
