"""private_key_jwt against code that is not ours, over real HTTP on loopback.

* Authlib's ``PrivateKeyJWT`` client authentication (its own JOSE code, joserfc) gets a token for an RSA and an
  EC key, then calls ``/api/v1/me/``.
* ``examples/private_key_jwt.py`` is run as the README tells a partner: openssl makes the key pair, the example
  prints the public JWK Set, the operator command registers it, and the example gets a token.
* The same assertion sent to two server processes at once gets one token (the replay store is shared), with
  Redis and without it (the database record alone).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from agencies.services import JWKSSource, client_create
from tests.agencies.keys import assertion, assertion_form, jwks_text, private_key
from tests.events.helpers import database_url

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis, pytest.mark.slow]


@pytest.fixture
def live_api(transactional_db):
    from pytest_django.live_server_helper import LiveServer

    from agencies.services import agencies_seed

    agencies_seed()
    server = LiveServer("127.0.0.1")
    server._live_server_modified_settings.enable()
    try:
        yield server.url
    finally:
        server._live_server_modified_settings.disable()
        server.stop()


@pytest.mark.parametrize(("key", "alg"), [("rsa", "RS384"), ("ec", "ES256")])
def test_authlib_private_key_jwt_gets_a_token_and_calls_the_api(live_api, key, alg):
    from authlib.integrations.requests_client import OAuth2Session
    from authlib.oauth2.rfc7523 import PrivateKeyJWT

    client = client_create(
        agency_code="ICE",
        name=f"authlib {key}",
        scopes=["referrals:read", "events:read"],
        keys=JWKSSource.from_file(jwks_text(key)),
    ).client
    token_url = f"{live_api}/oauth/token/"
    pem = private_key(key).export_to_pem(private_key=True, password=None).decode()
    now = int(time.time())
    # Authlib signs a one-hour assertion by default; SMART Backend Services (and this server) allow 5 minutes.
    auth = PrivateKeyJWT(token_url, alg=alg, headers={"kid": f"{key}-kid"}, claims={"exp": now + 300})
    session = OAuth2Session(client.client_id, _authlib_key(pem, key), token_endpoint_auth_method=auth)
    token = session.fetch_token(token_url, grant_type="client_credentials")
    assert token["token_type"] == "Bearer"
    assert set(token["scope"].split()) == {"referrals:read", "events:read"}
    me = session.get(f"{live_api}/api/v1/me/", timeout=10)
    assert me.status_code == 200, me.text
    assert me.json()["client_id"] == client.client_id
    assert me.json()["agency"]["code"] == "ICE"


def _authlib_key(pem: str, key: str):
    from joserfc.jwk import ECKey, RSAKey

    return RSAKey.import_key(pem) if key == "rsa" else ECKey.import_key(pem)


def test_the_documented_example_runs_end_to_end(live_api, tmp_path):
    """README "Client authentication with keys": openssl, register the public JWK, get a token from Python."""
    example = str(ROOT / "examples" / "private_key_jwt.py")
    pem = tmp_path / "agency-key.pem"
    subprocess.run(
        ["openssl", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", str(pem)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    made = subprocess.run(
        [sys.executable, example, "jwks", str(pem), "--kid", "agency-2026-01"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    public = json.loads(made.stdout)
    assert "d" not in public["keys"][0] and public["keys"][0]["alg"] == "ES384"
    jwks_path = tmp_path / "agency-jwks.json"
    jwks_path.write_text(made.stdout)
    out = io.StringIO()
    call_command(
        "agency_client_create",
        *("--agency", "USCIS", "--name", "example", "--scopes", "referrals:read"),
        *("--auth", "private_key_jwt", "--jwks-file", str(jwks_path), "--json"),
        stdout=out,
    )
    client_id = json.loads(out.getvalue())["client_id"]
    env = {
        **os.environ,
        "REFERRAL_API_URL": live_api,
        "CLIENT_ID": client_id,
        "PRIVATE_KEY_FILE": str(pem),
        "KEY_ID": "agency-2026-01",
    }
    ran = subprocess.run([sys.executable, example, "token"], env=env, capture_output=True, text=True, timeout=60)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "token_type=Bearer" in ran.stdout
    assert json.loads(ran.stdout.strip().splitlines()[-1])["client_id"] == client_id


# --- Replay across two server processes ----------------------------------------------------------------------

SERVER_PROCESS = """
import os, sys, time
import django
django.setup()
from django.test import Client
form = {"grant_type": "client_credentials", "client_assertion_type": sys.argv[2], "client_assertion": sys.argv[3]}
client = Client(HTTP_HOST="localhost")
print("READY", flush=True)
while not os.path.exists(sys.argv[1]):  # both processes set up, then both post at once
    time.sleep(0.002)
print("STATUS", client.post("/oauth/token/", form).status_code, flush=True)
"""


@pytest.mark.parametrize("redis", ["shared", "down"])
def test_one_assertion_sent_to_two_server_processes_gets_one_token(seeded, redis, tmp_path):
    from oauth2_provider.models import get_access_token_model

    client = client_create(
        agency_code="CBP",
        name=f"replay {redis}",
        scopes=["referrals:read"],
        keys=JWKSSource.from_file(jwks_text("rsa")),
    ).client
    token = assertion(client.client_id, aud="http://localhost/oauth/token/")
    form = assertion_form(token)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "referral_api.settings",
        "DATABASE_URL": database_url(),  # the embedded server's socket directory too
        "PYTHONPATH": str(ROOT),
    }
    if redis == "down":
        env["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens: the database record alone decides
    go = tmp_path / "go"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", SERVER_PROCESS, str(go), form["client_assertion_type"], token],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for process in processes:
        line = process.stdout.readline()
        assert line.strip() == "READY", line + process.stderr.read()[-2000:]
    go.touch()
    statuses = []
    for process in processes:
        stdout, stderr = process.communicate(timeout=120)
        lines = [line for line in stdout.splitlines() if line.startswith("STATUS")]
        assert lines, stderr[-2000:]
        statuses.append(int(lines[-1].split()[1]))
    assert sorted(statuses) == [200, 401]
    assert get_access_token_model().objects.filter(application=client).count() == 1
