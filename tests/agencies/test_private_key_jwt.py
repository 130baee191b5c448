"""private_key_jwt at the token endpoint and at revocation: RFC 7523 §3 as SMART Backend Services profiles it.

Every refusal answers the same ``invalid_client`` (RFC 6749 §5.2) and issues nothing; the audit row says why.
"""

from __future__ import annotations

import base64
import json
import time
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from jwcrypto import jwk
from oauth2_provider.models import get_access_token_model
from rest_framework.test import APIClient

from agencies.assertions import CLOCK_SKEW_SECONDS
from agencies.models import Client, UsedClientAssertion
from agencies.oauth_errors import DESCRIPTIONS
from agencies.services import JWKSSource, client_create
from audit.models import AuditEntry
from tests.agencies.keys import TOKEN_URL, assertion, assertion_form, jwks_text, public_jwk
from tests.conftest import ALL_SCOPES

pytestmark = pytest.mark.redis
AccessToken = get_access_token_model()
ME = "/api/v1/me/"
# The token endpoint's answer to every failed client authentication: the same code and the same text.
REFUSED = {"error": "invalid_client", "error_description": DESCRIPTIONS["invalid_client"]}


@pytest.fixture
def key_client(seeded):
    """``key_client("ICE", "rsa", "ec")``: a private_key_jwt client whose submitted JWK Set holds those keys."""

    def _make(agency: str = "CBP", *keys: str, scopes: str = ALL_SCOPES) -> Client:
        issued = client_create(
            agency_code=agency,
            name=f"{agency} key client {uuid.uuid4().hex[:6]}",
            scopes=scopes.split(),
            keys=JWKSSource.from_file(jwks_text(*(keys or ("rsa", "ec", "ec384")))),
        )
        assert issued.client_secret is None
        return issued.client

    return _make


def post_token(data: dict, **headers):
    return APIClient().post("/oauth/token/", data, **headers)


def refusal_reason(client_id: str | None = None) -> str:
    entry = AuditEntry.objects.filter(action="token.refused").order_by("-id").first()
    assert entry is not None
    if client_id is not None:
        assert entry.client_id == client_id
    return entry.reason


def assert_refused(response, reason: str, client_id: str | None = None, *, tokens_before: int = 0) -> None:
    """invalid_client, and nothing that says which check failed; no token issued; the reason audited."""
    assert response.status_code == 401, response.content
    assert response.json() == REFUSED
    assert refusal_reason(client_id) == f"invalid-client-assertion:{reason}"
    assert AccessToken.objects.count() == tokens_before


# --- Accepted --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["rsa", "ec", "ec384"])
def test_assertion_gets_a_token_that_works(key_client, key):
    client = key_client()
    response = post_token(assertion_form(assertion(client.client_id, key=key)))
    assert response.status_code == 200, response.content
    raw = response.json()["access_token"]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    me = api.get(ME)
    assert me.status_code == 200
    assert me.json()["client_id"] == client.client_id
    entry = AuditEntry.objects.get(action="token.issued")
    assert entry.client_id == client.client_id and entry.reason is None
    assert UsedClientAssertion.objects.filter(client_id=client.client_id).count() == 1


def test_rs384_and_audience_forms_accepted(key_client):
    client = key_client()
    for aud in (TOKEN_URL, "http://testserver", ["https://elsewhere.example/token", TOKEN_URL]):
        token = assertion(client.client_id, alg="RS384", aud=aud)
        assert post_token(assertion_form(token)).status_code == 200, aud


def test_clock_skew_allowance(key_client):
    """iat up to CLOCK_SKEW_SECONDS ahead and exp up to that much behind are accepted (clocks drift)."""
    client = key_client()
    now = int(time.time())
    ahead = assertion(client.client_id, iat=now + CLOCK_SKEW_SECONDS - 5, exp=now + 200)
    assert post_token(assertion_form(ahead)).status_code == 200
    behind = assertion(client.client_id, iat=now - 100, exp=now - CLOCK_SKEW_SECONDS + 5)
    assert post_token(assertion_form(behind)).status_code == 200


def test_oauth_endpoints_need_no_csrf_token(key_client, make_client):
    """A partner's HTTP client has no cookie and no CSRF token; the OAuth endpoints must not ask for one."""
    from django.test import Client as DjangoClient

    client = key_client()
    browserless = DjangoClient(enforce_csrf_checks=True)
    response = browserless.post("/oauth/token/", assertion_form(assertion(client.client_id)))
    assert response.status_code == 200, response.content
    raw = response.json()["access_token"]
    revoke = {"token": raw, **assertion_form(assertion(client.client_id))}
    revoke.pop("grant_type")
    assert browserless.post("/oauth/revoke_token/", revoke).status_code == 200
    introspect = browserless.post("/oauth/introspect/", {"token": raw})  # no operator credentials: refused
    assert introspect.status_code in (401, 403) and b"CSRF" not in introspect.content


