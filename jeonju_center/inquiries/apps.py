from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    name = "jeonju_center.inquiries"
    label = "inquiries"
    verbose_name = _("1:1 문의")
