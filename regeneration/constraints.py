"""A PostgreSQL exclusion constraint that SQLite (the embedded development database) simply skips.

Django's ``ExclusionConstraint`` emits ``EXCLUDE USING gist`` on every backend, which SQLite cannot parse,
and its ``validate()`` runs PostgreSQL operators. Returning no SQL is how Django itself skips constraints a
backend cannot create; on SQLite the services' checks under a row lock are the only guard.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.db import DEFAULT_DB_ALIAS, connections


class PostgresExclusionConstraint(ExclusionConstraint):
    @staticmethod
    def _supported(connection):
        return connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        if not self._supported(schema_editor.connection):
            return None
        return super().constraint_sql(model, schema_editor)

    def create_sql(self, model, schema_editor):
        if not self._supported(schema_editor.connection):
            return None
        return super().create_sql(model, schema_editor)

    def remove_sql(self, model, schema_editor):
        if not self._supported(schema_editor.connection):
            return None
        return super().remove_sql(model, schema_editor)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        if not self._supported(connections[using]):
            return
        super().validate(model, instance, exclude=exclude, using=using)
