from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OndureConfig(AppConfig):
    name = "ondure"
    verbose_name = _("온두레 공동체")
