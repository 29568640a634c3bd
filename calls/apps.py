from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = _("모집·공모")

    def ready(self):
        from . import receivers  # noqa: F401  (connects the signal receivers)
