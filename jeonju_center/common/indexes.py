"""Indexes for substring search (Korean needs substring matching: "재생" inside "도시재생").

Django's ``icontains`` becomes ``UPPER(column) LIKE UPPER('%…%')`` on PostgreSQL, so the index is a GIN index
of ``UPPER(column)`` with pg_trgm's ``gin_trgm_ops``. The embedded SQLite has no GIN: there the same index is
a plain index of the expression, so one set of migrations serves both databases. Trigrams need three
characters of the search; ``BigramIndex`` serves two. The pg_trgm extension and the bigram functions are
created before migrations run (``CommonConfig.ready`` → ``create_database_extensions``)."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.lookups import DataContains
from django.db import connection
from django.db.models import Func, Index, TextField, Value
from django.db.models.functions import Upper

EXTENSIONS = ("pg_trgm", "btree_gist")


class GinOrPlainIndex(GinIndex):
    """A GIN index on PostgreSQL; on databases without GIN (the embedded SQLite), the plain index ``_plain()``
    gives, so that one set of migrations serves both."""

    def _plain(self):
        raise NotImplementedError

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return self._plain().create_sql(model, schema_editor, using=using, **kwargs)
        return super().create_sql(model, schema_editor, using=using, **kwargs)

    def remove_sql(self, model, schema_editor, **kwargs):
        if schema_editor.connection.vendor != "postgresql":
            return self._plain().remove_sql(model, schema_editor, **kwargs)
        return super().remove_sql(model, schema_editor, **kwargs)


class TrigramIndex(GinOrPlainIndex):
    def __init__(self, *expressions, **kwargs):
        if expressions and isinstance(expressions[0], str):
            expressions = [OpClass(Upper(expressions[0]), name="gin_trgm_ops")]
        super().__init__(*expressions, **kwargs)

    def _plain(self):
        # The same expression without the operator class, for databases without GIN.
        column = self.expressions[0].get_source_expressions()[0]
        return Index(column, name=self.name)


class Bigrams(Func):
    """Every pair of adjacent characters of ``UPPER(expression)``, as ``text[]`` (PostgreSQL's
    ``portal_bigrams``, created with the extensions below; see there for what else the list holds)."""

    function = "portal_bigrams"
    output_field = ArrayField(TextField())

    def __init__(self, expression, **extra):
        super().__init__(Upper(expression), **extra)


# IMMUTABLE, so that an index can be built on it and a search's own pairs are computed once, when the query
# is planned. Without a subquery: PostgreSQL computes it for each row a query reads without the index (a
# search matching most rows), and regexp_replace/string_to_array are three times faster than a row per pair.
# The pairs starting at odd and at even positions: each list may end with one character or an empty string,
# which no search asks for (``portal_bigram_keys`` keeps only pairs). U+001F, which splits the lists, is
# taken out of the text first, and out of a search the same way. The indexes hold what the function returned
# when they were built: a change to its body needs a migration that rebuilds them.
BIGRAMS_FUNCTIONS_SQL = r"""
CREATE OR REPLACE FUNCTION portal_bigrams(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT array_cat(
        string_to_array(regexp_replace(replace(value, E'\x1f', ''), '(..)', E'\\1\x1f', 'g'), E'\x1f'),
        string_to_array(regexp_replace(substr(replace(value, E'\x1f', ''), 2), '(..)', E'\\1\x1f', 'g'), E'\x1f')
    )
$$;
CREATE OR REPLACE FUNCTION portal_bigram_keys(value text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT ARRAY(SELECT DISTINCT pair FROM unnest(portal_bigrams(value)) AS pair WHERE char_length(pair) = 2)
$$
"""


class BigramKeys(Bigrams):
    """The pairs of adjacent characters of ``UPPER(expression)``, only pairs: a search's side of the match."""

    function = "portal_bigram_keys"


class BigramIndex(GinOrPlainIndex):
    """For ``icontains`` searches of two characters, the length of most Korean words ("재생", "청년", "마을"):
    pg_trgm needs three characters of the pattern to use its index, so a two-character search read every
    row. A GIN index of the column's character pairs finds the rows holding every pair of the search, and
    ``icontains`` keeps only those that hold the search itself (``bigram_condition``). The embedded SQLite
    gets a plain index of the same column instead, as with ``TrigramIndex``."""

    def __init__(self, *expressions, **kwargs):
        if expressions and isinstance(expressions[0], str):
            expressions = [Bigrams(expressions[0])]
        super().__init__(*expressions, **kwargs)

    @property
    def field_name(self):
        upper = self.expressions[0].get_source_expressions()[0]
        return upper.get_source_expressions()[0].name

    def _plain(self):
        return Index(Upper(self.field_name), name=self.name)


def has_bigram_index(model, field_name):
    return any(
        isinstance(index, BigramIndex) and index.field_name == field_name for index in model._meta.indexes
    )


def bigram_condition(field_name, text):
    """A condition the rows whose ``field_name`` contains ``text`` (case-insensitively) all meet, answered
    from the field's ``BigramIndex``: every pair of adjacent characters of the text is one of the field's.
    A filter, not the match: combine it with ``icontains``. PostgreSQL only, for a text of two characters
    or more (a shorter one has no pair: every row would meet it)."""
    return DataContains(Bigrams(field_name), BigramKeys(Value(text)))


def create_database_extensions(using="default", **kwargs):
    """``pre_migrate``: the PostgreSQL extensions and functions the schema relies on exist before any
    migration runs."""
    from django.db import connections

    target = connections[using] if using else connection
    if target.vendor != "postgresql":
        return
    with target.cursor() as cursor:
        for extension in EXTENSIONS:
            cursor.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")
        cursor.execute(BIGRAMS_FUNCTIONS_SQL)
