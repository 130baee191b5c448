"""The token endpoint (RFC 6749 §4.4 client credentials), revocation (RFC 7009) and introspection (RFC 7662)."""

from __future__ import annotations

import base64
import hashlib

import pytest
from django.conf import settings
from django.db import connection
from oauth2_provider.models import get_access_token_model, get_refresh_token_model
from rest_framework.test import APIClient

from tests.conftest import ALL_SCOPES, obtain_token

AccessToken = get_access_token_model()
RefreshToken = get_refresh_token_model()


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def token_request(issued, secret: str | None = None, **data):
    data.setdefault("grant_type", "client_credentials")
    secret = issued.client_secret if secret is None else secret
    return APIClient().post("/oauth/token/", data, HTTP_AUTHORIZATION=basic(issued.client.client_id, secret))


def bearer(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def assert_invalid_token(response):
    assert response.status_code == 401, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("/invalid-token")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


# --- Issuing ---------------------------------------------------------------------------------------------


def test_token_with_http_basic(make_client):
    issued = make_client("CBP", "referrals:read referrals:write")
    response = token_request(issued)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["access_token"]
    assert set(body["scope"].split()) == {"referrals:read", "referrals:write"}
    assert bearer(body["access_token"]).get("/api/v1/me/").status_code == 200


def test_token_with_credentials_in_form_body(make_client):
    issued = make_client("ICE", "events:read")
    response = APIClient().post(
        "/oauth/token/",
        {
            "grant_type": "client_credentials",
            "client_id": issued.client.client_id,
            "client_secret": issued.client_secret,
        },
    )
    assert response.status_code == 200, response.content
    assert response.json()["scope"] == "events:read"


def test_wrong_secret_is_invalid_client(make_client):
    issued = make_client()
    response = token_request(issued, secret="not-the-secret")
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert "access_token" not in response.json()
    assert AccessToken.objects.filter(application=issued.client).count() == 0


def test_wrong_secret_in_form_body_is_invalid_client(make_client):
    issued = make_client()
    response = APIClient().post(
        "/oauth/token/",
        {"grant_type": "client_credentials", "client_id": issued.client.client_id, "client_secret": "nope"},
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_unknown_client_is_invalid_client(seeded):
    response = APIClient().post(
        "/oauth/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=basic("nobody", "nothing")
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_scope_subset_is_granted(make_client):
    issued = make_client("CBP", ALL_SCOPES)
    response = token_request(issued, scope="referrals:read")
    assert response.status_code == 200, response.content
    assert response.json()["scope"] == "referrals:read"
    me = bearer(response.json()["access_token"]).get("/api/v1/me/").json()
    assert me["scopes"] == ["referrals:read"]


def test_no_scope_gets_all_allowed_scopes(make_client):
    issued = make_client("USCIS", "referrals:read pii:read webhooks:manage")
    response = token_request(issued)
    assert response.status_code == 200, response.content
    assert set(response.json()["scope"].split()) == {"referrals:read", "pii:read", "webhooks:manage"}


@pytest.mark.parametrize("scope", ["referrals:write", "referrals:read referrals:write", "introspection", "read"])
def test_scope_outside_allowed_is_invalid_scope(make_client, scope):
    issued = make_client("CBP", "referrals:read")
    response = token_request(issued, scope=scope)
    assert response.status_code == 400, response.content
    assert response.json()["error"] == "invalid_scope"
    assert "access_token" not in response.json()
    assert AccessToken.objects.filter(application=issued.client).count() == 0


@pytest.mark.parametrize(
    "grant_type",
    [
        "password",
        "authorization_code",
        "implicit",
        "refresh_token",
        "urn:ietf:params:oauth:grant-type:device_code",
        "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "token",
        "made_up",
        "",
    ],
)
def test_every_other_grant_type_is_refused(make_client, grant_type):
    issued = make_client()
    extra = {"username": "someone", "password": "x", "code": "abc", "refresh_token": "abc", "device_code": "abc"}
    response = token_request(issued, grant_type=grant_type, redirect_uri="https://example.org/cb", **extra)
    assert 400 <= response.status_code < 500, response.content
    assert "access_token" not in response.content.decode()
    assert AccessToken.objects.filter(application=issued.client).count() == 0


def test_missing_grant_type_is_refused(make_client):
    issued = make_client()
    response = APIClient().post(
        "/oauth/token/", {}, HTTP_AUTHORIZATION=basic(issued.client.client_id, issued.client_secret)
    )
    assert 400 <= response.status_code < 500
    assert "access_token" not in response.content.decode()


def test_no_authorize_endpoint(seeded):
    response = APIClient().get("/oauth/authorize/?response_type=token&client_id=x")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_expires_in_follows_setting_and_no_refresh_token(make_client):
    issued = make_client()
    response = token_request(issued)
    body = response.json()
    assert settings.ACCESS_TOKEN_SECONDS == 900 or settings.ACCESS_TOKEN_SECONDS > 0
    assert body["expires_in"] == settings.ACCESS_TOKEN_SECONDS
    assert "refresh_token" not in body
    assert RefreshToken.objects.count() == 0


def test_default_token_lifetime_is_fifteen_minutes(monkeypatch):
    """ACCESS_TOKEN_SECONDS defaults to 900 when the environment does not set it."""
    import os

    if "ACCESS_TOKEN_SECONDS" in os.environ:
        pytest.skip("ACCESS_TOKEN_SECONDS is set in this environment")
    assert settings.ACCESS_TOKEN_SECONDS == 900
    assert settings.OAUTH2_PROVIDER["ACCESS_TOKEN_EXPIRE_SECONDS"] == 900


def test_expired_token_is_refused(make_client):
    import datetime

    from django.utils import timezone

    issued = make_client()
    raw = obtain_token(issued)
    AccessToken.objects.filter(application=issued.client).update(expires=timezone.now() - datetime.timedelta(seconds=1))
    assert_invalid_token(bearer(raw).get("/api/v1/me/"))


def test_tokens_are_stored_hashed(make_client):
    issued = make_client()
    raw = obtain_token(issued)
    row = AccessToken.objects.get(application=issued.client)
    assert row.token == ""
    assert row.token_checksum == hashlib.sha256(raw.encode()).hexdigest()
    # The raw token is nowhere in the token table.
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {AccessToken._meta.db_table}")
        dump = repr(cursor.fetchall())
    assert raw not in dump


def test_client_secret_is_stored_hashed(make_client):
    issued = make_client()
    issued.client.refresh_from_db()
    assert issued.client.client_secret != issued.client_secret
    assert issued.client_secret not in issued.client.client_secret


def test_token_issue_records_last_token_at(make_client):
    issued = make_client()
    assert issued.client.last_token_at is None
    obtain_token(issued)
    issued.client.refresh_from_db()
    assert issued.client.last_token_at is not None


def test_token_in_query_string_is_refused(make_client):
    issued = make_client()
    raw = obtain_token(issued)
    response = APIClient().get(f"/api/v1/me/?access_token={raw}")
    assert_invalid_token(response)


def test_token_in_query_string_refused_even_with_header(make_client):
    issued = make_client()
    raw = obtain_token(issued)
    response = bearer(raw).get(f"/api/v1/me/?access_token={raw}")
    assert_invalid_token(response)


def test_token_in_form_body_is_not_accepted(make_client):
    """RFC 6750 §2.2 form-body tokens are not read: only the Authorization header counts."""
    issued = make_client()
    raw = obtain_token(issued)
    response = APIClient().post("/api/v1/referrals/", {"access_token": raw})
    assert response.status_code == 401
    assert response.json()["type"].endswith("/not-authenticated")


def test_token_of_one_client_per_request_identity(make_client):
    ice = make_client("ICE", "events:read", name="ICE system")
    cbp = make_client("CBP", "events:read", name="CBP system")
    assert bearer(obtain_token(ice)).get("/api/v1/me/").json()["agency"]["code"] == "ICE"
    assert bearer(obtain_token(cbp)).get("/api/v1/me/").json()["agency"]["code"] == "CBP"


# --- Revocation (RFC 7009) ------------------------------------------------------------------------------


def test_revoke_makes_the_token_fail(make_client):
    issued = make_client()
    raw = obtain_token(issued)
    assert bearer(raw).get("/api/v1/me/").status_code == 200
    response = APIClient().post(
        "/oauth/revoke_token/",
        {"token": raw, "token_type_hint": "access_token"},
        HTTP_AUTHORIZATION=basic(issued.client.client_id, issued.client_secret),
    )
    assert response.status_code == 200, response.content
    assert AccessToken.objects.filter(application=issued.client).count() == 0
    assert_invalid_token(bearer(raw).get("/api/v1/me/"))


def test_revoke_by_another_client_does_not_revoke(make_client):
    owner = make_client("CBP", name="owner")
    other = make_client("ICE", name="other")
    raw = obtain_token(owner)
    APIClient().post(
        "/oauth/revoke_token/", {"token": raw}, HTTP_AUTHORIZATION=basic(other.client.client_id, other.client_secret)
    )
    assert bearer(raw).get("/api/v1/me/").status_code == 200


# --- Introspection (RFC 7662): operators only -----------------------------------------------------------


@pytest.mark.parametrize("how", ["bearer", "basic"])
def test_introspection_is_refused_for_partner_clients(make_client, how):
    issued = make_client("CBP", ALL_SCOPES)
    raw = obtain_token(issued)
    client = APIClient()
    if how == "bearer":
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    else:
        client.credentials(HTTP_AUTHORIZATION=basic(issued.client.client_id, issued.client_secret))
    response = client.post("/oauth/introspect/", {"token": raw})
    assert response.status_code in (401, 403), response.content
    assert b'"active"' not in response.content


def test_introspection_works_for_an_operator_client(seeded):
    from agencies.services import client_create

    operator = client_create(agency_code="ICE", name="ops", scopes=["introspection"], operator=True)
    partner = client_create(agency_code="CBP", name="partner", scopes=["referrals:read"])
    partner_token = obtain_token(partner)
    operator_token = obtain_token(operator)
    response = bearer(operator_token).post("/oauth/introspect/", {"token": partner_token})
    assert response.status_code == 200, response.content
    assert response.json()["active"] is True
    assert response.json()["scope"] == "referrals:read"


def test_partner_client_cannot_be_given_introspection(seeded):
    from django.core.exceptions import ValidationError

    from agencies.services import client_create

    with pytest.raises(ValidationError):
        client_create(agency_code="CBP", name="sneaky", scopes=["referrals:read", "introspection"])


# --- Deactivation: at once, including live tokens -------------------------------------------------------


def test_deactivated_client_token_fails_at_once(make_client):
    issued = make_client()
    raw = obtain_token(issued)
    assert bearer(raw).get("/api/v1/me/").status_code == 200
    type(issued.client).objects.filter(pk=issued.client.pk).update(active=False)
    assert_invalid_token(bearer(raw).get("/api/v1/me/"))
    response = token_request(issued)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"
    assert "access_token" not in response.json()


def test_deactivated_agency_tokens_fail_at_once(make_client):
    from agencies.models import Agency

    issued = make_client("ICE")
    raw = obtain_token(issued)
    assert bearer(raw).get("/api/v1/me/").status_code == 200
    Agency.objects.filter(code="ICE").update(active=False)
    assert_invalid_token(bearer(raw).get("/api/v1/me/"))
    response = token_request(issued)
    assert response.status_code == 401
    assert "access_token" not in response.json()


def test_reactivated_agency_client_works_again(make_client):
    from agencies.models import Agency

    issued = make_client("ICE")
    Agency.objects.filter(code="ICE").update(active=False)
    assert token_request(issued).status_code == 401
    Agency.objects.filter(code="ICE").update(active=True)
    assert token_request(issued).status_code == 200


def test_operator_introspection_of_a_deactivated_clients_token_is_inactive(seeded):
    from agencies.models import Agency
    from agencies.services import client_create

    operator = client_create(agency_code="ICE", name="ops", scopes=["introspection"], operator=True)
    partner = client_create(agency_code="CBP", name="partner", scopes=["referrals:read"])
    partner_token = obtain_token(partner)
    operator_token = obtain_token(operator)
    Agency.objects.filter(code="CBP").update(active=False)
    response = bearer(operator_token).post("/oauth/introspect/", {"token": partner_token})
    assert response.status_code == 200
    assert response.json()["active"] is False


# --- Rate limit on the token endpoint -------------------------------------------------------------------


def first_refusal(send, attempts: int = 30):
    """Send until a 429 comes back. Other test processes may flush the shared cache meanwhile (resetting the
    count), so the limit is reached within a few extra attempts rather than at an exact one."""
    for _ in range(attempts):
        response = send()
        if response.status_code == 429:
            return response
    raise AssertionError(f"no 429 after {attempts} requests")


@pytest.mark.redis
def test_token_endpoint_is_rate_limited_per_address(make_client, settings):
    settings.TOKEN_RATE_LIMIT = "3/min"
    issued = make_client()
    statuses = [token_request(issued, secret="guess").status_code for _ in range(3)]
    assert statuses == [401, 401, 401]
    response = first_refusal(lambda: token_request(issued, secret="guess"))
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("/rate-limited")
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "access_token" not in response.json()
    assert AccessToken.objects.filter(application=issued.client).count() == 0
    other = make_client(name="another client")
    other_address = APIClient(REMOTE_ADDR="192.0.2.7").post(
        "/oauth/token/",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic(other.client.client_id, other.client_secret),
    )
    assert other_address.status_code == 200
