from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "jeonju_center.news"
    label = "news"
    verbose_name = _("소식·뉴스레터")
