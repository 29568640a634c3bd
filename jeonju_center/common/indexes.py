"""Trigram indexes for substring search (Korean needs substring matching: "재생" inside "도시재생").

Django's ``icontains`` becomes ``UPPER(column) LIKE UPPER('%…%')`` on PostgreSQL, so the index is a GIN index
of ``UPPER(column)`` with pg_trgm's ``gin_trgm_ops``. The embedded SQLite has no GIN: there the same index is
a plain index of the expression, so one set of migrations serves both databases. The pg_trgm extension is
created before migrations run (``CommonConfig.ready`` → ``create_database_extensions``)."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import connection
from django.db.models import Index
from django.db.models.functions import Upper

EXTENSIONS = ("pg_trgm", "btree_gist")


class TrigramIndex(GinIndex):
    def __init__(self, *expressions, **kwargs):
        if expressions and isinstance(expressions[0], str):
            expressions = [OpClass(Upper(expressions[0]), name="gin_trgm_ops")]
        super().__init__(*expressions, **kwargs)

    def _plain(self):
        # The same expression without the operator class, for databases without GIN.
        column = self.expressions[0].get_source_expressions()[0]
        return Index(column, name=self.name)

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return self._plain().create_sql(model, schema_editor, using=using, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return self._plain().remove_sql(model, schema_editor, **kwargs)
        return super().remove_sql(model, schema_editor, **kwargs)


def create_database_extensions(using="default", **kwargs):
    """``pre_migrate``: the PostgreSQL extensions the schema relies on exist before any migration runs."""
    from django.db import connections

    target = connections[using] if using else connection
    if target.vendor != "postgresql":
        return
    with target.cursor() as cursor:
        for extension in EXTENSIONS:
            cursor.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")
