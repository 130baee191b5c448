"""Security review (issue 16): per-address limits before authentication (M3), the /oauth/ routes (M4), failure
counting per (client id, address) and one client-address derivation (M8).

Each test is named after its finding and fails on the code before the fix.
"""

from __future__ import annotations

import logging
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from audit.models import AuditEntry
from tests.problems import assert_problem

JUNK = "Bearer junk-token-value"


def _token_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "oauth2_provider_accesstoken" in q["sql"]]


@pytest.mark.redis
def test_m3_invalid_token_traffic_is_limited_per_address_before_authentication(seeded, settings):
    settings.AUTH_FAILURE_RATE_LIMIT = "3/min"
    junk = APIClient(REMOTE_ADDR="198.51.100.7", HTTP_AUTHORIZATION=JUNK)
    path = f"/api/v1/referrals/{uuid.uuid4()}/"
    assert [junk.get(path).status_code for _ in range(3)] == [401] * 3
    with CaptureQueriesContext(connection) as queries:
        refused = junk.get(path)
    assert_problem(refused, 429, "rate-limited")
    assert int(refused["Retry-After"]) >= 1
    assert _token_queries(queries.captured_queries) == []  # refused before any token lookup
    # Requests without any token count as failures too.
    anon = APIClient(REMOTE_ADDR="198.51.100.8")
    assert [anon.get("/api/v1/referrals/").status_code for _ in range(3)] == [401] * 3
    assert_problem(anon.get("/api/v1/referrals/"), 429, "rate-limited")
    # Another address is not affected.
    assert APIClient(REMOTE_ADDR="198.51.100.9", HTTP_AUTHORIZATION=JUNK).get(path).status_code == 401


@pytest.mark.redis
def test_m3_every_request_of_an_address_is_limited_before_authentication(cbp, settings):
    settings.ADDRESS_RATE_LIMIT = "4/min"
    assert [cbp.get("/api/v1/me/").status_code for _ in range(4)] == [200] * 4
    assert_problem(cbp.get("/api/v1/me/"), 429, "rate-limited")
    assert_problem(APIClient().post("/oauth/token/", {}), 429, "rate-limited")
    assert APIClient(REMOTE_ADDR="192.0.2.44").get("/api/v1/me/").status_code == 401


@pytest.mark.redis
def test_m3_address_limit_uses_the_forwarded_address_only_behind_trusted_proxies(seeded, settings):
    settings.ADDRESS_RATE_LIMIT = "2/min"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    # Behind one proxy: the address the proxy appended is the client; whatever the caller put left of it is not.
    for spoofed in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        response = APIClient(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"{spoofed}, 198.51.100.20").get(
            "/api/v1/agencies/"
        )
    assert_problem(response, 429, "rate-limited")
    assert APIClient(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.21").get(
        "/api/v1/agencies/"
    ).status_code in (200, 401)


@pytest.mark.redis
def test_m3_denied_access_audit_rows_are_capped_per_address_per_minute(seeded, settings, caplog):
    from django.core.cache import cache

    settings.AUDIT_DENIED_PER_MINUTE = 3
    junk = APIClient(REMOTE_ADDR="198.51.100.30", HTTP_AUTHORIZATION=JUNK)
    with caplog.at_level(logging.WARNING, logger="audit"):
        statuses = [junk.get(f"/api/v1/referrals/{uuid.uuid4()}/").status_code for _ in range(8)]
    assert statuses == [401] * 8
    rows = AuditEntry.objects.filter(action="referral.access_denied", source_ip="198.51.100.30")
    assert rows.count() == 3
    counted = [key for key in cache._cache.get_client().scan_iter(f"{cache.key_prefix}:*audit:denied-suppressed*")]
    assert len(counted) == 1
    assert int(cache._cache.get_client().get(counted[0])) == 5
    assert any(getattr(r, "suppressed_this_minute", None) == 5 for r in caplog.records)
    # Another address still gets its rows.
    APIClient(REMOTE_ADDR="198.51.100.31", HTTP_AUTHORIZATION=JUNK).get(f"/api/v1/referrals/{uuid.uuid4()}/")
    assert AuditEntry.objects.filter(action="referral.access_denied", source_ip="198.51.100.31").count() == 1


def _basic(client_id: str, secret: str) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


