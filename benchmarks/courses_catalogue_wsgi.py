"""WSGI entry point of the benchmark: the portal with ``bench/trivial/`` added (the project's URLs untouched)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeonju_center.settings")

from django.conf import settings
from django.core.wsgi import get_wsgi_application

settings.ROOT_URLCONF = "benchmarks.courses_catalogue_urls"
application = get_wsgi_application()
