from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegenerationConfig(AppConfig):
    name = "regeneration"
    verbose_name = _("도시재생")
