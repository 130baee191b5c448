"""The 401/403 matrix on every route under /api/v1/ (RFC 6750 §3), built from the URL resolver."""

from __future__ import annotations

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tests.foundation.routes import api_operations, make_token
from tests.problems import assert_problem

OPERATIONS = api_operations()
PARTNER_SCOPES = set(settings.PARTNER_SCOPES)


def call(client: APIClient, operation, path: str | None = None):
    path = path or operation.path
    method = operation.method.lower()
    if method in ("post", "put", "patch"):
        return getattr(client, method)(path, {}, format="json")
    return getattr(client, method)(path)


def test_the_matrix_sees_the_known_routes():
    ids = {operation.id for operation in OPERATIONS}
    assert "GET me/" in ids
    assert "GET agencies/" in ids


def test_every_operation_declares_known_scopes():
    """A view must name its scopes per method (deny by default) and only partner scopes exist for partners."""
    undeclared = [op.id for op in OPERATIONS if op.scopes() is None]
    assert undeclared == [], f"these operations declare no required_scopes and are closed: {undeclared}"
    unknown = {op.id: op.scopes() for op in OPERATIONS if set(op.scopes() or []) - PARTNER_SCOPES}
    assert unknown == {}


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.id)
def test_no_token_is_401_not_authenticated(db, operation):
    response = call(APIClient(), operation)
    assert_problem(response, 401, "not-authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "error=" not in response["WWW-Authenticate"]  # RFC 6750 §3.1: no error code without credentials


BAD_AUTHORIZATIONS = ["Bearer not-a-real-token", "Bearer ", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 600, "Token abc"]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.id)
def test_bad_token_is_401_invalid_token(db, operation):
    for authorization in BAD_AUTHORIZATIONS:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=authorization)
        response = call(client, operation)
        assert_problem(response, 401, "invalid-token")
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert 'error="invalid_token"' in response["WWW-Authenticate"]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.id)
def test_token_in_query_string_is_401(seeded, operation):
    raw = make_token(scopes=sorted(PARTNER_SCOPES))
    response = call(APIClient(), operation, path=f"{operation.path}?access_token={raw}")
    assert_problem(response, 401, "invalid-token")


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.id)
def test_token_without_the_needed_scope(seeded, operation):
    needed = operation.scopes()
    if needed is None:
        pytest.fail(f"{operation.id} declares no scopes")
    # Every partner scope except the ones this operation needs: the strongest token that must still be refused.
    others = sorted(PARTNER_SCOPES - set(needed)) or ["events:read"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(scopes=others)}")
    response = call(client, operation)
    if needed:
        assert_problem(response, 403, "insufficient-scope")
        challenge = response["WWW-Authenticate"]
        assert challenge.startswith("Bearer")
        assert 'error="insufficient_scope"' in challenge
        assert f'scope="{" ".join(needed)}"' in challenge
        assert response.json()["required_scopes"] == needed
    else:
        # "Any scope": every valid token gets through.
        assert response.status_code not in (401, 403), response.content[:500]
        if operation.method == "GET" and not operation.has_path_params:
            assert response.status_code == 200


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.id)
def test_token_with_every_partner_scope_passes_the_scope_check(seeded, operation):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {make_token(scopes=sorted(PARTNER_SCOPES))}")
    response = call(client, operation)
    assert response.status_code != 401, response.content[:500]
    if response.status_code == 403:
        assert not response.json()["type"].endswith("/insufficient-scope"), response.content[:500]
    assert response.status_code < 500, response.content[:500]


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.id)
def test_token_of_an_inactive_client_is_401(seeded, operation):
    from agencies.models import Client

    raw = make_token(scopes=sorted(PARTNER_SCOPES))
    Client.objects.update(active=False)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert_problem(call(client, operation), 401, "invalid-token")
