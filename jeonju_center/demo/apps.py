from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    name = "jeonju_center.demo"
    label = "demo"
    verbose_name = _("시연 데이터")
