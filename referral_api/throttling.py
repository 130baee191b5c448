"""Per-client rate limits, counted in the shared cache (Redis) so every worker sees the same count.

A sliding-window counter: two integer counters per client (this window and the last), weighted by how much of
the last window still overlaps the sliding one. One Redis round trip per request (INCR, EXPIRE and GET in a
pipeline), where DRF's ``SimpleRateThrottle`` reads and rewrites a list of every timestamp in the window (600
floats at the default rate) on every request.

An authenticated API request's client count usually costs no round trip of its own: the bearer-token check reads
its cache generations from Redis anyway, and makes the count in that same round trip, only if the generations
still match (``client_count_for``, ``referral_api.cache.get_many_and_count_if_unchanged``).
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

from django.core.cache import cache
from rest_framework.exceptions import APIException
from rest_framework.throttling import SimpleRateThrottle

from referral_api.cache import Count
from referral_api.client_address import client_address
from referral_api.permissions import TokenHasRequiredScope

logger = logging.getLogger(__name__)


def _redis():
    """The Redis client behind Django's ``RedisCache``, or ``None`` for another cache backend."""
    try:
        return cache._cache.get_client(write=True)
    except AttributeError:
        return None


def _count(current_key: str, previous_key: str, ttl: int, *, also_get: tuple[str, ...] = ()) -> tuple[int, int, list]:
    """Count one request in ``current_key``; return (previous window's count, current window's count, and the
    values of ``also_get``), in one pipelined round trip."""
    client = _redis()
    if client is None:  # another cache backend (development without Redis)
        cache.add(current_key, 0, ttl)
        extra = cache.get_many(list(also_get)) if also_get else {}
        return int(cache.get(previous_key) or 0), int(cache.incr(current_key)), [extra.get(k) for k in also_get]
    current = cache.make_and_validate_key(current_key)
    previous = cache.make_and_validate_key(previous_key)
    pipe = client.pipeline(transaction=False)
    pipe.incr(current)
    pipe.expire(current, ttl)
    pipe.get(previous)
    if also_get:
        pipe.mget([cache.make_and_validate_key(k) for k in also_get])
    count, _, before, *rest = pipe.execute()
    return int(before or 0), int(count), list(rest[0]) if rest else []


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

    def _allow(self, *, peek: AuthFailureThrottle | None = None, request=None) -> bool:
        window = self.duration
        now = self.timer()
        index = int(now // window)
        peek_keys = peek.peek_keys(request, now) if peek is not None else ()
        before, count, peeked = _count(
            f"{self.key}:{index}", f"{self.key}:{index - 1}", ttl=2 * window + 1, also_get=peek_keys
        )
        if peek is not None and peek_keys:
            peek.peeked = peeked
        return self._decide(before, count, now)

    def _decide(self, before: int, count: int, now: float) -> bool:
        """Whether a request counted at ``now`` is allowed, given the last window's count and this one's (itself
        included); sets the wait when it is not."""
        window = self.duration
        elapsed = now - int(now // window) * window
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
        if token is not None:
            return self.token_key(token)
        return self.cache_format % {"scope": self.scope, "ident": f"ip:{client_address(request)}"}

    def token_key(self, token) -> str:
        return self.cache_format % {"scope": self.scope, "ident": f"client:{token.application_id}"}

    def allow_request(self, request, view):
        # The count the token check already made for this request (``client_count_for``), if it made it.
        holder = getattr(request, "_request", request)
        counted = getattr(holder, CLIENT_COUNT_ATTRIBUTE, None)
        if counted is None or counted.result is None or self.rate is None or request.auth is None:
            return super().allow_request(request, view)
        setattr(holder, CLIENT_COUNT_ATTRIBUTE, None)  # one request, one count
        self.key = self.token_key(request.auth)
        if counted.throttle_key != self.key:
            return super().allow_request(request, view)
        count, before = counted.result
        return self._decide(before, count, counted.now)


# Where ``client_count_for`` leaves the count it hands to the token check (on the Django request).
CLIENT_COUNT_ATTRIBUTE = "client_rate_count"


@dataclass
class WindowCount(Count):
    """One request counted in a ``SlidingWindowThrottle`` window: at ``now``, under ``throttle_key``."""

    throttle_key: str = ""
    now: float = 0.0


def client_count_for(request, view, token) -> WindowCount | None:
    """The count ``ClientRateThrottle`` would make for ``request`` to ``view`` once ``token`` is honoured, for the
    token check to make in the round trip that reads the token cache's generations (``agencies.tokens``); the
    check makes it only if the generations still match, i.e. only for a request this token authenticates.

    ``None`` (the throttle counts on its own, as before) unless DRF would reach this throttle with this token:
    the view has ``ClientRateThrottle`` and the default scope check only, and the token has the scopes (a 403
    is answered before throttles and is not counted). Left on the request for ``ClientRateThrottle``.
    """
    if view is None or ClientRateThrottle not in view.throttle_classes:
        return None
    if list(view.permission_classes) != [TokenHasRequiredScope]:
        return None
    try:
        TokenHasRequiredScope.permits(token, view, request.method)
    except APIException:
        return None
    throttle = ClientRateThrottle()
    if throttle.rate is None:
        return None
    now = throttle.timer()
    key, index = throttle.token_key(token), int(now // throttle.duration)
    counted = WindowCount(
        key=f"{key}:{index}", ttl=2 * throttle.duration + 1, also_get=f"{key}:{index - 1}", throttle_key=key, now=now
    )
    setattr(getattr(request, "_request", request), CLIENT_COUNT_ATTRIBUTE, counted)
    return counted


class AddressRateThrottle(SlidingWindowThrottle):
    """``ADDRESS_RATE_LIMIT`` requests per client address under ``/api/v1/`` and ``/oauth/``, counted before
    authentication (``referral_api.middleware.AddressRateLimitMiddleware``): whatever a caller sends, valid
    token or not, one address cannot make the service do unbounded work."""

    scope = "address"

    def get_rate(self):
        from django.conf import settings

        return settings.ADDRESS_RATE_LIMIT

    def get_cache_key(self, request, view):
        address = client_address(request)
        return self.cache_format % {"scope": self.scope, "ident": address} if address else None


def address_limits_check(
    request, address_limit: AddressRateThrottle, failures: AuthFailureThrottle
) -> tuple[bool, bool]:
    """``(address_limit.allow_request, failures.peek)`` for one request, in **one** Redis round trip.

    The per-address count and the peek at the address's 401 counters are independent, so they share a pipeline
    (INCR, EXPIRE, GET, MGET) instead of costing two round trips on every request under ``/api/v1/``
    and ``/oauth/``. Fails open like each limit on its own.
    """
    if address_limit.rate is None:
        return True, failures.peek(request)
    address_limit.key = address_limit.get_cache_key(request, None)
    if address_limit.key is None:
        return True, failures.peek(request)
    try:
        allowed = address_limit._allow(peek=failures, request=request)
    except Exception:  # noqa: BLE001 - the cache being down must not take the API down with it
        logger.warning("rate limit cache unavailable; request allowed")
        return True, True
    return allowed, failures.peek(request)


class AuthFailureThrottle(AddressRateThrottle):
    """``AUTH_FAILURE_RATE_LIMIT`` refused authentications (401) per client address.

    Checked before authentication (``peek``: no count, one cache read), counted after a 401 (``record``): an
    address that keeps sending missing, junk, expired or revoked tokens, or wrong client secrets, is answered
    429 without a token query, a secret check or an audit row, while callers with valid credentials behind the
    same address are limited only by ``ADDRESS_RATE_LIMIT``."""

    scope = "auth-failure"

    def get_rate(self):
        from django.conf import settings

        return settings.AUTH_FAILURE_RATE_LIMIT

    peeked: list | None = None

    def peek_keys(self, request, now: float) -> tuple[str, ...]:
        """The cache keys ``peek`` reads (this window's and the last), for a shared pipeline."""
        if self.rate is None:
            return ()
        key = self.get_cache_key(request, None)
        if key is None:
            return ()
        self._peek_at = now
        index = int(now // self.duration)
        return (f"{key}:{index}", f"{key}:{index - 1}")

    def peek(self, request) -> bool:
        """Whether the address is still under the limit, without counting this request (one cache read, or none
        when ``address_limits_check`` already fetched the counters in its pipeline)."""
        if self.rate is None:
            return True
        if self.peeked is not None:
            now, (count, before) = self._peek_at, self.peeked
            self.peeked = None
            count, before = int(count or 0), int(before or 0)
        else:
            key = self.get_cache_key(request, None)
            if key is None:
                return True
            try:
                now = self.timer()
                index = int(now // self.duration)
                found = cache.get_many([f"{key}:{index}", f"{key}:{index - 1}"])
                count = int(found.get(f"{key}:{index}") or 0)
                before = int(found.get(f"{key}:{index - 1}") or 0)
            except Exception:  # noqa: BLE001 - fail open, as every limit here
                logger.warning("rate limit cache unavailable; request allowed")
                return True
        elapsed = now - int(now // self.duration) * self.duration
        overlap = (self.duration - elapsed) / self.duration
        if before * overlap + count < self.num_requests:
            return True
        self._wait = self.duration - elapsed if count >= self.num_requests or before == 0 else self.duration / 2
        return False

    def record(self, request) -> None:
        self.allow_request(request, None)
