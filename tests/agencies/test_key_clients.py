"""Key clients from the command line and the admin; switching methods; secrets at rest (HMAC-SHA-256); metadata."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management import CommandError
from django.db import connection
from django.test import Client as BrowserClient
from django.test.utils import CaptureQueriesContext
from oauth2_provider.models import get_access_token_model
from rest_framework.test import APIClient

from agencies.client_secrets import key_id
from agencies.models import Client
from audit.models import AuditEntry
from tests.agencies.keys import assertion, assertion_form, jwks_text, private_key, public_jwk
from tests.agencies.test_commands import run, token_status
from tests.agencies.test_private_key_jwt import assert_refused, post_token, refusal_reason
from tests.agencies.test_tokens import bearer
from tests.conftest import obtain_token

pytestmark = pytest.mark.redis
AccessToken = get_access_token_model()
ME = "/api/v1/me/"


@pytest.fixture
def jwks_file(tmp_path):
    def _write(*names: str, data: str | None = None):
        path = tmp_path / f"jwks-{len(list(tmp_path.iterdir()))}.json"
        path.write_text(data if data is not None else jwks_text(*names))
        return str(path)

    return _write


def create_key_client(jwks_path: str, *extra: str) -> dict:
    out = run(
        "agency_client_create",
        "--agency",
        "ICE",
        "--name",
        "HSI key system",
        "--scopes",
        "referrals:read events:read",
        "--auth",
        "private_key_jwt",
        "--jwks-file",
        jwks_path,
        "--json",
        *extra,
    )
    return json.loads(out)


def assertion_status(client_id: str, **kwargs) -> int:
    return post_token(assertion_form(assertion(client_id, **kwargs))).status_code


# --- agency_client_create --auth private_key_jwt -------------------------------------------------------------


def test_create_key_client_prints_a_null_secret(seeded, jwks_file):
    data = create_key_client(jwks_file("rsa", "ec"))
    assert data["client_secret"] is None
    assert set(data) == {"client_id", "client_secret", "agency", "scopes"}
    client = Client.objects.get(client_id=data["client_id"])
    assert client.token_endpoint_auth_method == "private_key_jwt"
    assert client.client_secret == ""
    assert [k["kid"] for k in client.jwks["keys"]] == ["rsa-kid", "ec-kid"]
    assert all("d" not in k for k in client.jwks["keys"])
    entry = AuditEntry.objects.get(action="client.created", object_id=client.client_id)
    assert entry.reason == "private_key_jwt"
    assert assertion_status(client.client_id) == 200
    assert assertion_status(client.client_id, key="ec") == 200


def test_create_key_client_text_output_names_keys_not_material(seeded, jwks_file):
    out = run(
        "agency_client_create",
        *("--agency", "CBP", "--name", "OFO", "--scopes", "referrals:read"),
        *("--auth", "private_key_jwt", "--jwks-file", jwks_file("ec")),
    )
    assert "private_key_jwt (no secret)" in out
    assert "kid=ec-kid EC ES256" in out
    assert public_jwk("ec")["x"] not in out
    assert "client_secret" not in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--auth", "private_key_jwt"), "needs the client's public keys"),
        (("--jwks-file", "PLACEHOLDER"), "go with --auth private_key_jwt"),
        (("--auth", "private_key_jwt", "--jwks-file", "/no/such/file.json"), "No such file"),
        (("--auth", "private_key_jwt", "--jwks-file", "PRIVATE"), "private key material"),
        (("--auth", "private_key_jwt", "--jwks-url", "http://keys.example/jwks"), "must use https"),
        (("--auth", "private_key_jwt", "--jwks-url", "https://127.0.0.1/jwks"), "non-public address"),
    ],
)
def test_create_key_client_refusals_write_nothing(seeded, jwks_file, args, message):
    private = json.dumps({"keys": [json.loads(private_key("rsa").export_private())]})
    args = tuple({"PLACEHOLDER": jwks_file("rsa"), "PRIVATE": jwks_file(data=private)}.get(a, a) for a in args)
    before = Client.objects.count(), AuditEntry.objects.count()
    with pytest.raises(CommandError, match=message):
        run("agency_client_create", "--agency", "ICE", "--name", "x", "--scopes", "referrals:read", *args)
    assert (Client.objects.count(), AuditEntry.objects.count()) == before


def test_both_jwks_sources_at_once_is_a_usage_error(seeded, jwks_file):
    with pytest.raises(CommandError):
        run(
            "agency_client_create",
            *("--agency", "ICE", "--name", "x", "--scopes", "referrals:read", "--auth", "private_key_jwt"),
            *("--jwks-file", jwks_file("rsa"), "--jwks-url", "https://keys.example/jwks"),
        )


# --- agency_client_set_jwks: key rollover -------------------------------------------------------------------


def test_set_jwks_rolls_keys_over(seeded, jwks_file):
    client_id = create_key_client(jwks_file("rsa"))["client_id"]
    token = post_token(assertion_form(assertion(client_id))).json()["access_token"]
    out = json.loads(run("agency_client_set_jwks", client_id, "--jwks-file", jwks_file("rsa", "rsa-2"), "--json"))
    assert [k["kid"] for k in out["keys"]] == ["rsa-kid", "rsa-2-kid"]
    assert assertion_status(client_id) == 200
    assert assertion_status(client_id, key="rsa-2") == 200
    run("agency_client_set_jwks", client_id, "--jwks-file", jwks_file("rsa-2"))
    assert_refused(post_token(assertion_form(assertion(client_id))), "unknown_kid", tokens_before=3)
    assert assertion_status(client_id, key="rsa-2") == 200
    assert bearer(token).get(ME).status_code == 200  # a key rollover does not end live tokens
    assert AuditEntry.objects.filter(action="client.jwks_changed", object_id=client_id).count() == 2


def test_set_jwks_refusals(seeded, make_client, jwks_file):
    issued = make_client()
    with pytest.raises(CommandError, match="authenticates with a client secret"):
        run("agency_client_set_jwks", issued.client.client_id, "--jwks-file", jwks_file("rsa"))
    with pytest.raises(CommandError, match="No client"):
        run("agency_client_set_jwks", "nope", "--jwks-file", jwks_file("rsa"))
    with pytest.raises(CommandError):
        run("agency_client_set_jwks", issued.client.client_id)


# --- agency_client_set_auth: switching stops the other method at once ------------------------------------------


def test_switch_from_secret_to_keys(make_client, jwks_file):
    issued = make_client("CBP", "referrals:read")
    raw = obtain_token(issued)
    client_id = issued.client.client_id
    out = json.loads(
        run("agency_client_set_auth", client_id, "--auth", "private_key_jwt", "--jwks-file", jwks_file("ec"), "--json")
    )
    assert out["client_secret"] is None
    assert bearer(raw).get(ME).status_code == 401  # tokens obtained with the secret end at once
    assert token_status(client_id, issued.client_secret) == 401
    assert refusal_reason(client_id) == "invalid_client:wrong_auth_method"
    assert assertion_status(client_id, key="ec") == 200
    client = Client.objects.get(client_id=client_id)
    assert client.client_secret == "" and client.token_endpoint_auth_method == "private_key_jwt"
    entry = AuditEntry.objects.get(action="client.auth_method_changed", object_id=client_id)
    assert entry.reason == "private_key_jwt"


def test_a_key_client_saved_again_still_has_no_secret(make_client, jwks_file):
    """After a switch to keys, saving the client (admin edit) must not hash an empty secret into a usable one."""
    issued = make_client()
    client_id = issued.client.client_id
    run("agency_client_set_auth", client_id, "--auth", "private_key_jwt", "--jwks-file", jwks_file("rsa"))
    client = Client.objects.get(client_id=client_id)
    client.name = "renamed"
    client.save()
    assert Client.objects.get(client_id=client_id).client_secret == ""
    for secret in ("", issued.client_secret):
        assert token_status(client_id, secret) == 401


def test_switch_from_keys_to_secret(seeded, jwks_file):
    client_id = create_key_client(jwks_file("rsa"))["client_id"]
    raw = post_token(assertion_form(assertion(client_id))).json()["access_token"]
    out = json.loads(run("agency_client_set_auth", client_id, "--auth", "client_secret_basic", "--json"))
    secret = out["client_secret"]
    assert secret and len(secret) >= 64
    assert bearer(raw).get(ME).status_code == 401
    assert token_status(client_id, secret) == 200
    assert_refused(post_token(assertion_form(assertion(client_id))), "wrong_auth_method", tokens_before=1)
    client = Client.objects.get(client_id=client_id)
    assert client.jwks is None and client.jwks_uri == ""
    assert client.client_secret.startswith("hmac_sha256$")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--auth", "client_secret_basic"), "already uses client_secret_basic"),
        (("--auth", "private_key_jwt"), "needs the client's keys"),
        (("--auth", "client_secret_basic", "--jwks-file", "FILE"), "already uses"),
    ],
)
def test_switch_refusals_change_nothing(make_client, jwks_file, args, message):
    issued = make_client()
    args = tuple(jwks_file("rsa") if a == "FILE" else a for a in args)
    before = Client.objects.get(pk=issued.client.pk).client_secret
    with pytest.raises(CommandError, match=message):
        run("agency_client_set_auth", issued.client.client_id, *args)
    assert Client.objects.get(pk=issued.client.pk).client_secret == before
    assert token_status(issued.client.client_id, issued.client_secret) == 200


def test_rotate_secret_of_a_key_client_is_refused(seeded, jwks_file):
    client_id = create_key_client(jwks_file("rsa"))["client_id"]
    with pytest.raises(CommandError, match="has no secret"):
        run("agency_client_rotate_secret", client_id)


# --- Admin: key ids and algorithms only ------------------------------------------------------------------------


def test_admin_shows_key_ids_and_algorithms_never_key_material(seeded, jwks_file, db):
    client_id = create_key_client(jwks_file("rsa", "ec384"))["client_id"]
    client = Client.objects.get(client_id=client_id)
    user = get_user_model().objects.create_superuser("operator", "ops@example.org", "a long enough password 1")
    browser = BrowserClient()
    browser.force_login(user)
    html = browser.get(f"/admin/agencies/client/{client.pk}/change/").content.decode()
    assert "rsa-kid (RSA, RS256/RS384)" in html
    assert "ec384-kid (EC, ES384)" in html
    assert "Private key JWT" in html
    for value in (public_jwk("rsa")["n"][:40], public_jwk("ec384")["x"], public_jwk("ec384")["y"]):
        assert value not in html
    listing = browser.get("/admin/agencies/client/").content.decode()
    assert public_jwk("rsa")["n"][:40] not in listing


# --- Client secrets at rest: HMAC-SHA-256 under a server key, PBKDF2 upgraded on use -------------------------


def stored(client_id: str) -> str:
    return Client.objects.values_list("client_secret", flat=True).get(client_id=client_id)


def test_new_secrets_are_stored_as_keyed_hashes(make_client, settings):
    issued = make_client()
    value = stored(issued.client.client_id)
    algorithm, kid, digest = value.split("$")
    assert algorithm == "hmac_sha256" and kid == key_id(settings.CLIENT_SECRET_HASH_KEYS[0].encode())
    assert len(digest) == 64 and issued.client_secret not in value
    assert token_status(issued.client.client_id, issued.client_secret) == 200
    assert token_status(issued.client.client_id, issued.client_secret + "x") == 401


def test_pbkdf2_hash_is_upgraded_on_the_next_successful_use(make_client):
    issued = make_client()
    client_id = issued.client.client_id
    legacy = make_password(issued.client_secret, hasher="pbkdf2_sha256")
    Client.objects.filter(client_id=client_id).update(client_secret=legacy)
    assert token_status(client_id, "wrong secret") == 401
    assert stored(client_id) == legacy  # a failed attempt changes nothing
    assert token_status(client_id, issued.client_secret) == 200
    assert stored(client_id).startswith("hmac_sha256$")
    assert token_status(client_id, issued.client_secret) == 200
    assert token_status(client_id, "wrong secret") == 401


def test_hash_key_rollover(make_client, settings):
    issued = make_client()
    client_id = issued.client.client_id
    old_value = stored(client_id)
    settings.CLIENT_SECRET_HASH_KEYS = ["n" * 40, *settings.CLIENT_SECRET_HASH_KEYS]
    assert token_status(client_id, issued.client_secret) == 200
    assert stored(client_id).split("$")[1] == key_id(b"n" * 40)
    settings.CLIENT_SECRET_HASH_KEYS = ["n" * 40]  # the old key removed: only rewritten hashes verify
    assert token_status(client_id, issued.client_secret) == 200
    Client.objects.filter(client_id=client_id).update(client_secret=old_value)
    assert token_status(client_id, issued.client_secret) == 401


def test_a_plaintext_stored_secret_never_matches(make_client):
    issued = make_client()
    Client.objects.filter(pk=issued.client.pk).update(client_secret=issued.client_secret)
    assert token_status(issued.client.client_id, issued.client_secret) == 401


def test_secret_check_does_not_end_cached_tokens(make_client):
    """Issuing a token writes last_token_at only: the client's cached tokens stay cached (no DB read)."""
    issued = make_client()
    raw = obtain_token(issued)
    api = bearer(raw)
    api.get(ME)
    api.get(ME)
    obtain_token(issued)
    with CaptureQueriesContext(connection) as ctx:
        assert api.get(ME).status_code == 200
    assert not [q for q in ctx.captured_queries if "oauth2_provider_accesstoken" in q["sql"]]


