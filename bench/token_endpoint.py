#!/usr/bin/env python
"""Measure ``POST /oauth/token/`` under gunicorn on loopback: PBKDF2 secrets, HMAC secrets, private_key_jwt.

    DATABASE_URL=postgres://... REDIS_URL=redis://.../N python -m bench.token_endpoint [--duration 8]

The database must be migrated; the script adds its own clients to it (and leaves them, named "token bench").
gunicorn runs with production settings (DJANGO_DEBUG=false, fresh random keys) and gunicorn.conf.py, with the
token rate limit lifted (capacity is measured, not the limit). Each mode runs in turn, round after round, so
machine noise hits all of them:

* ``secret-pbkdf2``: a client secret whose stored hash is Django's PBKDF2 (1,000,000 iterations), as every
  secret was before HMAC-SHA-256. Each request uses a client never used before, since a successful check
  rewrites the hash as HMAC (so this is also the one-time cost of the upgrade);
* ``secret-hmac``: the same request against an HMAC-SHA-256 hash (agencies/client_secrets.py);
* ``jwt-rs256`` / ``jwt-es256``: private_key_jwt with an RSA-2048 / P-256 key, assertions signed before the
  timed phase (each with its own jti), so the client's signing cost is not counted.

Reports requests per second and latency percentiles per mode (``--json`` for the raw figures). Only loopback
is contacted; every loop is bounded by ``--duration`` and by its pre-built pool.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
ISSUER = "https://bench.invalid"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(port: int, workers: int, threads: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_DEBUG": "false",
            "DJANGO_SETTINGS_MODULE": "referral_api.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "BLIND_INDEX_KEY": secrets.token_hex(32),
            "OAUTH_ISSUER": ISSUER,
            "CLIENT_SECRET_HASH_KEYS": secrets.token_urlsafe(32),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "CACHE_KEY_PREFIX": f"token-bench-{secrets.token_hex(3)}",
            "TOKEN_RATE_LIMIT": "1000000/min",
            # The per-address limit too (3,000/min by default): every request comes from 127.0.0.1.
            "ADDRESS_RATE_LIMIT": "1000000/min",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_THREADS": str(threads),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    return env


def make_clients(pbkdf2_pool: int) -> dict:
    """Create the benchmark's clients in the database (in this process, under the same settings as gunicorn)."""
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from jwcrypto import jwk

    from agencies.models import Client
    from agencies.services import JWKSSource, agencies_seed, client_create

    agencies_seed()
    tag = uuid.uuid4().hex[:6]
    secret = client_create(agency_code="CBP", name=f"token bench {tag} hmac", scopes=["referrals:read"])
    pbkdf2 = []
    for n in range(pbkdf2_pool):
        issued = client_create(agency_code="CBP", name=f"token bench {tag} pbkdf2 {n}", scopes=["referrals:read"])
        legacy = make_password(issued.client_secret, hasher="pbkdf2_sha256")
        Client.objects.filter(pk=issued.client.pk).update_without_invalidation(client_secret=legacy)
        pbkdf2.append((issued.client.client_id, issued.client_secret))
    keys = {}
    for mode, params in (("jwt-rs256", {"kty": "RSA", "size": 2048}), ("jwt-es256", {"kty": "EC", "crv": "P-256"})):
        key = jwk.JWK.generate(kid=f"{mode}-{tag}", **params)
        jwks = json.dumps({"keys": [json.loads(key.export_public())]})
        client = client_create(
            agency_code="CBP",
            name=f"token bench {tag} {mode}",
            scopes=["referrals:read"],
            keys=JWKSSource.from_file(jwks),
        ).client
        keys[mode] = (client.client_id, key)
    return {"secret-hmac": (secret.client.client_id, secret.client_secret), "secret-pbkdf2": pbkdf2, **keys}


def basic_request(client_id: str, secret: str) -> tuple[bytes, dict]:
    token = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return b"grant_type=client_credentials", {"Authorization": f"Basic {token}"}


