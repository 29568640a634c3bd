# Created with ``makemigrations --empty common`` and filled by hand: the access log is append-only in the
# database itself, not only in the admin and the ORM (개인정보의 안전성 확보조치 기준: 접속기록의 위·변조 방지).
# UPDATE is always refused; DELETE only for rows older than two years (the legal minimum), which is what the
# retention job purges. On SQLite (development only) the ORM guard in ``PersonalDataAccess`` applies.

from django.db import migrations

APPEND_ONLY_SQL = """
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

CREATE TRIGGER common_access_log_append_only
    BEFORE UPDATE OR DELETE ON common_personaldataaccess
    FOR EACH ROW EXECUTE FUNCTION common_access_log_append_only();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS common_access_log_append_only ON common_personaldataaccess;
DROP FUNCTION IF EXISTS common_access_log_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("common", "0004_access_log_and_retention"),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(APPEND_ONLY_SQL), _on_postgresql(DROP_SQL)),
    ]
