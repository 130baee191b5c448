"""Get an access token with your own key (private_key_jwt, RFC 7523; SMART Backend Services), then call the API.

Three steps, on the agency's side:

1. Make a key pair with openssl and keep the private key in your secret store (it never leaves your side):

       openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out agency-key.pem
       # or an EC key:  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out agency-key.pem

2. Turn its public half into a JWK Set and send that file to the service's operator (or publish it at an
   https URL of yours and send the URL):

       python examples/private_key_jwt.py jwks agency-key.pem --kid agency-2026-01 > agency-jwks.json

   The operator registers it:  manage.py agency_client_create --agency ICE --name "HSI case system"
   --scopes "referrals:read events:read" --auth private_key_jwt --jwks-file agency-jwks.json  (prints CLIENT_ID)

3. Get a token and call the API:

       REFERRAL_API_URL=https://referrals.example.gov CLIENT_ID=... PRIVATE_KEY_FILE=agency-key.pem \\
       KEY_ID=agency-2026-01 python examples/private_key_jwt.py token

Key rollover: make a new key, publish a set holding both keys (the operator runs ``agency_client_set_jwks``,
or your URL serves it), sign with the new ``KEY_ID``, then drop the old key from the set.

Needs ``jwcrypto`` and ``requests`` (``pip install jwcrypto requests``). Each assertion is signed for one use:
a fresh ``jti``, ``exp`` 5 minutes after ``iat`` (the service refuses anything longer), ``aud`` the token URL.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import uuid
from pathlib import Path

import requests
from jwcrypto import jwk, jwt

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def algorithm_for(key: jwk.JWK) -> str:
    """RS384 for RSA keys, ES256/ES384 for P-256/P-384 keys (what the service accepts, RFC 7518 §3.1)."""
    if key.get("kty") == "RSA":
        return "RS384"
    return {"P-256": "ES256", "P-384": "ES384"}[key.get("crv")]


def load_private_key(path: str, kid: str) -> jwk.JWK:
    key = jwk.JWK.from_pem(Path(path).read_bytes())
    if not key.has_private:
        raise SystemExit(f"{path} holds no private key")
    return jwk.JWK(**{**json.loads(key.export_private()), "kid": kid})


def public_jwks(private_key_file: str, kid: str) -> dict:
    """The JWK Set to register: the public key only, with its kid, alg and use."""
    key = load_private_key(private_key_file, kid)
    public = json.loads(key.export_public())
    public.update({"kid": kid, "use": "sig", "alg": algorithm_for(key)})
    return {"keys": [public]}


def client_assertion(*, client_id: str, token_url: str, key: jwk.JWK) -> str:
    now = int(time.time())
    claims = {
        "iss": client_id,  # RFC 7523 §3: issuer and subject are the client id
        "sub": client_id,
        "aud": token_url,  # the token endpoint URL (the server's issuer is accepted too)
        "iat": now,
        "exp": now + 300,  # at most 5 minutes (SMART Backend Services)
        "jti": str(uuid.uuid4()),  # single use: a replayed assertion is refused
    }
    token = jwt.JWT(header={"alg": algorithm_for(key), "kid": key.get("kid"), "typ": "JWT"}, claims=claims)
    token.make_signed_token(key)
    return token.serialize()


def get_token(*, base_url: str, client_id: str, key: jwk.JWK, scope: str | None = None) -> dict:
    token_url = base_url.rstrip("/") + "/oauth/token/"
    form = {
        "grant_type": "client_credentials",
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": client_assertion(client_id=client_id, token_url=token_url, key=key),
    }
    if scope:
        form["scope"] = scope
    response = requests.post(token_url, data=form, timeout=10)
    if response.status_code != 200:
        raise SystemExit(f"token request refused: {response.status_code} {response.text}")
    return response.json()


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make_jwks = commands.add_parser("jwks", help="print the public JWK Set of a PEM private key")
    make_jwks.add_argument("private_key_file")
    make_jwks.add_argument("--kid", required=True, help="a name for this key, e.g. agency-2026-01")
    token = commands.add_parser("token", help="get a token (REFERRAL_API_URL, CLIENT_ID, PRIVATE_KEY_FILE, KEY_ID)")
    token.add_argument("--scope", help="space-separated scopes (default: all of the client's)")
    args = parser.parse_args(argv)

    if args.command == "jwks":
        print(json.dumps(public_jwks(args.private_key_file, args.kid), indent=2))
        return 0
    base_url = os.environ["REFERRAL_API_URL"]
    key = load_private_key(os.environ["PRIVATE_KEY_FILE"], os.environ["KEY_ID"])
    issued = get_token(base_url=base_url, client_id=os.environ["CLIENT_ID"], key=key, scope=args.scope)
    print(f"token_type={issued['token_type']} expires_in={issued['expires_in']} scope={issued['scope']}")
    me = requests.get(
        base_url.rstrip("/") + "/api/v1/me/",
        headers={"Authorization": f"Bearer {issued['access_token']}"},
        timeout=10,
    )
    me.raise_for_status()
    print(json.dumps(me.json()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
