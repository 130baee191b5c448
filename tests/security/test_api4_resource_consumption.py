"""API4:2023 Unrestricted resource consumption.

Rate limits per client, counted in Redis so every worker process shares them (429 ``rate-limited`` with
``Retry-After``); a tighter limit on the token endpoint per address and per claimed client id; JSON bodies over
``MAX_JSON_BODY_BYTES`` (1 MiB) refused with 413 before parsing, also when sent chunked without a
Content-Length; deep nesting refused quickly; page sizes capped; at most 100 persons; attachments capped at
``ATTACHMENT_MAX_BYTES``.
"""

from __future__ import annotations

import base64
import io
import sys
import time

import orjson
import pytest
import redis
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from rest_framework.test import APIClient

from referral_api.throttling import ClientRateThrottle
from tests.foundation.routes import make_token
from tests.problems import assert_problem
from tests.security.conftest import ALL_SCOPES, BASE_PERSON_COPY, bearer, referral_body, text_upload


# --- rate limits -------------------------------------------------------------------------------------------
@pytest.fixture
def low_api_limit(monkeypatch):
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"client": "5/min"})


def first_refusal(send, attempts: int = 30):
    for _ in range(attempts):
        response = send()
        if response.status_code == 429:
            return response
    raise AssertionError(f"no 429 after {attempts} requests")


@pytest.mark.redis
def test_api_rate_limit_per_client_in_redis(seeded, low_api_limit):
    from agencies.models import Client

    first = bearer(make_token(agency="CBP", scopes=ALL_SCOPES))
    statuses = [first.get("/api/v1/me/").status_code for _ in range(5)]
    assert statuses == [200] * 5
    refused = first_refusal(lambda: first.get("/api/v1/me/"))
    assert_problem(refused, 429, "rate-limited")
    assert 1 <= int(refused["Retry-After"]) <= 60
    # Every route shares the client's budget (writes too).
    assert first.post("/api/v1/referrals/", referral_body(), format="json").status_code == 429
    # Another client of the same agency has its own budget.
    second = bearer(make_token(agency="CBP", scopes=ALL_SCOPES))
    assert second.get("/api/v1/me/").status_code == 200
    # The count lives in Redis (shared by every worker process), not in this process's memory.
    client = Client.objects.order_by("pk").filter(agency__code="CBP").first()
    keys = [k.decode() for k in redis.Redis.from_url(settings.REDIS_URL).scan_iter("*throttle_client*", count=1000)]
    assert any(f"client:{client.pk}" in key for key in keys), keys


@pytest.mark.redis
def test_api_rate_limit_is_shared_with_another_process(seeded, low_api_limit, tmp_path):
    """A separate Python process (as another gunicorn worker would) spends the same client's budget."""
    import subprocess

    raw = make_token(agency="CBP", scopes=ALL_SCOPES)
    from oauth2_provider.models import AccessToken

    client_pk = AccessToken.objects.order_by("-pk").first().application_id
    key_prefix = settings.CACHES["default"]["KEY_PREFIX"]
    # The other process spends 5 requests' worth straight in the shared counter (same keys as the throttle).
    code = f"""
import os, time, django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "referral_api.settings")
django.setup()
from django.conf import settings
settings.CACHES["default"]["KEY_PREFIX"] = {key_prefix!r}
from referral_api.throttling import _count
window = int(time.time() // 60)
key = "throttle_client_client:{client_pk}:%d"
for _ in range(5):
    _count(key % window, key % (window - 1), 121)
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=settings.BASE_DIR, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert_problem(bearer(raw).get("/api/v1/me/"), 429, "rate-limited")


def test_rate_limiting_fails_open_when_redis_is_down(seeded, low_api_limit, settings):
    """Rate limits protect capacity: a cache outage must not become an API outage (logged, see throttling)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "referral_api.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    client = bearer(make_token(agency="CBP", scopes=ALL_SCOPES))
    assert [client.get("/api/v1/me/").status_code for _ in range(7)] == [200] * 7


def _basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


