"""Behind PgBouncer in transaction mode (``DATABASE_POOLER=pgbouncer``).

In transaction mode consecutive transactions of one Django connection may run on different server
connections, and a server connection passes from one client to the next. Nothing may rely on session state:

* no ``SET`` (session-level settings): the lock timeout, which the direct connection passes as a startup
  option (PgBouncer does not forward ``options``), is set with ``SET LOCAL`` at the start of every
  transaction, where it ends with the transaction;
* no server-side cursors (``DISABLE_SERVER_SIDE_CURSORS``, set by the settings): a ``WITH HOLD`` cursor
  would outlive the transaction on a server connection that is no longer ours;
* no prepared statements and no advisory locks: psycopg2 prepares nothing, and the portal takes none
  (row locks with ``select_for_update`` and constraints only, both transaction-scoped).

A statement outside a transaction (autocommit) runs with the server's own ``lock_timeout``: set it for the
portal's role (``ALTER ROLE portal SET lock_timeout = '5s'``) so it holds there too.
"""

from django.conf import settings
from django.db.backends.signals import connection_created


def _set_local_lock_timeout(execute, sql, params, many, context):
    connection = context["connection"]
    raw = connection.connection
    if raw is not None and not connection.get_autocommit():
        import psycopg2.extensions

        # The first statement of a transaction: psycopg2 sends BEGIN with it, so the SET LOCAL below opens the
        # transaction and lasts exactly as long as it.
        if raw.get_transaction_status() == psycopg2.extensions.TRANSACTION_STATUS_IDLE:
            with raw.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = %s", [f"{settings.DB_LOCK_TIMEOUT_MS}ms"])
    return execute(sql, params, many, context)


def _install(connection, **kwargs):
    if connection.vendor == "postgresql" and _set_local_lock_timeout not in connection.execute_wrappers:
        connection.execute_wrappers.append(_set_local_lock_timeout)


def connect_when_pooled():
    """Called once at start-up (``CommonConfig.ready``)."""
    if settings.DATABASE_POOLER:
        connection_created.connect(_install, dispatch_uid="common.pooler.lock_timeout")
