"""Keys and client assertions for the private_key_jwt tests (signed with jwcrypto, the way a partner would)."""

from __future__ import annotations

import json
import time
import uuid
from functools import cache

from jwcrypto import jwk, jwt

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
TOKEN_URL = "http://testserver/oauth/token/"


@cache
def private_key(name: str = "rsa") -> jwk.JWK:
    """A private key by name, made once per test run: rsa, rsa-2, ec (P-256), ec384 (P-384)."""
    if name.startswith("rsa"):
        return jwk.JWK.generate(kty="RSA", size=2048, kid=f"{name}-kid")
    curve = "P-384" if name == "ec384" else "P-256"
    return jwk.JWK.generate(kty="EC", crv=curve, kid=f"{name}-kid")


def public_jwk(name: str = "rsa") -> dict:
    return json.loads(private_key(name).export_public())


def jwks(*names: str) -> dict:
    return {"keys": [public_jwk(n) for n in names or ("rsa",)]}


def jwks_text(*names: str) -> str:
    return json.dumps(jwks(*names))


def assertion(
    client_id: str,
    *,
    key: str = "rsa",
    alg: str | None = None,
    header: dict | None = None,
    signing_key: jwk.JWK | None = None,
    **claims,
) -> str:
    """A client assertion (RFC 7523 §3) for ``client_id``: claims override the valid defaults (None drops one)."""
    now = int(time.time())
    body = {
        "iss": client_id,
        "sub": client_id,
        "aud": TOKEN_URL,
        "iat": now,
        "exp": now + 240,
        "jti": str(uuid.uuid4()),
    }
    body.update(claims)
    body = {k: v for k, v in body.items() if v is not None}
    alg = alg or {"rsa": "RS256", "rsa-2": "RS256", "ec": "ES256", "ec384": "ES384"}[key]
    head = {"alg": alg, "kid": f"{key}-kid"}
    head.update(header or {})
    head = {k: v for k, v in head.items() if v is not None}
    token = jwt.JWT(header=head, claims=body)
    token.make_signed_token(signing_key or private_key(key))
    return token.serialize()


def assertion_form(client_assertion: str, **extra) -> dict:
    return {
        "grant_type": "client_credentials",
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": client_assertion,
        **extra,
    }