@pytest.mark.redis
def test_token_endpoint_limit_per_address(make_client, settings):
    settings.TOKEN_RATE_LIMIT = "3/min"
    issued = make_client()
    guess = lambda: APIClient(REMOTE_ADDR="198.51.100.1").post(  # noqa: E731
        "/oauth/token/",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=_basic("x" + issued.client.client_id, "guess"),
    )
    assert [guess().status_code for _ in range(3)] == [401] * 3
    refused = first_refusal(guess)
    assert_problem(refused, 429, "rate-limited")
    assert int(refused["Retry-After"]) >= 1


@pytest.mark.redis
def test_token_endpoint_counts_failures_per_client_id_and_address(make_client, settings):
    """Failed client authentications are limited per (claimed client id, address); successes never count, and
    failures from one address never lock the client out at another (issue 16, M8)."""
    settings.TOKEN_RATE_LIMIT = "3/min"
    issued = make_client()

    def attempt(address: str, secret: str = "guess", **form):
        return APIClient(REMOTE_ADDR=address).post(
            "/oauth/token/",
            {"grant_type": "client_credentials", **form},
            HTTP_AUTHORIZATION=_basic(issued.client.client_id, secret) if not form else "",
        )

    assert [attempt("203.0.113.1").status_code for _ in range(3)] == [401] * 3
    assert_problem(attempt("203.0.113.1"), 429, "rate-limited")
    # The id in the form body counts against the same (client, address).
    body = attempt("203.0.113.1", client_id=issued.client.client_id, client_secret="guess")
    assert body.status_code == 429
    # The real client, at its own address, is not locked out by someone else's failures.
    assert attempt("203.0.113.2", issued.client_secret).status_code == 200


# --- body size ---------------------------------------------------------------------------------------------
LIMIT = 1024 * 1024


def test_json_body_over_one_mib_is_413_before_parsing(token_client):
    cbp = token_client("CBP")
    body = b'{"summary": "' + b"x" * LIMIT + b'"}'
    started = time.perf_counter()
    response = cbp.generic("POST", "/api/v1/referrals/", body, content_type="application/json")
    assert_problem(response, 413, "payload-too-large")
    assert time.perf_counter() - started < 1.0
    assert response["Cache-Control"] == "no-store"
    # At the limit it is parsed (and refused for what it says, not its size).
    at_limit = b'{"summary": "' + b"x" * (LIMIT - 16) + b'"}'
    assert len(at_limit) <= LIMIT
    assert cbp.generic("POST", "/api/v1/referrals/", at_limit, content_type="application/json").status_code == 400