def test_client_id_parameter_may_accompany_the_assertion(key_client):
    client = key_client()
    form = assertion_form(assertion(client.client_id), client_id=client.client_id)
    assert post_token(form).status_code == 200


def test_token_endpoint_query_budget(key_client):
    """A private_key_jwt token costs a bounded number of queries (no per-key or per-claim lookups)."""
    client = key_client()
    post_token(assertion_form(assertion(client.client_id)))  # warm the per-process caches
    with CaptureQueriesContext(connection) as ctx:
        assert post_token(assertion_form(assertion(client.client_id))).status_code == 200
    statements = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]
    # client (with agency), jti insert-and-prune, token insert, last_token_at, token reload, audit client, audit row
    assert len(statements) <= 7, [q[:80] for q in statements]


# --- Refused: every bad input the contract lists -----------------------------------------------------------


def test_expired_assertion(key_client):
    client = key_client()
    now = int(time.time())
    token = assertion(client.client_id, iat=now - 400, exp=now - CLOCK_SKEW_SECONDS - 10)
    assert_refused(post_token(assertion_form(token)), "expired", client.client_id)


def test_exp_ten_minutes_ahead(key_client):
    client = key_client()
    now = int(time.time())
    assert_refused(post_token(assertion_form(assertion(client.client_id, exp=now + 600))), "lifetime_too_long")


def test_exp_ten_minutes_ahead_without_iat(key_client):
    client = key_client()
    token = assertion(client.client_id, iat=None, exp=int(time.time()) + 600)
    assert_refused(post_token(assertion_form(token)), "lifetime_too_long")


def test_iat_in_the_future_beyond_skew(key_client):
    client = key_client()
    now = int(time.time())
    token = assertion(client.client_id, iat=now + CLOCK_SKEW_SECONDS + 30, exp=now + 200)
    assert_refused(post_token(assertion_form(token)), "not_yet_valid")


def test_nbf_in_the_future(key_client):
    client = key_client()
    token = assertion(client.client_id, nbf=int(time.time()) + 120)
    assert_refused(post_token(assertion_form(token)), "not_yet_valid")


def test_replayed_jti_is_refused(key_client):
    client = key_client()
    token = assertion(client.client_id)
    assert post_token(assertion_form(token)).status_code == 200
    AccessToken.objects.all().delete()
    assert_refused(post_token(assertion_form(token)), "replayed_jti", client.client_id)
    # A new assertion reusing the jti is a replay too, whatever else changed.
    jti = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "==").decode())["jti"]
    assert_refused(post_token(assertion_form(assertion(client.client_id, key="ec", jti=jti))), "replayed_jti")


def test_replay_refused_by_the_database_when_redis_forgets(key_client):
    """Redis flushed or evicted (or down): the database row still refuses the replay."""
    from django.core.cache import cache

    client = key_client()
    token = assertion(client.client_id)
    assert post_token(assertion_form(token)).status_code == 200
    AccessToken.objects.all().delete()
    redis = cache._cache.get_client(write=True)
    forgotten = list(redis.scan_iter(f"{cache.key_prefix}:*jti:*"))
    assert len(forgotten) == 1
    redis.delete(*forgotten)
    assert_refused(post_token(assertion_form(token)), "replayed_jti")


def test_same_jti_from_another_client_is_not_a_replay(key_client):
    first, second = key_client(), key_client("ICE")
    jti = str(uuid.uuid4())
    assert post_token(assertion_form(assertion(first.client_id, jti=jti))).status_code == 200
    assert post_token(assertion_form(assertion(second.client_id, jti=jti))).status_code == 200


def test_audience_of_another_server(key_client):
    client = key_client()
    for aud in ("https://other.example/oauth/token/", "http://testserver/oauth/revoke_token/", None, ["x"]):
        assert_refused(post_token(assertion_form(assertion(client.client_id, aud=aud))), "wrong_audience")


def unsigned(header: dict, claims: dict) -> str:
    def part(value: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part(header)}.{part(claims)}."


