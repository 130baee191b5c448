"""Redis round trips of an authenticated API request, counted on real connections (no Redis double).

A request with a cached token makes two: the per-address limits (one pipeline, before authentication), then the
token check, which reads the token's generations and, in the same script, counts the request against its client's
rate limit, only if the token is still honoured. These tests pin that number and what the count still means.
"""

from __future__ import annotations

import time

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from oauth2_provider.models import get_access_token_model
from rest_framework.test import APIClient

from agencies.models import Client
from agencies.tokens import token_checksum
from referral_api.throttling import ClientRateThrottle
from tests.foundation.routes import make_token

pytestmark = pytest.mark.redis
ME = "/api/v1/me/"


class CountingConnection(redis.Connection):
    """A real connection that counts what it sends: one ``send_packed_command`` is one round trip (a pipeline
    packs all its commands into one)."""

    sent = 0

    def send_packed_command(self, command, check_health=True):
        CountingConnection.sent += 1
        return super().send_packed_command(command, check_health)


@pytest.fixture
def counted_redis(settings):
    """The configured cache, on connections that count their round trips."""
    default = settings.CACHES["default"]
    if "redis" not in default["BACKEND"].lower():
        pytest.skip("the cache is not Redis")
    settings.CACHES = {
        "default": {**default, "OPTIONS": {**default.get("OPTIONS", {}), "connection_class": CountingConnection}}
    }
    yield CountingConnection


def round_trips(send) -> int:
    before = CountingConnection.sent
    send()
    return CountingConnection.sent - before


def bearer(raw: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return api


def token_of(raw: str):
    return get_access_token_model().objects.get(token_checksum=token_checksum(raw))


def client_count(raw_token: str) -> int:
    """This window's count of the client that owns ``raw_token`` (the key ``ClientRateThrottle`` uses)."""
    token = token_of(raw_token)
    throttle = ClientRateThrottle()
    index = int(time.time() // throttle.duration)
    return int(cache.get(f"{throttle.token_key(token)}:{index}") or 0)


def test_an_authenticated_request_makes_two_round_trips(seeded, counted_redis):
    raw = make_token(scopes=["events:read"])
    api = bearer(raw)
    for _ in range(3):  # the token is cached from its second use; the script is loaded on its first
        assert api.get(ME).status_code == 200
    assert [round_trips(lambda: api.get(ME)) for _ in range(3)] == [2, 2, 2]
    # Each request is counted once against its client (not once by the token check and again by the throttle).
    assert client_count(raw) == 6


def test_the_client_limit_still_refuses_with_retry_after(seeded, counted_redis, monkeypatch):
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"client": "4/min"})
    api = bearer(make_token(scopes=["events:read"]))
    assert [api.get(ME).status_code for _ in range(4)] == [200] * 4
    refused = api.get(ME)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60


def test_a_token_no_longer_honoured_is_not_counted_against_its_client(seeded, counted_redis):
    raw = make_token(scopes=["events:read"])
    api = bearer(raw)
    for _ in range(3):
        assert api.get(ME).status_code == 200
    counted = client_count(raw)
    # Deactivating the client gives it a new generation: the cached entry is stale, the database refuses the token.
    Client.objects.filter(pk=token_of(raw).application_id).update(active=False)
    assert api.get(ME).status_code == 401
    assert client_count(raw) == counted


def test_a_request_refused_for_its_scopes_is_not_counted(seeded, counted_redis):
    """DRF checks scopes before throttles: a 403 never reached the client limit, and still does not."""
    raw = make_token(scopes=["events:read"])
    api = bearer(raw)
    for _ in range(3):
        assert api.get(ME).status_code == 200
    counted = client_count(raw)
    assert api.get("/api/v1/referrals/").status_code == 403
    assert client_count(raw) == counted


def test_an_invalid_token_is_not_counted_against_any_client(seeded, counted_redis):
    keys = f"{settings.CACHES['default']['KEY_PREFIX']}:*throttle_client_client:*"
    client = cache._cache.get_client(write=True)
    assert bearer("not-a-token").get(ME).status_code == 401
    assert list(client.scan_iter(keys)) == []


def test_one_redis_client_per_pool(seeded, counted_redis):
    """Django builds a new ``redis.Redis`` for every cache call; the project's backend keeps one per pool."""
    assert cache._cache.get_client(write=True) is cache._cache.get_client(write=True)
    assert cache._cache.get_client() is cache._cache.get_client(write=True)  # one server: one pool
