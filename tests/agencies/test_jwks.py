"""JWK Sets: what a submitted set may hold, and fetching a client's set from its URL (SSRF guard, size, time,
caching, key rollover). The URL tests serve the set from a real HTTP server on loopback."""

from __future__ import annotations

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from django.core.cache import cache
from django.core.exceptions import ValidationError
from jwcrypto import jwk

import referral_api.ssrf
from agencies import jwks as jwks_module
from agencies.jwks import InvalidJWKS, JWKSUnreachable, jwks_fetch, jwks_summary, jwks_validate
from agencies.services import JWKSSource, client_create
from tests.agencies.keys import assertion, assertion_form, jwks, public_jwk
from tests.agencies.test_private_key_jwt import assert_refused, post_token

pytestmark = pytest.mark.redis


# --- What a submitted set may hold ------------------------------------------------------------------------


def test_public_keys_are_kept_and_summarised():
    checked = jwks_validate(json.dumps(jwks("rsa", "ec", "ec384")))
    assert [k["kid"] for k in checked["keys"]] == ["rsa-kid", "ec-kid", "ec384-kid"]
    assert jwks_summary(checked) == [
        {"kid": "rsa-kid", "kty": "RSA", "alg": "RS256/RS384"},
        {"kid": "ec-kid", "kty": "EC", "alg": "ES256"},
        {"kid": "ec384-kid", "kty": "EC", "alg": "ES384"},
    ]


def _private(kty: str, **params) -> dict:
    return json.loads(jwk.JWK.generate(kty=kty, kid=f"p-{kty}", **params).export_private())


@pytest.mark.parametrize(
    "key",
    [
        pytest.param(_private("RSA", size=2048), id="rsa-private"),
        pytest.param(_private("EC", crv="P-256"), id="ec-private"),
        pytest.param(json.loads(jwk.JWK.generate(kty="oct", size=256, kid="o").export()), id="symmetric"),
    ],
)
def test_a_set_holding_a_private_key_is_refused_whole(key):
    data = {"keys": [public_jwk("rsa"), key]}
    with pytest.raises(InvalidJWKS, match=r"keys\[1\] holds private key material"):
        jwks_validate(json.dumps(data))
    with pytest.raises(ValidationError):
        JWKSSource.from_file(json.dumps(data))


def _public(kty: str, kid: str = "k", **params) -> dict:
    return {**json.loads(jwk.JWK.generate(kty=kty, **params).export_public()), "kid": kid}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("not json", "not JSON"),
        ("[]", "JSON object"),
        ('{"keys": []}', "at least one key"),
        ('{"keys": "x"}', "at least one key"),
        (json.dumps({"keys": [1]}), "not a JSON object"),
        (json.dumps({"keys": [{"kty": "RSA", "kid": "x", "n": "AQAB"}]}), "not a valid JWK"),
        (json.dumps({"keys": [_public("RSA", size=1024)]}), "at least 2048 bits"),
        (json.dumps({"keys": [_public("EC", crv="P-521")]}), "P-256 or P-384"),
        (json.dumps({"keys": [_public("OKP", crv="Ed25519")]}), "only RSA and EC"),
        (json.dumps({"keys": [{**public_jwk("rsa"), "use": "enc"}]}), '"use" must be "sig"'),
        (json.dumps({"keys": [{**public_jwk("rsa"), "alg": "HS256"}]}), "alg must be one of"),
        (json.dumps({"keys": [{**public_jwk("rsa"), "kid": None}]}), "needs a kid"),
        (json.dumps({"keys": [public_jwk("rsa"), {**public_jwk("ec"), "kid": "rsa-kid"}]}), "share one kid"),
        (json.dumps({"keys": [public_jwk("ec")] * 21}), "at most 20 keys"),
        ("x" * (65 * 1024), "at most 65536 bytes"),
    ],
)
def test_bad_sets_are_refused_naming_the_rule(data, message):
    with pytest.raises(InvalidJWKS, match=message):
        jwks_validate(data)