def test_alg_none(key_client):
    client = key_client()
    now = int(time.time())
    claims = {"iss": client.client_id, "sub": client.client_id, "aud": TOKEN_URL, "exp": now + 60, "jti": "n1"}
    for alg in ("none", "None", "NONE"):
        token = unsigned({"alg": alg, "kid": "rsa-kid"}, claims)
        assert_refused(post_token(assertion_form(token)), "alg_not_allowed")


def test_hs256_signed_with_the_public_key_is_refused(key_client):
    """The classic key-confusion attack: HMAC with the published public key (PEM or JWK bytes) as the secret."""
    client = key_client()
    public = jwk.JWK(**public_jwk("rsa"))
    for secret in (public.export_to_pem(), json.dumps(public_jwk("rsa")).encode()):
        hmac_key = jwk.JWK(kty="oct", k=base64.urlsafe_b64encode(secret).rstrip(b"=").decode())
        for alg in ("HS256", "HS384", "HS512"):
            token = assertion(client.client_id, alg=alg, signing_key=hmac_key)
            assert_refused(post_token(assertion_form(token)), "alg_not_allowed")


@pytest.mark.parametrize("alg", ["PS256", "ES512", "EdDSA", "RS512"])
def test_algorithms_outside_the_list(key_client, alg):
    client = key_client()
    token = unsigned({"alg": alg, "kid": "rsa-kid"}, {"iss": client.client_id, "sub": client.client_id})
    assert_refused(post_token(assertion_form(token + "c2ln")), "alg_not_allowed")


def test_alg_that_does_not_fit_the_key(key_client):
    """RS256 naming an EC key's kid (or ES384 naming a P-256 key) never verifies."""
    client = key_client()
    token = assertion(client.client_id, key="rsa", header={"kid": "ec-kid"})
    assert_refused(post_token(assertion_form(token)), "alg_not_allowed")
    token = assertion(client.client_id, key="ec", alg="ES384")
    assert_refused(post_token(assertion_form(token)), "alg_not_allowed")


def test_signature_by_another_key_with_the_same_kid(key_client):
    client = key_client()
    impostor = jwk.JWK.generate(kty="RSA", size=2048, kid="rsa-kid")
    token = assertion(client.client_id, signing_key=impostor)
    assert_refused(post_token(assertion_form(token)), "bad_signature")


def test_tampered_payload(key_client):
    client = key_client()
    header, _payload, signature = assertion(client.client_id).split(".")
    other = assertion(client.client_id, exp=int(time.time()) + 100).split(".")[1]
    assert_refused(post_token(assertion_form(f"{header}.{other}.{signature}")), "bad_signature")


def test_unknown_kid_in_a_submitted_set(key_client):
    client = key_client("CBP", "rsa")
    assert_refused(post_token(assertion_form(assertion(client.client_id, key="rsa-2"))), "unknown_kid")


def test_no_kid_with_a_single_fitting_key(key_client):
    client = key_client("CBP", "rsa", "ec")
    assert post_token(assertion_form(assertion(client.client_id, header={"kid": None}))).status_code == 200


def test_issuer_and_subject_must_both_be_the_client(key_client):
    client, other = key_client(), key_client("ICE")
    cases = [
        {"sub": other.client_id},
        {"iss": other.client_id},
        {"sub": None},
        {"iss": None},
        {"iss": 42, "sub": 42},
    ]
    for claims in cases:
        assert_refused(post_token(assertion_form(assertion(client.client_id, **claims))), "wrong_issuer")
    form = assertion_form(assertion(client.client_id), client_id=other.client_id)
    assert_refused(post_token(form), "wrong_issuer")


@pytest.mark.parametrize(
    "claims",
    [{"jti": None}, {"jti": ""}, {"jti": 5}, {"jti": "x" * 300}, {"exp": None}, {"exp": "soon"}, {"iat": "now"}],
)
def test_missing_or_mistyped_claims(key_client, claims):
    client = key_client()
    assert_refused(post_token(assertion_form(assertion(client.client_id, **claims))), "missing_claim")


@pytest.mark.parametrize(
    "value", ["", "not-a-jwt", "a.b.c", "e30.e30.", '{"payload": "x"}', "x" * 20000, "ü.ü.ü", "W10.W10.c2ln"]
)
def test_malformed_assertions(key_client, value):
    key_client()
    response = post_token(assertion_form(value))
    assert response.status_code == 401
    assert response.json() == REFUSED
    assert refusal_reason().startswith("invalid-client-assertion:")


def test_wrong_assertion_type(key_client):
    client = key_client()
    form = assertion_form(assertion(client.client_id), client_assertion_type="urn:ietf:params:oauth:x")
    assert_refused(post_token(form), "malformed")


