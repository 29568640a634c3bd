"""Behind PgBouncer in transaction mode the lock timeout is a SET LOCAL of each transaction (common/pooler.py).

The portal's concurrency and fault tests run through a real PgBouncer in CI (.ci/run); this checks the rule itself.
"""

import pytest
from django.db import connection, transaction

from jeonju_center.common.pooler import _set_local_lock_timeout

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def lock_timeout():
    with connection.cursor() as cursor:
        cursor.execute("SHOW lock_timeout")
        return cursor.fetchone()[0]


def test_every_transaction_sets_its_own_lock_timeout_and_the_session_keeps_none_of_it(settings):
    settings.DB_LOCK_TIMEOUT_MS = 1234
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = 0")
    try:
        with connection.execute_wrapper(_set_local_lock_timeout):
            with transaction.atomic():
                first = lock_timeout()
            outside = lock_timeout()
            with transaction.atomic():
                second = lock_timeout()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")  # back to the connection's own (startup) value
    assert (first, second) == ("1234ms", "1234ms")
    assert outside == "0", "SET LOCAL ended with its transaction"
