# Created with ``makemigrations --empty common`` and filled by hand: one place where PostgreSQL's own rules read
# the time. ``jeonju_now()`` is ``now()`` plus the connection's ``jeonju.clock_offset`` setting, which nothing sets
# in production (so it is exactly ``now()``); the test suite sets it through ``PGOPTIONS`` when it moves the
# session's clock (tests/session_clock.py), so the database judges dates as the Python code beside it does.
# The access log's two-year floor (0005) now reads it.

from django.db import migrations

CLOCK_SQL = """
CREATE OR REPLACE FUNCTION jeonju_now() RETURNS timestamptz AS $$
    SELECT now() + COALESCE(NULLIF(current_setting('jeonju.clock_offset', true), ''), '0 seconds')::interval
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION common_access_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'personal data access log rows cannot be changed'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.accessed_at > jeonju_now() - interval '2 years' THEN
        RAISE EXCEPTION 'personal data access log rows are kept for at least two years'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
"""

PREVIOUS_SQL = """
CREATE OR REPLACE FUNCTION common_access_log_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'personal data access log rows cannot be changed'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF OLD.accessed_at > now() - interval '2 years' THEN
        RAISE EXCEPTION 'personal data access log rows are kept for at least two years'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;

DROP FUNCTION IF EXISTS jeonju_now();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0006_dong_history"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CLOCK_SQL), _on_postgresql(PREVIOUS_SQL)),
    ]
