from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "jeonju_center.partners"
    label = "partners"
    verbose_name = _("협력기관")

    def ready(self):
        from . import schema  # noqa: F401 - registers the OpenAPI description of the key header
