import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jeonju_center.settings")

application = get_wsgi_application()

# Before the first request, and under gunicorn's preload before the workers are forked
# (jeonju_center/common/warmup.py).
from jeonju_center.common.warmup import warm_up  # noqa: E402  (needs the apps loaded above)

warm_up()