def assertion_request(client_id: str, key, alg: str) -> tuple[bytes, dict]:
    from jwcrypto import jwt

    now = int(time.time())
    claims = {"iss": client_id, "sub": client_id, "aud": ISSUER + "/oauth/token/", "iat": now, "exp": now + 300}
    claims["jti"] = uuid.uuid4().hex
    token = jwt.JWT(header={"alg": alg, "kid": key.get("kid")}, claims=claims)
    token.make_signed_token(key)
    form = {"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE}
    body = urllib.parse.urlencode({**form, "client_assertion": token.serialize()}).encode()
    return body, {}


def pool_for(mode: str, clients: dict, size: int) -> list[tuple[bytes, dict]]:
    if mode == "secret-hmac":
        return [basic_request(*clients[mode])] * size
    if mode == "secret-pbkdf2":
        return [basic_request(*pair) for pair in clients[mode][:size]]
    client_id, key = clients[mode]
    alg = "RS256" if mode == "jwt-rs256" else "ES256"
    return [assertion_request(client_id, key, alg) for _ in range(size)]


def drive(port: int, requests: list[tuple[bytes, dict]], *, concurrency: int, duration: float) -> dict:
    """Send the requests (each once) from ``concurrency`` keep-alive connections until done or ``duration``."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    queue = list(reversed(requests))
    deadline = time.monotonic() + duration

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                if not queue:
                    return
                body, headers = queue.pop()
            started = time.perf_counter()
            connection.request(
                "POST",
                "/oauth/token/",
                body=body,
                headers={"Content-Type": "application/x-www-form-urlencoded", **headers},
            )
            response = connection.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                if response.status == 200:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1
        connection.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - started
    latencies.sort()

    def pct(p: float) -> float:
        return round(1000 * latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1) if latencies else 0.0

    return {
        "ok": len(latencies),
        "errors": errors[0],
        "seconds": round(wall, 2),
        "p50_ms": pct(0.5),
        "p95_ms": pct(0.95),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--duration", type=float, default=8.0, help="seconds per mode per round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--pool", type=int, default=1500, help="pre-signed assertions per mode per round")
    parser.add_argument("--pbkdf2-clients", type=int, default=60, help="clients with a PBKDF2 hash, per round")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    port = free_port()
    env = production_env(port, args.workers, args.threads)
    os.environ.update(env)
    clients = make_clients(args.pbkdf2_clients * args.rounds)
    (ROOT / ".data").mkdir(exist_ok=True)
    log = open(ROOT / ".data" / "token-bench-gunicorn.log", "w")  # closed after the server stops
    server = subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "referral_api.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                sys.exit("token bench: gunicorn did not start; see .data/token-bench-gunicorn.log")
            time.sleep(0.3)
        modes = ["secret-pbkdf2", "secret-hmac", "jwt-rs256", "jwt-es256"]
        results: dict[str, list[dict]] = {mode: [] for mode in modes}
        pbkdf2_all = clients["secret-pbkdf2"]
        for round_no in range(args.rounds):
            clients["secret-pbkdf2"] = pbkdf2_all[round_no * args.pbkdf2_clients : (round_no + 1) * args.pbkdf2_clients]
            for mode in modes:
                requests = pool_for(mode, clients, args.pool)
                if mode != "secret-pbkdf2":  # warm-up (the PBKDF2 pool is one use per client)
                    drive(port, requests[:20], concurrency=1, duration=args.duration)
                    requests = requests[20:]
                results[mode].append(drive(port, requests, concurrency=args.concurrency, duration=args.duration))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        log.close()

    summary = {}
    for mode, runs in results.items():
        ok = sum(r["ok"] for r in runs)
        seconds = sum(r["seconds"] for r in runs)
        summary[mode] = {
            "requests_per_second": round(ok / seconds, 1) if seconds else 0.0,
            "p50_ms": statistics.median(r["p50_ms"] for r in runs),
            "p95_ms": statistics.median(r["p95_ms"] for r in runs),
            "ok": ok,
            "errors": sum(r["errors"] for r in runs),
        }
    if args.json:
        print(json.dumps({"args": vars(args), "summary": summary, "runs": results}, indent=2))
        return
    print(
        f"POST /oauth/token/ — {args.workers} gthread workers x {args.threads} threads, concurrency "
        f"{args.concurrency}, {args.rounds} rounds x {args.duration:g} s per mode"
    )
    print("| mode | requests/s | p50 ms | p95 ms | ok | errors |")
    print("| --- | --- | --- | --- | --- | --- |")
    for mode, row in summary.items():
        cells = [mode, row["requests_per_second"], row["p50_ms"], row["p95_ms"], row["ok"], row["errors"]]
        print("| " + " | ".join(str(c) for c in cells) + " |")


if __name__ == "__main__":
    main()
