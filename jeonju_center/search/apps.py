from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "jeonju_center.search"
    label = "search"
    verbose_name = _("사이트 검색")
