# Created with ``makemigrations --empty regeneration`` and filled by hand: PostgreSQL-only database rules.
#
# * btree_gist lets the tenancy exclusion constraint (next migration) compare ids with ``=`` in a GiST index.
# * A trigger keeps the tenancy's ``half_rent`` flag equal to its program's kind (so the CHECK on the flag
#   cannot be dodged by writing the flag wrong) and refuses a tenant whose age at move-in is outside the
#   program's range (youth share house: 19–39 unless the program says otherwise). A CHECK cannot read the
#   program's row, hence the trigger. A program's kind or age range cannot change once it has tenancies.
# * A house moves into use only with an owner's consent valid that day (Korean date). Checked when the
#   status changes, so rows recorded as already in use (data migrations, the demo) are not re-judged.
# On SQLite both rules are enforced by ``regeneration.services`` (under a row lock) only.

from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations

TRIGGERS_SQL = """
CREATE OR REPLACE FUNCTION regeneration_tenancy_program_rules() RETURNS trigger AS $$
DECLARE
    program_kind varchar;
    min_age smallint;
    max_age smallint;
    tenant_age integer;
BEGIN
    SELECT kind, tenant_min_age, tenant_max_age INTO program_kind, min_age, max_age
      FROM regeneration_housingprogram WHERE id = NEW.program_id;
    NEW.half_rent := (program_kind = 'half_rent_welfare');
    IF program_kind = 'youth_share_house' THEN
        min_age := COALESCE(min_age, 19);
        max_age := COALESCE(max_age, 39);
    END IF;
    IF (min_age IS NOT NULL OR max_age IS NOT NULL) AND NOT NEW.is_anonymised AND (
        TG_OP = 'INSERT'
        OR NEW.tenant_birth_date IS DISTINCT FROM OLD.tenant_birth_date
        OR NEW.starts_on IS DISTINCT FROM OLD.starts_on
        OR NEW.program_id IS DISTINCT FROM OLD.program_id
    ) THEN
        IF NEW.tenant_birth_date IS NULL THEN
            RAISE EXCEPTION 'regeneration_tenancy_age_in_program_range: birth date required'
                USING ERRCODE = 'check_violation';
        END IF;
        tenant_age := date_part('year', age(NEW.starts_on, NEW.tenant_birth_date));
        IF (min_age IS NOT NULL AND tenant_age < min_age) OR (max_age IS NOT NULL AND tenant_age > max_age) THEN
            RAISE EXCEPTION 'regeneration_tenancy_age_in_program_range: age % not in %..%',
                tenant_age, min_age, max_age
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER regeneration_tenancy_program_rules
    BEFORE INSERT OR UPDATE ON regeneration_tenancy
    FOR EACH ROW EXECUTE FUNCTION regeneration_tenancy_program_rules();

CREATE OR REPLACE FUNCTION regeneration_program_rules_frozen() RETURNS trigger AS $$
BEGIN
    IF (NEW.kind IS DISTINCT FROM OLD.kind
        OR NEW.tenant_min_age IS DISTINCT FROM OLD.tenant_min_age
        OR NEW.tenant_max_age IS DISTINCT FROM OLD.tenant_max_age)
       AND EXISTS (SELECT 1 FROM regeneration_tenancy WHERE program_id = NEW.id) THEN
        RAISE EXCEPTION 'regeneration_program_rules_frozen: program % has tenancies', NEW.id
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER regeneration_program_rules_frozen
    BEFORE UPDATE ON regeneration_housingprogram
    FOR EACH ROW EXECUTE FUNCTION regeneration_program_rules_frozen();

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

CREATE TRIGGER regeneration_house_in_use_needs_consent
    BEFORE UPDATE OF status ON regeneration_vacanthouse
    FOR EACH ROW EXECUTE FUNCTION regeneration_house_in_use_needs_consent();
"""

DROP_TRIGGERS_SQL = """
DROP TRIGGER IF EXISTS regeneration_house_in_use_needs_consent ON regeneration_vacanthouse;
DROP FUNCTION IF EXISTS regeneration_house_in_use_needs_consent();
DROP TRIGGER IF EXISTS regeneration_program_rules_frozen ON regeneration_housingprogram;
DROP FUNCTION IF EXISTS regeneration_program_rules_frozen();
DROP TRIGGER IF EXISTS regeneration_tenancy_program_rules ON regeneration_tenancy;
DROP FUNCTION IF EXISTS regeneration_tenancy_program_rules();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class KeepBtreeGistExtension(BtreeGistExtension):
    """Creates btree_gist on PostgreSQL; unapplying keeps it (other schemas may use it), and on other
    databases unapplying does nothing (Django's own backwards step queries pg_extension everywhere)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass


class Migration(migrations.Migration):
    dependencies = [
        ("regeneration", "0001_initial"),
    ]

    operations = [
        KeepBtreeGistExtension(),
        migrations.RunPython(_on_postgresql(TRIGGERS_SQL), _on_postgresql(DROP_TRIGGERS_SQL)),
    ]
