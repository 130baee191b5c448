"""Per-client rate limits, counted in the shared cache (Redis) so every worker sees the same count.

A sliding-window counter: two integer counters per client (this window and the last), weighted by how much of
the last window still overlaps the sliding one. One Redis round trip per request (INCR, EXPIRE and GET in a
pipeline), where DRF's ``SimpleRateThrottle`` reads and rewrites a list of every timestamp in the window (600
floats at the default rate) on every request.
"""

from __future__ import annotations

import logging
import math

from django.core.cache import cache
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)


def _count(current_key: str, previous_key: str, ttl: int) -> tuple[int, int]:
    """Count one request in ``current_key``; return (previous window's count, current window's count)."""
    try:
        client = cache._cache.get_client(write=True)  # Django's RedisCache: one pipelined round trip
    except AttributeError:
        client = None
    if client is None:  # another cache backend (development without Redis)
        cache.add(current_key, 0, ttl)
        return int(cache.get(previous_key) or 0), int(cache.incr(current_key))
    current = cache.make_and_validate_key(current_key)
    previous = cache.make_and_validate_key(previous_key)
    pipe = client.pipeline(transaction=False)
    pipe.incr(current)
    pipe.expire(current, ttl)
    pipe.get(previous)
    count, _, before = pipe.execute()
    return int(before or 0), int(count)


class SlidingWindowThrottle(SimpleRateThrottle):
    """A rate such as ``600/min`` over a sliding window, shared by every worker through the cache."""

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        try:
            return self._allow()
        except Exception:  # noqa: BLE001 - the cache being down must not take the API down with it
            # Fail open: rate limiting protects capacity; refusing every request when Redis is down would turn a
            # cache outage into a full outage. Logged so operators see it.
            logger.warning("rate limit cache unavailable; request allowed")
            return True

    def _allow(self) -> bool:
        window = self.duration
        now = self.timer()
        index = int(now // window)
        elapsed = now - index * window
        before, count = _count(f"{self.key}:{index}", f"{self.key}:{index - 1}", ttl=2 * window + 1)
        overlap = (window - elapsed) / window
        if before * overlap + count <= self.num_requests:
            return True
        # Refused (the refused request counts too, so hammering does not shorten the wait).
        if count > self.num_requests or before == 0:
            self._wait = window - elapsed
        else:
            # The last window's weight must decay until before * overlap' + count <= limit.
            target = (self.num_requests - count) / before
            self._wait = max(0.0, (1 - target) * window - elapsed)
        return False

    def wait(self):
        return max(1, math.ceil(getattr(self, "_wait", 1)))


class ClientRateThrottle(SlidingWindowThrottle):
    """``API_RATE_LIMIT`` per OAuth client (per address for unauthenticated requests)."""

    scope = "client"

    def get_cache_key(self, request, view):
        token = request.auth
        ident = f"client:{token.application_id}" if token is not None else f"ip:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
