"""Constraint helpers shared by the apps: the two CHECKs every domain repeats (``not_negative``,
``ends_after``) and a PostgreSQL exclusion constraint that SQLite (the embedded development database)
simply skips.

Django's ``ExclusionConstraint`` emits ``EXCLUDE USING gist`` on every backend, which SQLite cannot parse,
and its ``validate()`` runs PostgreSQL operators. Returning no SQL is how Django itself skips constraints a
backend cannot create; on SQLite the services' checks under a row lock are the only guard.
"""

from django.contrib.postgres.constraints import ExclusionConstraint
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import F, Q


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


def not_negative(field, *, name, message, null=False):
    """A CHECK that ``field`` is 0 or more (and may be empty when the column is ``null``)."""
    condition = Q(**{f"{field}__gte": 0})
    if null:
        condition = Q(**{f"{field}__isnull": True}) | condition
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


def ends_after(end, start, *, name, message, null=False):
    """A CHECK that the date ``end`` is on or after ``start`` (an open end allowed when ``end`` is ``null``)."""
    condition = Q(**{f"{end}__gte": F(start)})
    if null:
        condition = Q(**{f"{end}__isnull": True}) | condition
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)
