import contextlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import AnonRateThrottle, BaseThrottle

from .models import PartnerAPIKey


class PartnerKeyRateThrottle(BaseThrottle):
    """Requests per minute per API key: the key's own limit, else ``PARTNER_API_RATE_PER_MINUTE``.

    Counted per clock minute in the shared cache (Redis) with an atomic increment; a refused request is not
    counted and is told to come back when the next minute starts (``Retry-After``). DRF's ``SimpleRateThrottle``
    keeps a list of every request's time instead, which each request reads and writes back: its cost grows
    with the limit (a partner allowed 10,000 a minute sent a list of thousands with every request) and two
    workers writing at once lose each other's requests, letting a partner past its limit."""

    WINDOW_SECONDS = 60

    def allow_request(self, request, view):
        api_key = request.auth
        if not isinstance(api_key, PartnerAPIKey):
            return True
        limit = api_key.rate_limit_per_minute or settings.PARTNER_API_RATE_PER_MINUTE
        window, elapsed = divmod(time.time(), self.WINDOW_SECONDS)
        key = f"throttle:partner:{api_key.prefix}:{int(window)}"
        try:
            count = cache.incr(key)
        except ValueError:  # the minute's first request
            count = 1 if cache.add(key, 1, timeout=self.WINDOW_SECONDS + 5) else cache.incr(key)
        if count <= limit:
            return True
        with contextlib.suppress(ValueError):  # (the counter expired meanwhile: nothing to give back)
            cache.decr(key)
        self._wait = self.WINDOW_SECONDS - elapsed
        return False

    def wait(self):
        return max(1, math.ceil(getattr(self, "_wait", self.WINDOW_SECONDS)))


class PublicAnonRateThrottle(AnonRateThrottle):
    """Anonymous reads of public endpoints (course catalogue), per client IP."""

    def get_rate(self):
        return f"{settings.PUBLIC_API_RATE_PER_MINUTE}/min"
