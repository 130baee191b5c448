"""Django's Redis cache, keeping one Redis client per connection pool instead of building one per call.

Django's ``RedisCacheClient.get_client`` constructs a new ``redis.Redis`` around the pool on every cache call
(about 0.1-0.25 ms each: option parsing and response-callback tables), and an API request makes several (the
address limit, the token check, the client limit). A ``redis.Redis`` holds no connection of its own: it checks
one out of its pool for each command or pipeline, so one instance per pool is safe to share between threads
(redis-py documents client instances as thread-safe). Everything else is Django's backend unchanged.

``get_many_and_count_if_unchanged`` reads keys and, only if they still hold the values expected, bumps a counter,
in one round trip: the token check reads its cache generations and counts the request against its client's rate
limit together (``agencies.tokens.token_lookup``, ``referral_api.throttling.client_count_for``).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from redis.commands.core import Script


class RedisCacheClient(DjangoRedisCacheClient):
    """``get_client`` returns the same ``redis.Redis`` for the same pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}
        self._clients_lock = threading.Lock()

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            with self._clients_lock:
                client = self._clients.get(pool)
                if client is None:
                    client = self._clients[pool] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """``CACHES`` backend: Django's ``RedisCache`` with ``RedisCacheClient`` above."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient


@dataclass
class Count:
    """A counter to bump in another read's round trip: INCR ``key`` (expiring in ``ttl`` seconds) and read
    ``also_get``. ``result`` is ``(INCR's value, also_get's value)`` once made, ``None`` if it was not."""

    key: str
    ttl: int
    also_get: str
    result: tuple[int, int] | None = field(default=None, init=False)


# KEYS: the n guarded keys, then the counter and the key read with it. ARGV: n, the counter's TTL, then the value
# each guarded key must still hold. Returns the guarded keys' values, then (only if every one still holds its
# value) the counter's new value and the other key's value. A script is what makes the increment conditional on
# the read within one round trip: a pipeline cannot skip a command on an earlier reply, and EXEC after WATCH costs
# round trips of its own. Scripts run atomically (https://redis.io/docs/latest/develop/programmability/eval-intro/).
_GET_MANY_AND_COUNT_IF_UNCHANGED = Script(
    None,
    b"""
local n = tonumber(ARGV[1])
local found = redis.call('MGET', unpack(KEYS, 1, n))
for i = 1, n do
    if found[i] ~= ARGV[i + 2] then
        return found
    end
end
found[n + 1] = redis.call('INCR', KEYS[n + 1])
redis.call('EXPIRE', KEYS[n + 1], ARGV[2])
found[n + 2] = redis.call('GET', KEYS[n + 2])
return found
""",
)


def get_many_and_count_if_unchanged(expected: dict[str, object], count: Count | None) -> dict[str, object]:
    """``cache.get_many(expected)``, and ``count`` made in the same round trip if, and only if, every key still
    holds the value ``expected`` gives it (compared as the cache stores them), atomically.

    So a check that reads shared state before trusting something (the token cache's generations) can carry a
    counter that must count only what it trusts (a client's rate limit), without a second round trip. Raises if
    the cache is unreachable, as ``get_many`` does. With another cache backend than Redis (development), a plain
    read, compare and count.
    """
    from django.core.cache import cache

    keys = list(expected)
    if count is None or any(value is None for value in expected.values()):
        return cache.get_many(keys)
    backend = getattr(cache, "_cache", None)
    if not isinstance(backend, DjangoRedisCacheClient):
        found = cache.get_many(keys)
        if all(found.get(key) == value for key, value in expected.items()):
            cache.add(count.key, 0, count.ttl)
            count.result = (int(cache.incr(count.key)), int(cache.get(count.also_get) or 0))
        return found
    serializer = backend._serializer
    reply = _GET_MANY_AND_COUNT_IF_UNCHANGED(
        keys=[cache.make_and_validate_key(key) for key in (*keys, count.key, count.also_get)],
        args=[len(keys), count.ttl, *(serializer.dumps(expected[key]) for key in keys)],
        client=backend.get_client(write=True),
    )
    found = {key: serializer.loads(value) for key, value in zip(keys, reply, strict=False) if value is not None}
    if len(reply) > len(keys):
        count.result = (int(reply[len(keys)]), int(reply[len(keys) + 1] or 0))
    return found
