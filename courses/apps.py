from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("시민강좌")

    def ready(self):
        from . import cache, receivers  # noqa: F401  (receivers connects the signal receivers)

        cache.connect()  # anonymous visitors' cached pages follow every change