def test_cache_control_bounds():
    seconds = jwks_module._cache_seconds
    assert seconds("") == 300
    assert seconds("public, max-age=120") == 120
    assert seconds("max-age=86400") == 3600  # at most an hour
    assert seconds("max-age=5") == 60
    assert seconds("no-store") == seconds("no-cache, max-age=900") == 60
    assert seconds("max-age=abc") == 300


# --- Fetching from a URL ---------------------------------------------------------------------------------


class JWKSServer:
    """A loopback HTTP server serving ``body`` (bytes, or a callable writing to the socket) and counting hits."""

    def __init__(self):
        self.body: bytes = json.dumps(jwks("rsa")).encode()
        self.status = 200
        self.headers: dict[str, str] = {"Content-Type": "application/jwk-set+json"}
        self.hits = 0
        self.stream_bytes = 0  # > 0: send this many bytes without Content-Length instead of ``body``
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.hits += 1
                self.send_response(server.status)
                for name, value in server.headers.items():
                    self.send_header(name, value)
                try:
                    if server.stream_bytes:
                        self.end_headers()
                        chunk = b" " * 65536
                        for _ in range(server.stream_bytes // len(chunk)):
                            self.wfile.write(chunk)
                        return
                    self.send_header("Content-Length", str(len(server.body)))
                    self.end_headers()
                    self.wfile.write(server.body)
                except OSError:
                    pass  # the client stopped reading (the size bound)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/.well-known/jwks.json"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def serve(self, *names: str) -> None:
        self.body = json.dumps(jwks(*names)).encode()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def jwks_server(settings):
    settings.JWKS_ALLOW_PRIVATE_URLS = True
    server = JWKSServer()
    yield server
    server.close()


@pytest.fixture
def url_client(seeded, jwks_server):
    issued = client_create(
        agency_code="CBP",
        name=f"url client {uuid.uuid4().hex[:6]}",
        scopes=["referrals:read"],
        keys=JWKSSource.from_url(jwks_server.url),
    )
    return issued.client


def token_status(client, **kwargs) -> int:
    return post_token(assertion_form(assertion(client.client_id, **kwargs))).status_code


def test_key_from_url_accepted_and_the_set_cached(url_client, jwks_server):
    assert token_status(url_client) == 200
    assert token_status(url_client) == 200
    assert jwks_server.hits == 1


def test_unknown_kid_refetches_once_and_is_accepted_when_the_url_gained_it(url_client, jwks_server):
    assert token_status(url_client) == 200
    jwks_server.serve("rsa", "ec")  # rollover: the partner publishes a new key
    assert token_status(url_client, key="ec") == 200
    assert jwks_server.hits == 2


def test_unknown_kid_not_in_the_set_is_refused_and_not_fetched_again_within_the_minute(url_client, jwks_server):
    assert token_status(url_client) == 200
    refused = post_token(assertion_form(assertion(url_client.client_id, key="rsa-2")))
    assert_refused(refused, "unknown_kid", tokens_before=1)
    assert jwks_server.hits == 2  # one refetch for the unknown kid
    jwks_server.serve("rsa", "rsa-2", "ec")
    for key in ("rsa-2", "ec", "rsa-2"):
        assert token_status(url_client, key=key) == 401
    assert jwks_server.hits == 2  # no fetch within the minute, however many unknown kids arrive
    assert token_status(url_client) == 200  # known keys keep working from the cache
    cache.delete(f"jwks:refetch:{url_client.client_id}")  # a minute later
    assert token_status(url_client, key="rsa-2") == 200
    assert jwks_server.hits == 3


def test_cached_set_lives_as_long_as_cache_control_says(url_client, jwks_server):
    jwks_server.headers["Cache-Control"] = "max-age=120"
    assert token_status(url_client) == 200
    key = cache.make_and_validate_key(jwks_module._cache_key(url_client.client_id, url_client.jwks_uri))
    ttl = cache._cache.get_client().ttl(key)
    assert 100 < ttl <= 120
    cache.delete(jwks_module._cache_key(url_client.client_id, url_client.jwks_uri))  # expired
    assert token_status(url_client) == 200
    assert jwks_server.hits == 2


@pytest.mark.parametrize(
    "breakage",
    ["status-404", "status-500", "redirect", "not-json", "private-key", "ten-megabytes", "ten-megabytes-undeclared"],
)
def test_unusable_urls_answer_jwks_unreachable(url_client, jwks_server, breakage):
    if breakage.startswith("status-"):
        jwks_server.status = int(breakage.split("-")[1])
    elif breakage == "redirect":
        jwks_server.status = 302
        jwks_server.headers["Location"] = jwks_server.url + "?moved"
    elif breakage == "not-json":
        jwks_server.body = b"<html>hello</html>"
    elif breakage == "private-key":
        jwks_server.body = json.dumps({"keys": [_private("RSA", size=2048)]}).encode()
    elif breakage == "ten-megabytes":
        jwks_server.body = b'{"keys": [' + b" " * (10 * 1024 * 1024) + b"]}"
    else:
        jwks_server.stream_bytes = 10 * 1024 * 1024
    assert_refused(post_token(assertion_form(assertion(url_client.client_id))), "jwks_unreachable")
    assert jwks_server.hits == 1  # redirects are not followed
    # A failed fetch is not retried within the minute, so a broken URL is not hammered per token request.
    assert token_status(url_client) == 401
    assert jwks_server.hits == 1


def test_fetch_reads_at_most_the_bound(jwks_server):
    jwks_server.stream_bytes = 10 * 1024 * 1024
    with pytest.raises(JWKSUnreachable, match="too large"):
        jwks_fetch(jwks_server.url)
    jwks_server.stream_bytes = 0
    jwks_server.body = b" " * (10 * 1024 * 1024)
    with pytest.raises(JWKSUnreachable, match="too large"):
        jwks_fetch(jwks_server.url)


def test_a_fixed_url_works_again_after_the_minute(url_client, jwks_server):
    jwks_server.status = 503
    assert token_status(url_client) == 401
    jwks_server.status = 200
    assert token_status(url_client) == 401
    cache.delete(f"jwks:failed:{url_client.client_id}")
    assert token_status(url_client) == 200


# --- SSRF: the webhook guard applies to JWK Set URLs ---------------------------------------------------------


@pytest.mark.parametrize("address", ["127.0.0.1", "169.254.169.254", "10.0.0.5", "::1", "::ffff:169.254.169.254"])
def test_url_resolving_to_a_private_address_is_refused_at_registration(settings, monkeypatch, address):
    settings.JWKS_ALLOW_PRIVATE_URLS = False
    monkeypatch.setattr(referral_api.ssrf, "resolve", lambda host, port: [address])
    with pytest.raises(ValidationError, match="non-public address"):
        JWKSSource.from_url("https://keys.partner.example/jwks.json")


@pytest.mark.parametrize(
    "url",
    [
        "http://keys.partner.example/jwks.json",
        "https://127.0.0.1/jwks.json",
        "https://169.254.169.254/latest/meta-data/",
        "https://user:pw@keys.partner.example/jwks.json",
        "file:///etc/passwd",
        "https://[::1]/jwks.json",
    ],
)
def test_unsafe_urls_are_refused_at_registration(settings, url):
    settings.JWKS_ALLOW_PRIVATE_URLS = False
    with pytest.raises(ValidationError, match="JWK Set URL refused"):
        JWKSSource.from_url(url)


def test_url_that_turned_private_is_never_connected_to(seeded, settings, monkeypatch):
    """DNS now answers 127.0.0.1 / 169.254.169.254: refused at fetch time, before any connection."""
    settings.JWKS_ALLOW_PRIVATE_URLS = False
    monkeypatch.setattr(referral_api.ssrf, "resolve", lambda host, port: ["93.184.215.14"])
    client = client_create(
        agency_code="CBP",
        name="turned private",
        scopes=["referrals:read"],
        keys=JWKSSource.from_url("https://keys.partner.example/jwks.json"),
    ).client
    connections = []
    monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", lambda *a, **k: connections.append(a))
    for address in ("127.0.0.1", "169.254.169.254"):
        monkeypatch.setattr(referral_api.ssrf, "resolve", lambda host, port, a=address: [a])
        cache.delete(f"jwks:failed:{client.client_id}")
        assert_refused(post_token(assertion_form(assertion(client.client_id))), "jwks_unreachable")
    assert connections == []
