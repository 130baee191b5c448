"""The credential commands: create, rotate, revoke, list (api-contract.md "Administration")."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from oauth2_provider.models import get_access_token_model
from rest_framework.test import APIClient

from agencies.models import Agency, Client
from audit.models import AuditEntry
from tests.agencies.test_tokens import assert_invalid_token, basic, bearer
from tests.conftest import obtain_token

AccessToken = get_access_token_model()


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def token_status(client_id: str, secret: str) -> int:
    return (
        APIClient()
        .post("/oauth/token/", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=basic(client_id, secret))
        .status_code
    )


def counts() -> tuple[int, int, int]:
    return Client.objects.count(), AccessToken.objects.count(), AuditEntry.objects.count()


# --- agency_client_create --------------------------------------------------------------------------------


def test_create_json_output_shape(seeded):
    out = run(
        "agency_client_create",
        "--agency",
        "ICE",
        "--name",
        "HSI case system",
        "--scopes",
        "referrals:write referrals:read",
        "--json",
    )
    data = json.loads(out)
    assert set(data) == {"client_id", "client_secret", "agency", "scopes"}
    assert data["agency"] == "ICE"
    assert data["scopes"] == "referrals:read referrals:write"
    client = Client.objects.get(client_id=data["client_id"])
    assert client.name == "HSI case system"
    assert client.agency.code == "ICE"
    assert not client.is_operator
    assert client.client_secret != data["client_secret"]  # stored hashed
    assert token_status(data["client_id"], data["client_secret"]) == 200
    assert AuditEntry.objects.filter(action="client.created", object_id=data["client_id"]).count() == 1


def test_create_text_output_shows_secret_once(seeded):
    out = run("agency_client_create", "--agency", "CBP", "--name", "OFO", "--scopes", "events:read")
    client = Client.objects.get(name="OFO")
    assert client.client_id in out
    secret = out.split("client_secret:")[1].split()[0]
    assert token_status(client.client_id, secret) == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--agency", "FBI", "--name", "x", "--scopes", "referrals:read"], "FBI"),
        (["--agency", "ice", "--name", "x", "--scopes", "referrals:read"], "ice"),
        (["--agency", "ICE", "--name", "x", "--scopes", "referrals:read referrals:delete"], "referrals:delete"),
        (["--agency", "ICE", "--name", "x", "--scopes", ""], "scope"),
        (["--agency", "ICE", "--name", "", "--scopes", "referrals:read"], "name"),
        (["--agency", "ICE", "--name", "   ", "--scopes", "referrals:read"], "name"),
        (["--agency", "ICE", "--name", "x" * 256, "--scopes", "referrals:read"], "name"),
        (["--agency", "ICE", "--name", "x", "--scopes", "introspection"], "introspection"),
        (["--agency", "ICE", "--name", "x", "--scopes", "referrals:read introspection"], "introspection"),
        (["--agency", "ICE", "--name", "x", "--scopes", "referrals:read", "--operator"], "referrals:read"),
    ],
)
def test_create_bad_input_is_a_command_error_and_creates_nothing(seeded, args, message):
    before = counts()
    with pytest.raises(CommandError) as excinfo:
        run("agency_client_create", *args)
    assert message in str(excinfo.value)
    assert counts() == before


def test_create_operator_client(seeded):
    data = json.loads(
        run(
            "agency_client_create",
            "--agency",
            "ICE",
            "--name",
            "ops",
            "--scopes",
            "introspection",
            "--operator",
            "--json",
        )
    )
    client = Client.objects.get(client_id=data["client_id"])
    assert client.is_operator
    assert client.allowed_scopes == "introspection"


# --- agency_client_rotate_secret -------------------------------------------------------------------------


def test_rotate_secret(make_client):
    issued = make_client("USCIS")
    old_token = obtain_token(issued)
    assert bearer(old_token).get("/api/v1/me/").status_code == 200
    data = json.loads(run("agency_client_rotate_secret", issued.client.client_id, "--json"))
    assert set(data) == {"client_id", "client_secret", "agency", "scopes"}
    assert data["client_id"] == issued.client.client_id
    assert data["client_secret"] != issued.client_secret
    assert token_status(issued.client.client_id, issued.client_secret) == 401
    assert_invalid_token(bearer(old_token).get("/api/v1/me/"))
    assert AccessToken.objects.filter(application=issued.client).count() == 0
    assert token_status(issued.client.client_id, data["client_secret"]) == 200
    assert AuditEntry.objects.filter(action="client.secret_rotated", object_id=data["client_id"]).count() == 1


def test_rotate_text_output(make_client):
    issued = make_client("USCIS")
    out = run("agency_client_rotate_secret", issued.client.client_id)
    secret = out.split("client_secret:")[1].split()[0]
    assert token_status(issued.client.client_id, secret) == 200


def test_rotate_keeps_other_clients_tokens(make_client):
    rotated = make_client("CBP", name="rotated")
    bystander = make_client("CBP", name="bystander")
    bystander_token = obtain_token(bystander)
    run("agency_client_rotate_secret", rotated.client.client_id)
    assert bearer(bystander_token).get("/api/v1/me/").status_code == 200


# --- agency_client_revoke --------------------------------------------------------------------------------


def test_revoke(make_client):
    issued = make_client("ICE")
    raw = obtain_token(issued)
    out = run("agency_client_revoke", issued.client.client_id)
    assert issued.client.client_id in out
    issued.client.refresh_from_db()
    assert issued.client.active is False
    assert AccessToken.objects.filter(application=issued.client).count() == 0
    assert_invalid_token(bearer(raw).get("/api/v1/me/"))
    assert token_status(issued.client.client_id, issued.client_secret) == 401
    assert AuditEntry.objects.filter(action="client.revoked", object_id=issued.client.client_id).count() == 1


@pytest.mark.parametrize("command", ["agency_client_revoke", "agency_client_rotate_secret"])
@pytest.mark.parametrize("client_id", ["no-such-client", ""])
def test_unknown_client_id_is_a_command_error(make_client, command, client_id):
    issued = make_client()
    obtain_token(issued)
    before = counts()
    with pytest.raises(CommandError):
        run(command, client_id)
    assert counts() == before
    issued.client.refresh_from_db()
    assert issued.client.active


def test_missing_required_arguments_are_command_errors(seeded):
    before = counts()
    with pytest.raises(CommandError):
        run("agency_client_create", "--agency", "ICE", "--name", "x")
    with pytest.raises(CommandError):
        run("agency_client_revoke")
    with pytest.raises(CommandError):
        run("agency_client_rotate_secret")
    assert counts() == before


# --- agency_client_list ----------------------------------------------------------------------------------


def test_list_never_prints_secrets(make_client):
    issued = make_client("CBP", "referrals:read")
    raw_token = obtain_token(issued)
    run("agency_client_revoke", make_client("ICE", "events:read", name="gone").client.client_id)
    issued.client.refresh_from_db()
    hashed = issued.client.client_secret
    for args in ([], ["--json"]):
        out = run("agency_client_list", *args)
        assert issued.client.client_id in out
        assert issued.client_secret not in out
        assert hashed not in out
        assert raw_token not in out
        assert "secret" not in out.lower()
    rows = json.loads(run("agency_client_list", "--json"))
    assert {r["name"]: r["active"] for r in rows} == {"CBP test client": True, "gone": False}
    assert all("client_secret" not in r for r in rows)
    text = run("agency_client_list")
    assert "INACTIVE" in text


def test_list_marks_clients_of_inactive_agency(make_client):
    make_client("USCIS")
    Agency.objects.filter(code="USCIS").update(active=False)
    rows = json.loads(run("agency_client_list", "--json"))
    assert rows[0]["active"] is False


def test_list_without_clients(seeded):
    assert "No clients" in run("agency_client_list")


# --- seed_agencies ---------------------------------------------------------------------------------------


def test_seed_agencies_is_idempotent_and_keeps_edits(db):
    run("seed_agencies")
    Agency.objects.filter(code="CBP").update(name="Edited name")
    before = (Agency.objects.count(), Client.objects.count())
    out = run("seed_agencies")
    assert "0 new agencies" in out
    assert (Agency.objects.count(), Client.objects.count()) == before
    assert Agency.objects.get(code="CBP").name == "Edited name"
    assert set(Agency.objects.values_list("code", flat=True)) >= {"ICE", "CBP", "USCIS"}
