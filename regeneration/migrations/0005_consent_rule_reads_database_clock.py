# Created with ``makemigrations --empty regeneration`` and filled by hand: the rule "a house moves into use only
# with an owner's consent valid that day" (0002) reads the day from ``jeonju_now()`` (common 0007), the one place
# where the database reads the time, instead of ``now()``. Identical in production; see that migration for why.

from django.db import migrations

RULE_SQL = """
CREATE OR REPLACE FUNCTION regeneration_house_in_use_needs_consent() RETURNS trigger AS $$
DECLARE
    today date := (jeonju_now() AT TIME ZONE 'Asia/Seoul')::date;
BEGIN
    IF NEW.status = 'in_use' AND OLD.status IS DISTINCT FROM 'in_use' AND NOT EXISTS (
        SELECT 1 FROM regeneration_ownerconsent c
         WHERE c.house_id = NEW.id
           AND c.consented_on <= today
           AND (c.expires_on IS NULL OR c.expires_on >= today)
           AND (c.withdrawn_on IS NULL OR c.withdrawn_on > today)
    ) THEN
        RAISE EXCEPTION 'regeneration_house_in_use_needs_consent: house % has no valid consent', NEW.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""

PREVIOUS_SQL = """
CREATE OR REPLACE FUNCTION regeneration_house_in_use_needs_consent() RETURNS trigger AS $$
DECLARE
    today date := (now() AT TIME ZONE 'Asia/Seoul')::date;
BEGIN
    IF NEW.status = 'in_use' AND OLD.status IS DISTINCT FROM 'in_use' AND NOT EXISTS (
        SELECT 1 FROM regeneration_ownerconsent c
         WHERE c.house_id = NEW.id
           AND c.consented_on <= today
           AND (c.expires_on IS NULL OR c.expires_on >= today)
           AND (c.withdrawn_on IS NULL OR c.withdrawn_on > today)
    ) THEN
        RAISE EXCEPTION 'regeneration_house_in_use_needs_consent: house % has no valid consent', NEW.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0007_database_clock"),
        ("regeneration", "0004_history_retention_upload_checks"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(RULE_SQL), _on_postgresql(PREVIOUS_SQL)),
    ]
