from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialEconomyConfig(AppConfig):
    name = "social_economy"
    verbose_name = _("사회적경제")
