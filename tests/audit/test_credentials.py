"""Credential events: each leaves exactly one audit row, and no row ever holds a secret or a token."""

from __future__ import annotations

import base64

import pytest
from rest_framework.test import APIClient

from agencies.services import client_create, client_revoke, client_rotate_secret
from audit.models import AuditEntry
from tests.audit.conftest import all_audit_text
from tests.conftest import obtain_token

pytestmark = pytest.mark.django_db


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def token_request(client_id: str, secret: str, **data):
    data.setdefault("grant_type", "client_credentials")
    return APIClient().post(
        "/oauth/token/", data, HTTP_AUTHORIZATION=basic(client_id, secret), HTTP_X_REQUEST_ID="req-token-1"
    )


def new_rows(since_id: int):
    return list(AuditEntry.objects.filter(id__gt=since_id).order_by("id"))


def last_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_client_lifecycle_events_leave_one_row_each(seeded):
    mark = last_id()
    issued = client_create(agency_code="CBP", name="OFO case system", scopes=["referrals:read"])
    (created,) = new_rows(mark)
    assert (created.action, created.object_type, created.object_id, created.agency_code, created.outcome) == (
        "client.created",
        "client",
        issued.client.client_id,
        "CBP",
        "success",
    )
    mark = created.id
    client_rotate_secret(client_id=issued.client.client_id)
    assert [r.action for r in new_rows(mark)] == ["client.secret_rotated"]
    mark = last_id()
    client_revoke(client_id=issued.client.client_id)
    assert [r.action for r in new_rows(mark)] == ["client.revoked"]


def test_token_issued_leaves_one_row(make_client):
    issued = make_client("ICE", "referrals:read events:read")
    mark = last_id()
    response = token_request(issued.client.client_id, issued.client_secret)
    assert response.status_code == 200
    (row,) = new_rows(mark)
    assert (row.action, row.outcome, row.reason) == ("token.issued", "success", None)
    assert (row.client_id, row.client_name, row.agency_code) == (issued.client.client_id, issued.client.name, "ICE")
    assert row.request_id == "req-token-1"
    assert row.source_ip == "127.0.0.1"


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("bad_secret", "invalid_client"),
        ("bad_scope", "invalid_scope"),
        ("password_grant", "unsupported_grant_type"),
        ("device_grant", "unsupported_grant_type"),
        ("unknown_client", "invalid_client"),
    ],
)
def test_token_refused_leaves_one_row_with_the_reason(make_client, case, reason):
    issued = make_client("USCIS", "referrals:read")
    client_id, secret, data = issued.client.client_id, issued.client_secret, {}
    if case == "bad_secret":
        secret = "not-the-secret"
    elif case == "bad_scope":
        data["scope"] = "pii:read"
    elif case == "password_grant":
        data = {"grant_type": "password", "username": "u", "password": "p"}
    elif case == "device_grant":
        data = {"grant_type": "urn:ietf:params:oauth:grant-type:device_code", "device_code": "x"}
    elif case == "unknown_client":
        client_id = "Maria Lopez A123456789"
    mark = last_id()
    response = token_request(client_id, secret, **data)
    assert response.status_code in (400, 401)
    assert response.json()["error"] == reason
    (row,) = new_rows(mark)
    assert (row.action, row.outcome, row.reason, row.object_type) == ("token.refused", "denied", reason, "client")
    if case == "unknown_client":
        # Caller-typed text never lands in the audit log.
        assert row.client_id is None and row.object_id is None and row.agency_code is None
    else:
        assert (row.client_id, row.agency_code) == (client_id, "USCIS")


def test_token_refused_with_credentials_in_the_form_body(make_client):
    issued = make_client("CBP", "referrals:read")
    mark = last_id()
    response = APIClient().post(
        "/oauth/token/",
        {"grant_type": "client_credentials", "client_id": issued.client.client_id, "client_secret": "wrong"},
    )
    assert response.status_code == 401
    (row,) = new_rows(mark)
    assert (row.action, row.client_id, row.reason) == ("token.refused", issued.client.client_id, "invalid_client")


def test_no_secret_or_token_in_any_audit_row(make_client):
    issued = make_client("CBP", "referrals:read referrals:write")
    secrets = [issued.client_secret]
    tokens = [obtain_token(issued)]
    rotated = client_rotate_secret(client_id=issued.client.client_id)
    secrets.append(rotated.client_secret)
    tokens.append(obtain_token(rotated, scope="referrals:read"))
    token_request(issued.client.client_id, issued.client_secret)  # the old secret: refused
    client_revoke(client_id=issued.client.client_id)
    token_request(issued.client.client_id, rotated.client_secret)  # revoked: refused
    text = all_audit_text()
    assert issued.client.client_id in text  # the search does look at the rows
    for canary in secrets + tokens:
        assert canary not in text
        assert canary[:16] not in text


def test_token_is_not_issued_when_its_audit_row_cannot_be_written(make_client, owner_cursor):
    from oauth2_provider.models import get_access_token_model

    from tests.audit.test_services import failing_audit_inserts

    issued = make_client("ICE", "referrals:read")
    tokens = get_access_token_model().objects.filter(application=issued.client)
    tokens_before = tokens.count()
    with failing_audit_inserts(owner_cursor):
        client = APIClient()
        client.raise_request_exception = False
        response = client.post(
            "/oauth/token/",
            {"grant_type": "client_credentials"},
            HTTP_AUTHORIZATION=basic(issued.client.client_id, issued.client_secret),
        )
    assert response.status_code == 500
    assert "access_token" not in response.content.decode()
    assert tokens.count() == tokens_before


def test_token_endpoint_is_the_audited_view():
    from django.urls import resolve

    from agencies.oauth import AuditedTokenView

    assert resolve("/oauth/token/").func.view_class is AuditedTokenView
