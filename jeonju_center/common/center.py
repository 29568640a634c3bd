"""Who the center is and how to reach it (the footer, the 센터 소개 page, the privacy policy).
``settings.CENTER_CONTACT`` (the ``CENTER_*`` environment variables) overrides any key, so the real address,
telephone number and e-mail are configured, not hard-coded."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

DEFAULT_CONTACT = {
    "name": _("전주도시혁신센터"),
    "address": _("전북특별자치도 전주시 완산구 (구도심)"),
    "phone": "",
    "email": "",
    "hours": _("평일 09:00~18:00 (주말·공휴일 휴무)"),
    "map_url": "https://map.kakao.com/?q=%EC%A0%84%EC%A3%BC%EB%8F%84%EC%8B%9C%ED%98%81%EC%8B%A0%EC%84%BC%ED%84%B0",
}


def center_contact():
    return {**DEFAULT_CONTACT, **getattr(settings, "CENTER_CONTACT", {})}
