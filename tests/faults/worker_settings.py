"""Settings of the Celery workers the fault tests start: the project's own settings, except that a test may
shorten Redis's visibility timeout (``FAULTS_VISIBILITY_TIMEOUT`` seconds, checked every second) so that
the task of a worker that died entirely is handed to the next worker in seconds instead of an hour.
The mechanism is the same as in production; only the wait is shorter.

Tests that kill only a pool process keep the hour: there the task must come back through
``reject_on_worker_lost`` alone. (A task held longer than a short timeout may also be handed out again
while it runs; the tasks are idempotent, and the tests keep such holds short.)"""

import os

from jeonju_center.settings import *  # noqa: F403

if os.environ.get("FAULTS_VISIBILITY_TIMEOUT"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,  # noqa: F405
        "visibility_timeout": int(os.environ["FAULTS_VISIBILITY_TIMEOUT"]),
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
