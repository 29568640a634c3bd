from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "jeonju_center.common"
    label = "common"
    verbose_name = _("공통 기준정보")