def test_oversized_bodies_are_refused_on_the_token_endpoint_too(seeded):
    response = APIClient().generic(
        "POST",
        "/oauth/token/",
        b"grant_type=client_credentials&x=" + b"a" * LIMIT,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413


class CountingStream(io.BytesIO):
    def __init__(self, data: bytes):
        super().__init__(data)
        self.consumed = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.consumed += len(chunk)
        return chunk


def wsgi_call(environ_extra: dict, body: bytes, token: str):
    """Call the app through Django's WSGI handler with a body and no Content-Length (as a chunked request)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    stream = CountingStream(body)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/v1/referrals/",
        "QUERY_STRING": "",
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "CONTENT_TYPE": "application/json",
        "HTTP_TRANSFER_ENCODING": "chunked",
        "HTTP_AUTHORIZATION": f"Bearer {token}",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": stream,
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        **environ_extra,
    }
    captured = {}

    def start_response(status, headers, exc_info=None):
        captured["status"] = int(status.split()[0])
        captured["headers"] = dict(headers)

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = WSGIHandler()(environ, start_response)
        content = b"".join(result)
        if hasattr(result, "close"):
            result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return captured["status"], captured["headers"], content, stream.consumed


def test_chunked_body_over_the_limit_is_413_after_reading_at_most_the_limit(seeded):
    token = make_token(agency="CBP", scopes=ALL_SCOPES)
    body = b'{"summary": "' + b"x" * (3 * LIMIT) + b'"}'
    status, headers, content, consumed = wsgi_call({"wsgi.input_terminated": True}, body, token)
    assert status == 413, content[:300]
    assert headers["Content-Type"] == "application/problem+json"
    assert consumed <= LIMIT + 64 * 1024


def test_chunked_body_within_the_limit_is_read_in_full(seeded):
    token = make_token(agency="CBP", scopes=ALL_SCOPES)
    status, _headers, content, _consumed = wsgi_call(
        {"wsgi.input_terminated": True}, orjson.dumps(referral_body()), token
    )
    assert status == 201, content[:300]


def test_chunked_body_on_a_server_that_cannot_bound_it_is_refused(seeded):
    """Without ``wsgi.input_terminated`` the end of a chunked body is unknown: refuse rather than read unbounded."""
    token = make_token(agency="CBP", scopes=ALL_SCOPES)
    status, _headers, _content, consumed = wsgi_call({}, orjson.dumps(referral_body()), token)
    assert status == 413
    assert consumed == 0


# --- nesting, page size, persons, attachments ---------------------------------------------------------------
@pytest.mark.parametrize("depth", [33, 1000, 200_000])
def test_deep_nesting_is_refused_quickly(token_client, depth):
    cbp = token_client("CBP")
    body = b'{"persons": ' + b"[" * depth + b"]" * depth + b"}"
    started = time.perf_counter()
    response = cbp.generic("POST", "/api/v1/referrals/", body, content_type="application/json")
    elapsed = time.perf_counter() - started
    assert_problem(response, 400, "validation-error")
    assert "nested" in response.json()["detail"]
    assert elapsed < 1.0, elapsed


def test_nesting_within_the_limit_is_parsed(token_client):
    cbp = token_client("CBP")
    body = b'{"narrative": ' + b"[" * 30 + b"]" * 30 + b"}"
    response = cbp.generic("POST", "/api/v1/referrals/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested" not in response.json()["detail"]


@pytest.mark.parametrize("path", ["/api/v1/referrals/", "/api/v1/events/", "/api/v1/webhooks/"])
@pytest.mark.parametrize("size", ["201", "0", "-1", "1e3", "99999999999999999999", "abc"])
def test_page_size_is_capped(token_client, path, size):
    response = token_client("CBP").get(path, {"page_size": size})
    assert_problem(response, 400, "validation-error")
    assert response.json()["errors"][0]["field"] == "page_size"


@pytest.mark.parametrize("path", ["/api/v1/referrals/", "/api/v1/events/", "/api/v1/webhooks/"])
def test_page_size_200_is_allowed(token_client, path):
    assert token_client("CBP").get(path, {"page_size": "200"}).status_code == 200


def test_at_most_100_persons(token_client):
    cbp = token_client("CBP")
    too_many = cbp.post("/api/v1/referrals/", referral_body(persons=[BASE_PERSON_COPY()] * 101), format="json")
    assert_problem(too_many, 400, "validation-error")
    assert "persons" in {e["field"] for e in too_many.json()["errors"]}
    hundred = cbp.post("/api/v1/referrals/", referral_body(persons=[BASE_PERSON_COPY()] * 100), format="json")
    assert hundred.status_code == 201, hundred.content[:300]


def test_attachment_over_the_limit_is_413(world, settings):
    settings.ATTACHMENT_MAX_BYTES = 4096
    pk = world.ids["pk"]
    response = world.cbp.post(
        f"/api/v1/referrals/{pk}/attachments/",
        {"file": text_upload(content=b"x" * 5000), "kind": "other"},
        format="multipart",
    )
    assert_problem(response, 413, "payload-too-large")
    ok = world.cbp.post(
        f"/api/v1/referrals/{pk}/attachments/",
        {"file": text_upload(content=b"x" * 4000), "kind": "other"},
        format="multipart",
    )
    assert ok.status_code == 201, ok.content[:300]


def test_long_query_strings_and_headers_are_bounded(token_client):
    cbp = token_client("CBP")
    response = cbp.get("/api/v1/referrals/", {"external_reference": "x" * 100_000})
    assert response.status_code in (200, 400)
    response = cbp.get("/api/v1/me/", HTTP_X_REQUEST_ID="x" * 10_000)
    assert response.status_code == 200
    assert len(response["X-Request-ID"]) <= 128
