from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .models import PartnerAPIKey
from .services import partner_key_mark_used

KEYWORD = "Api-Key"


class PartnerPrincipal:
    """``request.user`` for a request authenticated by a partner key (never a staff member)."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    def __init__(self, api_key):
        self.api_key = api_key
        self.partner = api_key.partner
        self.pk = None

    def __str__(self):
        return f"partner:{self.partner.name}"

    def has_perm(self, perm, obj=None):
        return False


class PartnerKeyAuthentication(BaseAuthentication):
    """``Authorization: Api-Key <key>``."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].decode("latin-1").lower() != KEYWORD.lower():
            return None
        if len(header) != 2:
            raise AuthenticationFailed(_("Authorization 헤더는 'Api-Key <키>' 형식이어야 합니다."))
        try:
            raw_key = header[1].decode("ascii")
            api_key = PartnerAPIKey.objects.get_from_key(raw_key)
        except (UnicodeDecodeError, PartnerAPIKey.DoesNotExist):
            raise AuthenticationFailed(_("API 키가 올바르지 않습니다.")) from None
        if api_key.revoked:
            raise AuthenticationFailed(_("폐기된 API 키입니다."))
        if api_key.has_expired:
            raise AuthenticationFailed(_("만료된 API 키입니다."))
        if not api_key.partner.is_active:
            raise AuthenticationFailed(_("협력이 종료된 기관의 API 키입니다."))
        partner_key_mark_used(api_key=api_key, actor=api_key)
        return PartnerPrincipal(api_key), api_key

    def authenticate_header(self, request):
        return KEYWORD
