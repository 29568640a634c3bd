import contextlib
import math
import time

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
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
        count = _count(key, timeout=self.WINDOW_SECONDS + 5)
        if count <= limit:
            return True
        with contextlib.suppress(ValueError):  # (the counter expired meanwhile: nothing to give back)
            cache.decr(key)
        self._wait = self.WINDOW_SECONDS - elapsed
        return False

    def wait(self):
        return max(1, math.ceil(getattr(self, "_wait", self.WINDOW_SECONDS)))


# INCR, and the counter's expiry when INCR created it: one round trip (Django's ``incr`` is EXISTS then INCR).
_INCREMENT_SCRIPT = """
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return count
"""


def _count(key, *, timeout):
    """Add one to the counter ``key`` of the shared cache (created with ``timeout``) and return it."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache):
        full_key = backend.make_and_validate_key(key)
        client = backend._cache.get_client(full_key, write=True)
        return int(client.eval(_INCREMENT_SCRIPT, 1, full_key, timeout))
    try:
        return cache.incr(key)
    except ValueError:  # the minute's first request
        return 1 if cache.add(key, 1, timeout=timeout) else cache.incr(key)


class PublicAnonRateThrottle(AnonRateThrottle):
    """Anonymous reads of public endpoints (course catalogue), per client IP."""

    def get_rate(self):
        return f"{settings.PUBLIC_API_RATE_PER_MINUTE}/min"
