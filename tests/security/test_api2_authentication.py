"""API2:2023 Broken authentication.

A token stops working the moment it expires, is revoked, or its client or agency is deactivated, even right
after it was used (a cache of recent tokens must not extend its life); tokens are taken from the
``Authorization: Bearer`` header only; no other scheme is accepted on the API; the token endpoint refuses every
grant but client credentials and limits guessing (see test_api4 for its rate limits). The full 401 matrix over
every route is in tests/foundation/test_auth_matrix.py; token endpoint details in tests/agencies/test_tokens.py.
"""

from __future__ import annotations

import base64
import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from tests.conftest import ALL_SCOPES, obtain_token
from tests.security.conftest import bearer, referral_body

# A read, a write and a webhook route: each must refuse a dead token the same way.
PROBES = [
    ("get", "/api/v1/me/", None),
    ("get", "/api/v1/referrals/", None),
    ("post", "/api/v1/referrals/", "referral"),
    ("get", "/api/v1/webhooks/", None),
    ("get", "/api/v1/events/", None),
]


def probe(client: APIClient) -> list[int]:
    statuses = []
    for method, path, body in PROBES:
        if body == "referral":
            response = client.post(path, referral_body(), format="json")
        else:
            response = getattr(client, method)(path)
        statuses.append(response.status_code)
        if response.status_code == 401:
            assert response.json()["type"].endswith("/invalid-token")
            assert 'error="invalid_token"' in response["WWW-Authenticate"]
    return statuses


@pytest.fixture
def live(make_client):
    """A client and a token that has just been used successfully on every probe (so any cache is warm)."""
    issued = make_client("CBP", ALL_SCOPES)
    raw = obtain_token(issued)
    client = bearer(raw)
    assert all(status < 400 for status in probe(client))
    return issued, raw, client


def test_expired_token(live):
    from oauth2_provider.models import AccessToken

    issued, _raw, client = live
    AccessToken.objects.filter(application=issued.client).update(expires=timezone.now() - datetime.timedelta(seconds=1))
    assert probe(client) == [401] * len(PROBES)


def test_revoked_token(live):
    issued, raw, client = live
    basic = base64.b64encode(f"{issued.client.client_id}:{issued.client_secret}".encode()).decode()
    response = APIClient().post("/oauth/revoke_token/", {"token": raw}, HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 200
    assert probe(client) == [401] * len(PROBES)


def test_token_of_a_revoked_client(live):
    issued, _raw, client = live
    call_command("agency_client_revoke", issued.client.client_id, stdout=open("/dev/null", "w"))
    assert probe(client) == [401] * len(PROBES)
    # ... and it cannot get a new one.
    basic = base64.b64encode(f"{issued.client.client_id}:{issued.client_secret}".encode()).decode()
    refused = APIClient().post(
        "/oauth/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}"
    )
    assert refused.status_code == 401
    assert "access_token" not in refused.json()


def test_token_after_the_secret_is_rotated(live):
    issued, _raw, client = live
    call_command("agency_client_rotate_secret", issued.client.client_id, stdout=open("/dev/null", "w"))
    assert probe(client) == [401] * len(PROBES)


def test_token_of_an_inactive_agency(live):
    from agencies.models import Agency

    _issued, _raw, client = live
    Agency.objects.filter(code="CBP").update(active=False)
    assert probe(client) == [401] * len(PROBES)


def test_token_of_an_inactive_client_flag(live):
    from agencies.models import Client

    issued, _raw, client = live
    Client.objects.filter(pk=issued.client.pk).update(active=False)
    assert probe(client) == [401] * len(PROBES)


def test_token_in_the_query_string_is_refused(live):
    _issued, raw, _client = live
    response = APIClient().get(f"/api/v1/me/?access_token={raw}")
    assert response.status_code == 401
    assert response.json()["type"].endswith("/invalid-token")
    # Even next to a valid header: a token in a URL has leaked into logs already.
    response = bearer(raw).get(f"/api/v1/me/?access_token={raw}")
    assert response.status_code == 401


def test_token_in_a_form_body_is_not_accepted(live):
    _issued, raw, _client = live
    response = APIClient().post("/api/v1/referrals/", {"access_token": raw}, format="multipart")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "authorization",
    [
        "Basic {basic}",  # the client's own credentials are for the token endpoint only
        "bearer-ish {raw}",
        "Bearer {raw} extra",
        "Bearer {raw}\x00",
        "Digest username=x",
        "{raw}",
    ],
)
def test_no_other_scheme_on_the_api(live, authorization):
    issued, raw, _client = live
    basic = base64.b64encode(f"{issued.client.client_id}:{issued.client_secret}".encode()).decode()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=authorization.format(basic=basic, raw=raw))
    response = client.get("/api/v1/me/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"


def test_the_bearer_scheme_is_case_insensitive(live):
    _issued, raw, _client = live
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"bearer {raw}")
    assert client.get("/api/v1/me/").status_code == 200  # RFC 6750 §2.1 / RFC 9110 §11.1


def test_a_session_cookie_does_not_authenticate_the_api(seeded, admin_client):
    """The admin's session is not an API credential (and the API has no CSRF-exposed cookie auth)."""
    response = admin_client.get("/api/v1/me/")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "grant",
    ["password", "authorization_code", "refresh_token", "implicit", "urn:ietf:params:oauth:grant-type:jwt-bearer"],
)
def test_only_client_credentials_is_granted(make_client, grant):
    issued = make_client("CBP", ALL_SCOPES)
    basic = base64.b64encode(f"{issued.client.client_id}:{issued.client_secret}".encode()).decode()
    response = APIClient().post(
        "/oauth/token/",
        {"grant_type": grant, "username": "x", "password": "y", "code": "z", "refresh_token": "r"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    assert response.status_code in (400, 401)
    assert "access_token" not in response.json()


def test_wrong_secret_gets_nothing_and_says_nothing(make_client):
    issued = make_client("CBP", ALL_SCOPES)
    unknown = APIClient().post(
        "/oauth/token/", {"grant_type": "client_credentials", "client_id": "nobody", "client_secret": "x"}
    )
    wrong = APIClient().post(
        "/oauth/token/",
        {"grant_type": "client_credentials", "client_id": issued.client.client_id, "client_secret": "x"},
    )
    # An unknown client and a known client with a wrong secret are indistinguishable.
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.json() == wrong.json()
