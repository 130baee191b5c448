"""API5:2023 Broken function level authorization.

A token without ``referrals:write`` / ``webhooks:manage`` is refused (403 ``insufficient-scope``) on every write
route, found from the URL resolver; partner clients get nothing from the admin or from token introspection,
and cannot widen their scopes at the token endpoint. Other agencies' webhooks: see test_api1_bola.
"""

from __future__ import annotations

import base64

import pytest
from rest_framework.test import APIClient

from tests.conftest import obtain_token
from tests.security.conftest import OPERATIONS, READ_ONLY, bearer, concrete_path, send

WRITES = [op for op in OPERATIONS if op.method not in ("GET", "HEAD", "OPTIONS")]


def test_write_routes_are_found():
    assert {"POST referrals/", "PATCH referrals/<uuid:pk>/", "DELETE webhooks/<uuid:subscription_id>/"} <= {
        op.id for op in WRITES
    }


@pytest.mark.parametrize("operation", WRITES, ids=lambda op: op.id)
def test_a_read_only_token_is_refused_on_every_write_route(world, token_client, operation):
    from referrals.models import Referral

    reader = token_client("CBP", READ_ONLY)  # the owner's own agency: only the scope is missing
    before = list(Referral.objects.values_list("id", "version"))
    response = send(reader, operation, concrete_path(operation, world.ids))
    assert response.status_code == 403, (operation.id, response.content[:300])
    body = response.json()
    assert body["type"].endswith("/insufficient-scope")
    assert 'error="insufficient_scope"' in response["WWW-Authenticate"]
    assert list(Referral.objects.values_list("id", "version")) == before


@pytest.mark.parametrize(
    "operation", [op for op in OPERATIONS if op.route.startswith("webhooks")], ids=lambda op: op.id
)
def test_webhook_routes_need_webhooks_manage(world, token_client, operation):
    everything_else = ["referrals:read", "referrals:write", "pii:read", "events:read"]
    response = send(token_client("CBP", everything_else), operation, concrete_path(operation, world.ids))
    assert response.status_code == 403
    assert response.json()["type"].endswith("/insufficient-scope")


def test_the_admin_ignores_api_tokens(token_client):
    cbp = token_client("CBP")
    response = cbp.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    response = cbp.get("/admin/agencies/client/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_client_credentials_do_not_log_into_the_admin(make_client):
    from django.test import Client as BrowserClient

    issued = make_client("CBP")
    browser = BrowserClient()
    response = browser.post(
        "/admin/login/", {"username": issued.client.client_id, "password": issued.client_secret, "next": "/admin/"}
    )
    assert response.status_code == 200  # the form again, with an error
    assert browser.get("/admin/").status_code == 302


@pytest.mark.parametrize("how", ["bearer", "basic", "form"])
def test_partner_clients_cannot_introspect(make_client, how):
    issued = make_client("CBP")
    other = make_client("ICE", name="victim")
    target = obtain_token(other)
    client = APIClient()
    data = {"token": target}
    if how == "bearer":
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {obtain_token(issued)}")
    elif how == "basic":
        basic = base64.b64encode(f"{issued.client.client_id}:{issued.client_secret}".encode()).decode()
        client.credentials(HTTP_AUTHORIZATION=f"Basic {basic}")
    else:
        data |= {"client_id": issued.client.client_id, "client_secret": issued.client_secret}
    response = client.post("/oauth/introspect/", data)
    assert response.status_code in (401, 403), response.content
    assert b'"active": true' not in response.content and b'"active":true' not in response.content
    assert b"scope" not in response.content


def test_a_client_cannot_widen_its_scopes(make_client):
    issued = make_client("CBP", "referrals:read")
    basic = base64.b64encode(f"{issued.client.client_id}:{issued.client_secret}".encode()).decode()
    for scope in ("referrals:write", "referrals:read pii:read", "introspection", "read write"):
        response = APIClient().post(
            "/oauth/token/", {"grant_type": "client_credentials", "scope": scope}, HTTP_AUTHORIZATION=f"Basic {basic}"
        )
        assert response.status_code == 400, scope
        assert response.json()["error"] == "invalid_scope"
    token = obtain_token(issued)
    assert bearer(token).post("/api/v1/referrals/", {}, format="json").status_code == 403


def test_method_override_headers_are_ignored(world, token_client):
    reader = token_client("CBP", READ_ONLY)
    pk = world.ids["pk"]
    for header in ("HTTP_X_HTTP_METHOD_OVERRIDE", "HTTP_X_HTTP_METHOD", "HTTP_X_METHOD_OVERRIDE"):
        response = reader.get(f"/api/v1/referrals/{pk}/", **{header: "DELETE"})
        assert response.status_code == 200  # a read, nothing else
    response = reader.post(f"/api/v1/referrals/{pk}/?_method=GET", {}, format="json")
    assert response.status_code in (403, 405)
