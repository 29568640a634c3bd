from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "jeonju_center.api"
    label = "api"
    verbose_name = _("협력기관 API")

    def ready(self):
        # The change feed tracks the API's resources once every app's models are loaded.
        from . import feed

        feed.connect()