# --- RFC 8414 metadata -------------------------------------------------------------------------------------------


def test_metadata_in_development_names_the_request_host(db):
    with CaptureQueriesContext(connection) as ctx:
        response = APIClient().get("/.well-known/oauth-authorization-server")
    assert len(ctx.captured_queries) == 0
    assert response.status_code == 200
    body = response.json()
    assert body["issuer"] == "http://testserver"
    assert body["token_endpoint"] == "http://testserver/oauth/token/"
    assert body["revocation_endpoint"] == "http://testserver/oauth/revoke_token/"
    assert body["introspection_endpoint"] == "http://testserver/oauth/introspect/"
    assert body["grant_types_supported"] == ["client_credentials"]
    assert body["token_endpoint_auth_methods_supported"] == ["client_secret_basic", "private_key_jwt"]
    assert body["token_endpoint_auth_signing_alg_values_supported"] == ["RS256", "RS384", "ES256", "ES384"]
    assert "introspection" not in body["scopes_supported"] and "pii:read" in body["scopes_supported"]
    assert body["service_documentation"].startswith("http://testserver/")


def test_metadata_and_audience_follow_oauth_issuer(seeded, settings, jwks_file):
    settings.OAUTH_ISSUER = "https://referrals.example.gov"
    body = APIClient().get("/.well-known/oauth-authorization-server").json()
    assert body["issuer"] == "https://referrals.example.gov"
    assert body["token_endpoint"] == "https://referrals.example.gov/oauth/token/"
    client_id = create_key_client(jwks_file("rsa"))["client_id"]
    assert assertion_status(client_id, aud="https://referrals.example.gov/oauth/token/") == 200
    assert assertion_status(client_id, aud="https://referrals.example.gov") == 200
    assert_refused(post_token(assertion_form(assertion(client_id))), "wrong_audience", tokens_before=2)


def test_metadata_takes_no_writes(db):
    for method in ("post", "put", "delete"):
        assert getattr(APIClient(), method)("/.well-known/oauth-authorization-server").status_code == 405
