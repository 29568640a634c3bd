"""The project's Celery app.

Configuration lives in Django settings under the ``CELERY_`` prefix; with no broker configured
(``CELERY_BROKER_URL`` unset) tasks run inline so the embedded development setup needs no Redis.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeonju_center.settings")

app = Celery("jeonju_center")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
