from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from .models import PartnerAPIKey


class PartnerKeyRateThrottle(SimpleRateThrottle):
    """Requests per minute per API key: the key's own limit, else ``PARTNER_API_RATE_PER_MINUTE``."""

    scope = "partner"

    def get_rate(self):
        return f"{settings.PARTNER_API_RATE_PER_MINUTE}/min"

    def allow_request(self, request, view):
        api_key = request.auth
        if not isinstance(api_key, PartnerAPIKey):
            return True
        self.num_requests = api_key.rate_limit_per_minute or settings.PARTNER_API_RATE_PER_MINUTE
        self.duration = 60
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}


class PublicAnonRateThrottle(AnonRateThrottle):
    """Anonymous reads of public endpoints (course catalogue), per client IP."""

    def get_rate(self):
        return f"{settings.PUBLIC_API_RATE_PER_MINUTE}/min"