def test_unknown_client(key_client):
    token = assertion("no-such-client")
    assert_refused(post_token(assertion_form(token)), "unknown_client")
    assert AuditEntry.objects.get(action="token.refused").client_id is None


def test_deactivated_client_with_a_valid_assertion(key_client):
    client = key_client()
    Client.objects.filter(pk=client.pk).update(active=False)
    assert_refused(post_token(assertion_form(assertion(client.client_id))), "inactive_client")


def test_deactivated_agency_with_a_valid_assertion(key_client):
    client = key_client()
    client.agency.active = False
    client.agency.save()
    assert_refused(post_token(assertion_form(assertion(client.client_id))), "inactive_client")


def test_client_secret_sent_for_a_key_client(key_client):
    client = key_client()
    for secret in ("", "anything", "None"):
        basic = base64.b64encode(f"{client.client_id}:{secret}".encode()).decode()
        response = post_token({"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=f"Basic {basic}")
        assert response.status_code == 401 and response.json()["error"] == "invalid_client"
        form = {"grant_type": "client_credentials", "client_id": client.client_id, "client_secret": secret}
        response = post_token(form)
        assert response.status_code == 401 and response.json()["error"] == "invalid_client"
    assert refusal_reason(client.client_id) == "invalid_client:wrong_auth_method"
    assert not AccessToken.objects.exists()


def test_assertion_for_a_secret_client(make_client):
    issued = make_client()
    assert_refused(post_token(assertion_form(assertion(issued.client.client_id))), "wrong_auth_method")


def test_assertion_together_with_a_secret_is_refused(key_client, make_client):
    """RFC 6749 §2.3: a client uses one authentication method per request."""
    client = key_client()
    basic = base64.b64encode(f"{client.client_id}:x".encode()).decode()
    response = post_token(assertion_form(assertion(client.client_id)), HTTP_AUTHORIZATION=f"Basic {basic}")
    assert_refused(response, "malformed")
    form = assertion_form(assertion(client.client_id), client_secret="x")
    assert_refused(post_token(form), "malformed")


def test_audit_rows_and_logs_hold_no_assertion_or_claim_text(key_client, caplog):
    client = key_client()
    marker = "canary-jti-3f9a"
    token = assertion(client.client_id, jti=marker)
    with caplog.at_level("DEBUG"):
        post_token(assertion_form(token))
        post_token(assertion_form(token))
        post_token(assertion_form(assertion(client.client_id, aud="https://canary-aud.example/")))
    rows = list(AuditEntry.objects.values())
    assert len([r for r in rows if r["action"].startswith("token.")]) == 3
    text = json.dumps(rows, default=str)
    for leaked in (marker, token[:40], "canary-aud"):
        assert leaked not in text
        assert leaked not in caplog.text
    assert not UsedClientAssertion.objects.filter(jti_sha256__contains=marker).exists()


# --- Revocation (RFC 7009) with private_key_jwt -------------------------------------------------------------


def test_revoke_with_an_assertion(key_client):
    client = key_client()
    raw = post_token(assertion_form(assertion(client.client_id))).json()["access_token"]
    response = APIClient().post("/oauth/revoke_token/", {"token": raw, **_assertion_only(client)})
    assert response.status_code == 200, response.content
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get(ME).status_code == 401


def _assertion_only(client, **claims) -> dict:
    form = assertion_form(assertion(client.client_id, **claims))
    form.pop("grant_type")
    return form


def test_revoke_with_a_bad_assertion_is_refused_and_audited(key_client):
    client = key_client()
    raw = post_token(assertion_form(assertion(client.client_id))).json()["access_token"]
    bad = _assertion_only(client, aud="https://other.example/")
    response = APIClient().post("/oauth/revoke_token/", {"token": raw, **bad})
    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client"}
    entry = AuditEntry.objects.get(action="token.revoke_refused")
    assert entry.reason == "invalid-client-assertion:wrong_audience"
    assert entry.client_id == client.client_id
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get(ME).status_code == 200


def test_revoke_assertion_cannot_be_replayed_at_the_token_endpoint(key_client):
    client = key_client()
    raw = post_token(assertion_form(assertion(client.client_id))).json()["access_token"]
    form = _assertion_only(client)
    assert APIClient().post("/oauth/revoke_token/", {"token": raw, **form}).status_code == 200
    assert_refused_later = post_token({"grant_type": "client_credentials", **form})
    assert assert_refused_later.status_code == 401
    assert refusal_reason() == "invalid-client-assertion:replayed_jti"
