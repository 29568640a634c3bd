from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("시민강좌")

    def ready(self):
        from . import cache, receivers  # noqa: F401  (receivers connects the signal receivers)

        cache.connect()  # anonymous visitors' cached pages follow every change

    def warm_up(self):
        """Called by the web process before it serves (jeonju_center/common/warmup.py): the time zone of the
        calendar files that enrolment e-mails carry, 60 ms the first applicant would wait for."""
        from django.conf import settings

        from .calendars import warm_up

        warm_up(settings.TIME_ZONE)