# --- M4 ----------------------------------------------------------------------------------------------------
@pytest.mark.redis
@pytest.mark.parametrize("route", ["/oauth/revoke_token/", "/oauth/introspect/"])
def test_m4_revoke_and_introspect_are_throttled_and_their_failures_audited(make_client, settings, route):
    settings.TOKEN_RATE_LIMIT = "3/min"
    settings.AUTH_FAILURE_RATE_LIMIT = "1000/min"
    issued = make_client()
    guess = APIClient(REMOTE_ADDR="198.51.100.60", HTTP_AUTHORIZATION=_basic(issued.client.client_id, "guess"))
    statuses = [guess.post(route, {"token": "x"}).status_code for _ in range(3)]
    assert all(status in (401, 403) for status in statuses), statuses
    assert_problem(guess.post(route, {"token": "x"}), 429, "rate-limited")
    action = "token.revoke_refused" if "revoke" in route else "token.introspect_refused"
    rows = AuditEntry.objects.filter(action=action)
    assert rows.count() == 3
    row = rows.first()
    assert (row.object_id, row.agency_code, row.outcome) == (issued.client.client_id, "CBP", "denied")
    assert row.reason in ("invalid_client", "http_401", "http_403")
    assert row.source_ip == "198.51.100.60"


@pytest.mark.redis
def test_m4_successful_revocation_still_works(make_client):
    from tests.conftest import obtain_token

    issued = make_client()
    raw = obtain_token(issued)
    response = APIClient(HTTP_AUTHORIZATION=_basic(issued.client.client_id, issued.client_secret)).post(
        "/oauth/revoke_token/", {"token": raw}
    )
    assert response.status_code == 200
    assert APIClient(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/me/").status_code == 401


@pytest.mark.parametrize("path", ["/oauth/token/", "/oauth/revoke_token/", "/admin/login/", "/api/v1/webhooks/"])
def test_m4_multipart_bodies_outside_attachments_are_bounded(seeded, settings, path):
    settings.MAX_JSON_BODY_BYTES = 1024
    boundary = "b0undary"
    filler = b"x" * 4096
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="f"; filename="a.bin"\r\n\r\n'.encode()
        + filler
        + f"\r\n--{boundary}--\r\n".encode()
    )
    response = APIClient().generic("POST", path, body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413, (path, response.status_code)


# --- M8 ----------------------------------------------------------------------------------------------------
@pytest.mark.redis
def test_m8_failures_from_one_address_do_not_lock_the_client_out_elsewhere(make_client, settings):
    settings.TOKEN_RATE_LIMIT = "3/min"
    issued = make_client()
    attacker = APIClient(REMOTE_ADDR="203.0.113.66", HTTP_AUTHORIZATION=_basic(issued.client.client_id, "guess"))
    assert [attacker.post("/oauth/token/", {"grant_type": "client_credentials"}).status_code for _ in range(3)] == [
        401
    ] * 3
    assert attacker.post("/oauth/token/", {"grant_type": "client_credentials"}).status_code == 429
    credentials = _basic(issued.client.client_id, issued.client_secret)
    owner = APIClient(REMOTE_ADDR="203.0.113.67", HTTP_AUTHORIZATION=credentials)
    assert owner.post("/oauth/token/", {"grant_type": "client_credentials"}).status_code == 200


@pytest.mark.redis
def test_m8_successful_token_requests_are_not_counted_as_failures(make_client, settings):
    from django.core.cache import cache

    settings.TOKEN_RATE_LIMIT = "30/min"
    issued = make_client()
    credentials = _basic(issued.client.client_id, issued.client_secret)
    owner = APIClient(REMOTE_ADDR="203.0.113.70", HTTP_AUTHORIZATION=credentials)
    assert owner.post("/oauth/token/", {"grant_type": "client_credentials"}).status_code == 200
    keys = list(cache._cache.get_client().scan_iter(f"{cache.key_prefix}:*oauth-client-failure*"))
    assert keys == []


def test_m8_one_client_address_for_rate_limit_audit_and_logs(seeded, settings, caplog):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    settings.AUDIT_DENIED_PER_MINUTE = 100
    junk = APIClient(REMOTE_ADDR="10.0.0.5", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.90", HTTP_AUTHORIZATION=JUNK)
    with caplog.at_level(logging.INFO, logger="referral_api.access"):
        assert junk.get(f"/api/v1/referrals/{uuid.uuid4()}/").status_code == 401
    row = AuditEntry.objects.get(action="referral.access_denied")
    assert row.source_ip == "198.51.100.90"
    lines = [r for r in caplog.records if r.name == "referral_api.access"]
    assert lines and lines[-1].client_ip == "198.51.100.90"
    # Without trusted proxies the header is ignored.
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}
    APIClient(REMOTE_ADDR="10.0.0.6", HTTP_X_FORWARDED_FOR="6.6.6.6", HTTP_AUTHORIZATION=JUNK).get(
        f"/api/v1/referrals/{uuid.uuid4()}/"
    )
    assert AuditEntry.objects.filter(action="referral.access_denied", source_ip="10.0.0.6").count() == 1
