"""WSGI entry point of ``make bench``: the portal with the trivial baseline views (``bench_urls``), and the raw
psycopg2→JSON baseline under ``/raw/`` — one gunicorn with one configuration serves all of them."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeonju_center.settings")

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from benchmarks import raw_api

settings.ROOT_URLCONF = "benchmarks.bench_urls"
portal = get_wsgi_application()

from jeonju_center.common.warmup import warm_up  # noqa: E402  (needs the apps loaded above)

warm_up()  # as jeonju_center/wsgi.py does
RAW_PREFIX = "/raw"


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if path.startswith(f"{RAW_PREFIX}/"):
        environ["PATH_INFO"] = path[len(RAW_PREFIX) :]
        return raw_api.application(environ, start_response)
    return portal(environ, start_response)
