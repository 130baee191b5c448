#!/usr/bin/env python
"""Benchmark the API under gunicorn with production settings, against baselines, and write docs/performance.md.

    make bench                         # full: 10,000 then ~1,000,000 referrals, 3 interleaved rounds (~20 min)
    make bench BENCH_ARGS=--quick      # quick: 10,000 referrals, one short round (~2 min); writes .data/bench/

What it does (see docs/performance.md for the method and the results):

1. Creates a fresh PostgreSQL database (``BENCH_DATABASE_URL``, default ``ra_bench`` on 127.0.0.1), migrates,
   seeds the agencies and creates two clients with ``agency_client_create --json``; empties its Redis database
   (``BENCH_REDIS_URL``, default number 12).
2. Seeds referrals (and one person and one feed event each) with ``COPY`` and one ``INSERT ... SELECT`` per
   chunk, sealed as the product seals them: a wrapped data key per referral in the key store, one AES-256-GCM
   ciphertext per record under it (made in Python under the run's own KEK, so reads really unwrap and decrypt).
3. Starts gunicorn (gunicorn.conf.py) with DJANGO_DEBUG=false and every secret set, DJANGO_SETTINGS_MODULE=
   bench.settings (the product settings plus the baseline views B0, B1, B2 under /bench/).
4. Drives each endpoint and each baseline with wrk (loopback, keep-alive), interleaved round by round so
   machine noise hits both, and reports throughput, p50/p95/p99 and each endpoint's ratio to its baseline.

The load generator is wrk (Debian package ``wrk``): it is installed with apt-get when missing and the process
may (root or passwordless sudo); otherwise the run stops and says how to install it.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime
import io
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
OUT = ROOT / ".data" / "bench"
DOC = ROOT / "docs" / "performance.md"
START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"

DEFAULT_DB = "postgres://root@127.0.0.1:5432/ra_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/12"

# Visible to the reading agency (ICE): 9 rows in 10 (sent by CBP to ICE, or sent by ICE to USCIS); the tenth
# (USCIS to CBP) is not, so need-to-know filtering has something to exclude.
VISIBLE_SHARE = 0.9

POST_BODY = {
    "referral_type": "victim_assistance",
    "receiver": {"agency": "ICE", "office": "VAP"},
    "priority": "routine",
    "summary": "Adult encountered at a port of entry with indicators of labor trafficking",
    "narrative": "Encountered during secondary inspection; reports a debt owed to a recruiter.",
    "trafficking_types": ["labor"],
    "indicators": ["debt_bondage", "documents_withheld"],
    "persons": [
        {
            "role": "victim",
            "given_name": "__GIVEN__",
            "family_name": "Lopez",
            "aliases": ["Mari"],
            "date_of_birth": "1999-04-01",
            "sex": "female",
            "citizenships": ["HN"],
            "languages": ["es"],
            "a_number": "__ANUMBER__",
            "safe_contact": {"phone": "+15555550100", "instructions": "text only", "do_not_contact": False},
            "location": {"city": "San Diego", "state": "CA", "country": "US"},
            "protected_1367": False,
        }
    ],
    "case": None,
    "consent": {"obtained": True, "obtained_at": "2026-11-28T18:00:00Z", "scope": "share with VAP"},
    "related_referral": None,
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- environment -----------------------------------------------------------------------------------------------
def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    log("wrk not found: installing the Debian package (apt-get install -y wrk)")
    prefix = [] if os.geteuid() == 0 else (["sudo", "-n"] if shutil.which("sudo") else None)
    if prefix is not None and shutil.which("apt-get"):
        for cmd in (["apt-get", "install", "-y", "wrk"], ["apt-get", "update"], ["apt-get", "install", "-y", "wrk"]):
            subprocess.run(prefix + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            if shutil.which("wrk"):
                return shutil.which("wrk")
    sys.exit(
        "bench: wrk (the HTTP load generator) is missing and could not be installed here.\n"
        "Install it (Debian/Ubuntu: `sudo apt-get install -y wrk`, macOS: `brew install wrk`) and run again."
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(port: int, args) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = dict(os.environ)
    env.update(
        {
            "DJANGO_DEBUG": "false",
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "BLIND_INDEX_KEY": secrets.token_urlsafe(32),
            # Two roles, as in production: the owner migrates and seeds, the server logs in as the app role.
            "DATABASE_OWNER_URL": os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB),
            "DATABASE_URL": app_role_url(os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)),
            "OAUTH_ISSUER": "https://bench.invalid",
            "CLIENT_SECRET_HASH_KEYS": secrets.token_urlsafe(32),
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS),
            "CELERY_BROKER_URL": os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS),
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            # Tokens must outlive the run (the default is 15 minutes).
            "ACCESS_TOKEN_SECONDS": "7200",
            # The benchmark measures capacity, not the per-client limit: one client sends far more than 600/min.
            # A per-second window keeps the limiter's own bookkeeping as small as under the production limit.
            "API_RATE_LIMIT": "100000/s",
            # Likewise the per-address limit: every wrk connection comes from 127.0.0.1, and 3,000/min (the
            # default) is reached within a round, after which the endpoints measured are answering 429.
            "ADDRESS_RATE_LIMIT": "100000/s",
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    if args.workers:
        env["GUNICORN_WORKERS"] = str(args.workers)
    if args.threads:
        env["GUNICORN_THREADS"] = str(args.threads)
    return env


def app_role_url(owner_url: str, role: str = "referral_api_app") -> str:
    """The owner's URL with the application's login role instead (created by scripts/ensure-app-role)."""
    parts = urllib.parse.urlparse(owner_url)
    host = parts.hostname or ""
    netloc = f"{role}@{host}" + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunparse(parts._replace(netloc=netloc))


def fresh_database(url: str) -> None:
    import psycopg2

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def manage(env, *argv) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *argv], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        sys.exit(f"bench: manage.py {' '.join(argv)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


# --- seeding ---------------------------------------------------------------------------------------------------
class Seeder:
    """Bulk rows with SQL, sealed as the product seals them: one AES-256-GCM ciphertext per record under the
    referral's data key, and that key wrapped under the run's KEK in the key store (docs/privacy.md, "Key
    hierarchy").

    A sealed value's associated data names its referral and record, and a wrapped key names its referral, so no
    ciphertext can be shared between rows: each referral gets its own wrapped key and its two ciphertexts
    (the referral's text, its person's identifying fields), made here in Python (about 15 us a referral). The
    plain data keys themselves come from a pool of ``DATA_KEYS`` (an economy of the benchmark only: each wrap is
    still bound to its referral, so a read really unwraps one key per referral and decrypts one value per record).
    """

    DATA_KEYS = 16
    CHUNK = 50_000

    def __init__(self):
        import orjson
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM
        from django.db import connection, connections

        from agencies.models import Agency, Office
        from referral_api import crypto
        from referral_api.keystore.models import DataKey
        from referral_api.keystore.routers import keystore_alias
        from referrals.models import Person, Referral

        self.connection = connection
        self.keystore = connections[keystore_alias()]
        self.keystore_table = DataKey._meta.db_table
        self.crypto = crypto
        agencies = {a.code: a.pk for a in Agency.objects.all()}
        offices = {(o.agency.code, o.code): o.pk for o in Office.objects.select_related("agency")}
        self.agencies = agencies
        person = POST_BODY["persons"][0]
        self.kek = crypto.newest_kek()
        self.data_keys = [crypto.new_data_key() for _ in range(self.DATA_KEYS)]
        self.ciphers = [AESGCM(key) for key in self.data_keys]
        # The plaintexts, encoded exactly as SealedField.encode does (every member present, dates as ISO text).
        referral_field = Referral._meta.get_field("sealed")
        person_field = Person._meta.get_field("sealed")
        self.referral_record, self.person_record = referral_field.record, person_field.record
        self.referral_plaintext = referral_field.encode(
            {
                **referral_field.empty(),
                "summary": POST_BODY["summary"],
                "narrative": POST_BODY["narrative"],
                "consent_scope": "share with VAP",
            }
        )
        self.person_plaintext = person_field.encode(
            {
                **person_field.empty(),
                "given_name": "Maria",
                "family_name": "Lopez",
                "aliases": ["Mari"],
                "date_of_birth": datetime.date(1999, 4, 1),
                "a_number": "A123456789",
                "other_identifiers": [],
                "safe_contact": person["safe_contact"],
                "location": person["location"],
            }
        )
        assert orjson.loads(self.person_plaintext)["given_name"] == "Maria"
        self.params = {
            "cbp": agencies["CBP"],
            "ice": agencies["ICE"],
            "uscis": agencies["USCIS"],
            "vap": offices[("ICE", "VAP")],
            "vsc": offices[("USCIS", "VSC")],
        }
        self.seeded = 0

    SQL = """
    WITH r AS (
      INSERT INTO referrals_referral (
        id, reference, referral_type, status, priority, sender_agency_id, sender_office_id, sender_client_id,
        receiver_agency_id, receiver_office_id, external_reference, sealed, trafficking_types,
        indicators, consent_obtained, consent_obtained_at, related_referral_id, version,
        created_at, updated_at, acknowledge_by, involves_minor, legal_hold, encountered_at, hhs_required,
        continued_presence_reminders_sent)
      SELECT s.rid, 'SEED-' || s.i,
             CASE WHEN s.i %% 10 < 5 THEN 'victim_assistance'
                  WHEN s.i %% 10 < 9 THEN 'immigration_relief_screening' ELSE 'information_request' END,
             'submitted', 'routine',
             CASE WHEN s.i %% 10 < 5 THEN %(cbp)s::uuid WHEN s.i %% 10 < 9 THEN %(ice)s::uuid ELSE %(uscis)s::uuid END,
             NULL, 'seed',
             CASE WHEN s.i %% 10 < 5 THEN %(ice)s::uuid WHEN s.i %% 10 < 9 THEN %(uscis)s::uuid ELSE %(cbp)s::uuid END,
             CASE WHEN s.i %% 10 < 5 THEN %(vap)s::uuid WHEN s.i %% 10 < 9 THEN %(vsc)s::uuid ELSE NULL END,
             NULL, s.rsealed, '{labor}', '{debt_bondage,documents_withheld}', true,
             %(base)s - make_interval(secs => s.i + 3600), NULL, 1,
             %(base)s - make_interval(secs => s.i), %(base)s - make_interval(secs => s.i),
             %(base)s - make_interval(secs => s.i) + interval '3 days', false, false,
             %(base)s - make_interval(secs => s.i), false, '{}'
        FROM bench_seed s
      RETURNING id, reference, created_at, sender_agency_id, receiver_agency_id
    ), p AS (
      INSERT INTO referrals_person (
        id, referral_id, position, role, sex, citizenships, languages, protected_1367, minor_flag, is_minor,
        sealed, index_key_id, interpreter_needed, us_citizen_or_lpr)
      SELECT s.pid, r.id, 0, 'victim', 'female', '{HN}', '{es}', false, false, false, s.psealed, '', false, 'no'
        FROM r JOIN bench_seed s ON s.rid = r.id
    )
    INSERT INTO events_event (id, type, occurred_at, referral_id, reference, agency_codes, actor_agency, data)
    SELECT gen_random_uuid(), 'referral.created', r.created_at, r.id, r.reference,
           CASE WHEN r.sender_agency_id = %(cbp)s::uuid THEN '{CBP,ICE}'::varchar[]
                WHEN r.sender_agency_id = %(ice)s::uuid THEN '{ICE,USCIS}'::varchar[]
                ELSE '{CBP,USCIS}'::varchar[] END,
           'SEED', '{"status": "submitted", "priority": "routine", "referral_type": "seed"}'::jsonb
      FROM r
    """

    def sealed_rows(self, lo: int, hi: int, now: datetime.datetime) -> tuple[io.StringIO, io.StringIO]:
        """COPY text of referrals ``lo..hi`` (ids and ciphertexts) and of their wrapped data keys."""
        crypto, kek = self.crypto, self.kek
        seed, keys = io.StringIO(), io.StringIO()
        created = now.isoformat()
        for i in range(lo, hi + 1):
            rid, pid = uuid.uuid4(), uuid.uuid4()
            slot = i % self.DATA_KEYS
            kek_id, wrapped = crypto.wrap_data_key(self.data_keys[slot], referral_id=rid, generation=1, kek=kek)
            cipher = self.ciphers[slot]
            rsealed = crypto.seal(
                self.referral_plaintext, data_key=cipher, generation=1,
                associated=crypto.aad(referral_id=rid, record=self.referral_record, record_id=rid),
            )  # fmt: skip
            psealed = crypto.seal(
                self.person_plaintext, data_key=cipher, generation=1,
                associated=crypto.aad(referral_id=rid, record=self.person_record, record_id=pid),
            )  # fmt: skip
            seed.write(f"{i}\t{rid}\t{pid}\t\\\\x{rsealed.hex()}\t\\\\x{psealed.hex()}\n")
            keys.write(f"{rid}\t1\t{kek_id}\t\\\\x{wrapped.hex()}\t{created}\n")
        seed.seek(0)
        keys.seek(0)
        return seed, keys

    def seed_to(self, total: int, base: datetime.datetime) -> float:
        """Add seeded referrals (numbered ``seeded+1..total``, each one second older) in chunks."""
        started = time.monotonic()
        for conn in [self.connection] + ([self.keystore] if self.keystore.alias != "default" else []):
            with conn.cursor() as cursor:
                # Bulk loading: no statement timeout (the product's is 30 s), no waiting on WAL flushes.
                cursor.execute("SET statement_timeout = 0")
                cursor.execute("SET synchronous_commit = off")
        with self.connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMP TABLE IF NOT EXISTS bench_seed (i integer NOT NULL, rid uuid PRIMARY KEY, "
                "pid uuid NOT NULL, rsealed bytea NOT NULL, psealed bytea NOT NULL)"
            )
        while self.seeded < total:
            lo, hi = self.seeded + 1, min(self.seeded + self.CHUNK, total)
            seed, keys = self.sealed_rows(lo, hi, base)
            with self.keystore.cursor() as cursor:
                cursor.copy_expert(
                    f"COPY {self.keystore_table} (referral_id, generation, kek_id, wrapped, created_at) FROM STDIN",
                    keys,
                )
            with self.connection.cursor() as cursor:
                cursor.execute("TRUNCATE bench_seed")
                cursor.copy_expert("COPY bench_seed (i, rid, pid, rsealed, psealed) FROM STDIN", seed)
                cursor.execute(self.SQL, {**self.params, "base": base})
            self.seeded = hi
            if hi % 100_000 == 0 or hi == total:
                log(f"  seeded {hi:,} referrals ({time.monotonic() - started:.0f} s)")
        with self.connection.cursor() as cursor:
            # Number the seeded feed events as the sequencer would, then refresh statistics like autovacuum.
            cursor.execute(
                "UPDATE events_event e SET position = n.base + n.rn FROM (SELECT id, "
                "(SELECT COALESCE(MAX(position), 0) FROM events_event) AS base, "
                "row_number() OVER (ORDER BY occurred_at, id) AS rn FROM events_event WHERE position IS NULL) n "
                "WHERE e.id = n.id"
            )
            for table in ("referrals_referral", "referrals_person", "events_event", "audit_auditentry"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        with self.keystore.cursor() as cursor:
            cursor.execute(f"VACUUM ANALYZE {self.keystore_table}")
        return time.monotonic() - started

    def visible_count(self) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM referrals_referral WHERE sender_agency_id = %s OR receiver_agency_id = %s",
                [self.agencies["ICE"], self.agencies["ICE"]],
            )
            return cursor.fetchone()[0]

    def cursor_at_depth(self, depth: int) -> str:
        """The ``next`` cursor of the page that ends at row ``depth`` of ICE's list (as the API encodes it)."""
        from referral_api.pagination import KeysetPagination

        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT created_at, id FROM referrals_referral WHERE sender_agency_id = %s OR receiver_agency_id = %s"
                " ORDER BY created_at DESC, id DESC OFFSET %s LIMIT 1",
                [self.agencies["ICE"], self.agencies["ICE"], depth - 1],
            )
            created_at, pk = cursor.fetchone()

        class Row:
            pass

        row = Row()
        row.created_at, row.id = created_at, pk
        return KeysetPagination()._encode_cursor(row, False)

    def ids(self, sql: str, params: list, n: int) -> list[str]:
        with self.connection.cursor() as cursor:
            cursor.execute(sql + " LIMIT %s", [*params, n])
            return [str(r[0]) for r in cursor.fetchall()]

    def ack_ids(self, n: int) -> list[str]:
        """Submitted referrals ICE received and nobody has acted on (ICE may acknowledge each once)."""
        return self.ids(
            "SELECT id FROM referrals_referral WHERE receiver_agency_id = %s AND status = 'submitted'"
            " AND reference LIKE 'SEED-%%' ORDER BY reference",
            [self.agencies["ICE"]],
            n,
        )

    def read_ids(self, n: int) -> list[str]:
        return self.ids(
            "SELECT id FROM referrals_referral WHERE sender_agency_id = %s ORDER BY created_at DESC",
            [self.agencies["ICE"]],
            n,
        )


# --- server ----------------------------------------------------------------------------------------------------
class Server:
    def __init__(self, env, port: int):
        self.env, self.port = env, port
        OUT.mkdir(parents=True, exist_ok=True)
        self.log_path = OUT / "gunicorn.log"
        self.proc = None

    def start(self) -> None:
        self.logfile = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "referral_api.wsgi:application"],
            cwd=ROOT,
            env=self.env,
            stdout=self.logfile,
            stderr=self.logfile,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                sys.exit(f"bench: gunicorn exited; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url("/readyz"), timeout=2) as response:
                    if response.status == 200:
                        self.server_header = response.headers.get("Server")
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        sys.exit("bench: gunicorn did not become ready within 60 s")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        if self.proc:
            self.logfile.close()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def token(self, creds: dict) -> str:
        basic = base64.b64encode(f"{creds['client_id']}:{creds['client_secret']}".encode()).decode()
        request = urllib.request.Request(
            self.url("/oauth/token/"),
            data=b"grant_type=client_credentials",
            headers={"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())["access_token"]

    def get(self, path: str, token: str) -> dict:
        request = urllib.request.Request(self.url(path), headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())


# --- load generation -------------------------------------------------------------------------------------------
LUA = r"""
local method, path, token, body, paths_file = %(method)s, %(path)s, %(token)s, %(body)s, %(paths_file)s
local paths = {}
local counter = 0
init = function(args)
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
  if paths_file then
    for line in io.lines(paths_file) do paths[#paths + 1] = line end
  end
end
local headers = {["Content-Type"] = "application/json", ["X-Purpose-Of-Use"] = "benchmark"}
if token then headers["Authorization"] = "Bearer " .. token end
request = function()
  local p = path
  if #paths > 0 then
    counter = counter + 1
    p = paths[(counter - 1) %% #paths + 1]
  end
  local b = body
  if b then
    b = b:gsub("__ANUMBER__", string.format("A%%09d", math.random(0, 999999999)))
    b = b:gsub("__GIVEN__", string.format("G%%08d", math.random(0, 99999999)))
  end
  return wrk.format(method, p, headers, b)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCHJSON {"requests": %%d, "duration_us": %%d, "bad_status": %%d, "socket_errors": %%d, '
    .. '"p50_us": %%d, "p95_us": %%d, "p99_us": %%d, "mean_us": %%.1f, "max_us": %%d}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean, latency.max))
end
"""


def lua_str(value) -> str:
    if value is None:
        return "nil"
    return "[==[" + value + "]==]"


class Scenario:
    def __init__(self, name, label, method, path, *, token=None, body=None, paths=None, baseline=None, kind="tp"):
        self.name, self.label, self.method, self.path = name, label, method, path
        self.token, self.body, self.paths, self.baseline, self.kind = token, body, paths, baseline, kind
        self.results: list[dict] = []
        self.round = 0

    def script(self) -> Path:
        paths_file = None
        if self.paths:
            chunk = self.paths(self.round)
            paths_file = OUT / f"{self.name}.paths"
            paths_file.write_text("\n".join(chunk) + "\n")
        script = OUT / f"{self.name}.lua"
        script.write_text(
            LUA
            % {
                "method": lua_str(self.method),
                "path": lua_str(self.path),
                "token": lua_str(self.token),
                "body": lua_str(self.body),
                "paths_file": lua_str(str(paths_file) if paths_file else None),
            }
        )
        return script

    def run(self, wrk: str, server: Server, duration: float, connections: int, record: bool = True) -> dict:
        script = self.script()
        self.round += 1
        cmd = [
            wrk, "-t1", f"-c{connections}", f"-d{max(1, round(duration))}s", "--timeout", "30s",
            "-s", str(script), server.url(self.path),
        ]  # fmt: skip
        output = subprocess.run(cmd, capture_output=True, text=True, check=False).stdout
        line = next((ln for ln in output.splitlines() if ln.startswith("BENCHJSON ")), None)
        if line is None:
            sys.exit(f"bench: wrk gave no result for {self.name}:\n{output}")
        result = json.loads(line[len("BENCHJSON ") :])
        result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
        if result["bad_status"] or result["socket_errors"]:
            bad, broken = result["bad_status"], result["socket_errors"]
            log(f"  WARNING {self.name}: {bad} error statuses, {broken} socket errors")
        if record:
            self.results.append(result)
        return result

    def summary(self) -> dict:
        rs = self.results
        return {
            "rps": statistics.median(r["rps"] for r in rs),
            "p50_ms": statistics.median(r["p50_us"] for r in rs) / 1000,
            "p95_ms": statistics.median(r["p95_us"] for r in rs) / 1000,
            "p99_ms": statistics.median(r["p99_us"] for r in rs) / 1000,
            "requests": sum(r["requests"] for r in rs),
            "errors": sum(r["bad_status"] + r["socket_errors"] for r in rs),
            "rounds": len(rs),
        }


# --- the run ---------------------------------------------------------------------------------------------------
def phase(name, scenarios, *, wrk, server, rounds, duration, warmup, connections) -> dict:
    log(f"phase {name}: warm-up ({warmup:.0f} s each)")
    for scenario in scenarios:
        scenario.run(wrk, server, warmup, connections, record=False)
    for r in range(rounds):
        # Rotate the order each round so no endpoint always runs right after the same neighbour.
        order = scenarios[r % len(scenarios) :] + scenarios[: r % len(scenarios)]
        log(f"phase {name}: round {r + 1}/{rounds}")
        for scenario in order:
            result = scenario.run(wrk, server, duration, connections)
            log(
                f"  {scenario.name:<14} {result['rps']:8.1f} req/s  p50 {result['p50_us'] / 1000:7.2f} ms  "
                f"p95 {result['p95_us'] / 1000:7.2f} ms  p99 {result['p99_us'] / 1000:7.2f} ms"
            )
    return {s.name: {**s.summary(), "label": s.label, "baseline": s.baseline, "kind": s.kind} for s in scenarios}


def build_scenarios(seeder: Seeder, tokens: dict, *, depths: list[int], ack_pool: list[str], rounds_total: int):
    read_ids = seeder.read_ids(1000)
    ice, cbp = tokens["ICE"], tokens["CBP"]
    body = json.dumps(POST_BODY)
    per_round = max(1, len(ack_pool) // max(1, rounds_total))

    def ack_paths(round_no: int) -> list[str]:
        chunk = ack_pool[round_no * per_round : (round_no + 1) * per_round]
        return [f"/api/v1/referrals/{pk}/acknowledge/" for pk in chunk]

    scenarios = [
        Scenario("B0", "B0 plain Django, constant JSON", "GET", "/bench/b0/"),
        Scenario("B1", "B1 plain Django, INSERT one row", "POST", "/bench/b1/", body=body),
        Scenario("B2", "B2 DRF, bearer token only", "GET", "/bench/b2/", token=ice, baseline="B0"),
        Scenario("create", "POST /referrals/", "POST", "/api/v1/referrals/", token=cbp, body=body, baseline="B1"),
        Scenario(
            "retrieve",
            "GET /referrals/{id}/",
            "GET",
            f"/api/v1/referrals/{read_ids[0]}/",
            token=ice,
            paths=lambda _r: [f"/api/v1/referrals/{pk}/" for pk in read_ids],
            baseline="B2",
        ),
        Scenario("list", "GET /referrals/ (first page, 50)", "GET", "/api/v1/referrals/", token=ice, baseline="B2"),
    ]
    for depth in depths:
        cursor = seeder.cursor_at_depth(depth)
        scenarios.append(
            Scenario(
                f"list@{depth}",
                f"GET /referrals/ at depth {depth:,}",
                "GET",
                f"/api/v1/referrals/?cursor={cursor}",
                token=ice,
                baseline="list",
                kind="depth",
            )
        )
    scenarios += [
        Scenario(
            "acknowledge",
            "POST /referrals/{id}/acknowledge/",
            "POST",
            ack_paths(0)[0],
            token=ice,
            body="{}",
            paths=ack_paths,
            baseline="B1",
        ),
        Scenario("events", "GET /events/ (first page, 50)", "GET", "/api/v1/events/", token=ice, baseline="B2"),
    ]
    return scenarios


def check_depth_cursor(server: Server, seeder: Seeder, token: str) -> None:
    """Follow the API's own ``next`` links for 4 pages of 200 and check that the cursor computed for depth 800
    lands on the same page 5: the depth cursors used below are the ones a client would hold there."""

    def follow(url: str) -> dict:
        parts = urllib.parse.urlparse(url)
        return server.get(f"{parts.path}?{parts.query}", token)

    page = server.get("/api/v1/referrals/?page_size=200", token)
    for _ in range(4):
        page = follow(page["next"])
    computed = server.get(f"/api/v1/referrals/?page_size=200&cursor={seeder.cursor_at_depth(800)}", token)
    if [r["id"] for r in computed["results"]] != [r["id"] for r in page["results"]]:
        sys.exit("bench: the computed depth cursor does not match the API's own next links")


def machine() -> dict:
    import django
    import gunicorn
    import psycopg2
    import redis

    mem_kb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    except OSError:
        pass
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    try:
        redis_version = redis.Redis.from_url(os.environ["REDIS_URL"]).info()["redis_version"]
    except Exception:  # noqa: BLE001
        redis_version = "?"
    cpu = "?"
    try:
        cpu = next(
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        )
    except (OSError, StopIteration):
        pass
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split("\n")[0]
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "gunicorn": gunicorn.__version__,
        "psycopg2": psycopg2.__version__.split()[0],
        "postgresql": pg,
        "redis": redis_version,
        "wrk": wrk_version.strip(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="10,000 referrals, one short round")
    parser.add_argument("--rows", type=int, help="referrals ICE can see in the large phase (default 1,000,000)")
    parser.add_argument("--duration", type=float, help="seconds per measurement (default 10; quick 3)")
    parser.add_argument("--rounds", type=int, help="interleaved rounds (default 3; quick 1)")
    parser.add_argument("--connections", type=int, help="concurrent connections (default workers x threads)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (default from gunicorn.conf.py)")
    parser.add_argument("--threads", type=int, help="gunicorn threads per worker (default from gunicorn.conf.py)")
    parser.add_argument("--only", help="comma-separated scenario names to run (plus baselines)")
    parser.add_argument("--write-doc", action="store_true", help="write docs/performance.md even in quick mode")
    parser.add_argument("--hold", action="store_true", help="keep the server running after seeding (profiling)")
    parser.add_argument(
        "--profile", action="store_true",
        help="instead of measuring, sample each endpoint with py-spy under wrk load (.data/bench/profile.md)",
    )  # fmt: skip
    args = parser.parse_args()
    quick = args.quick
    duration = args.duration or (3 if quick else 10)
    rounds = args.rounds or (1 if quick else 3)
    warmup = 1 if quick else 2
    small, large = 10_000, (args.rows or 1_000_000)

    started = time.monotonic()
    wrk = ensure_wrk()
    port = free_port()
    env = bench_env(port, args)
    os.environ.update(env)
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    OUT.mkdir(parents=True, exist_ok=True)

    log(f"fresh database {env['DATABASE_URL'].rsplit('/', 1)[-1]}; Redis {env['REDIS_URL']}")
    fresh_database(env["DATABASE_OWNER_URL"])
    subprocess.run(["bash", str(ROOT / "scripts" / "ensure-app-role"), env["DATABASE_OWNER_URL"]], check=True)
    import redis

    redis.Redis.from_url(env["REDIS_URL"]).flushdb()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_agencies")
    creds = {
        code: json.loads(
            manage(env, "agency_client_create", "--agency", code, "--name", f"{code} benchmark",
                   "--scopes", "referrals:read referrals:write pii:read events:read", "--json")
        )
        for code in ("ICE", "CBP")
    }  # fmt: skip

    import django

    django.setup()
    from django.db import connection

    from bench.baselines import TABLE_SQL
    from referral_api.dbroles import owner_connection

    # Seeding (bulk SQL, VACUUM) is the owner's work; the server under test runs as the application role.
    # The stack is held until the end of main(): a discarded one closes the context at once (the generator is
    # collected), and the seeding then ran as the application role, which may not create tables.
    as_owner = contextlib.ExitStack()
    as_owner.enter_context(owner_connection())

    with connection.cursor() as cursor:
        cursor.execute(TABLE_SQL)
        # B1 writes as the application role, like the API: the owner's new table is granted as migrate grants.
        cursor.execute(f'GRANT SELECT, INSERT ON bench_row TO "{connection.settings_dict["APP_USER"]}"')
    seeder = Seeder()
    base = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
    info = machine()
    server = Server(env, port)
    results: dict[str, dict] = {}
    seeding: dict[str, float] = {}
    # Enough acknowledge targets for every round (each referral can be acknowledged once).
    ack_budget = 60_000
    try:
        total_small = int(small / VISIBLE_SHARE) + 200
        log(f"seeding {total_small:,} referrals ({VISIBLE_SHARE:.0%} visible to the reader)")
        seeding["small"] = seeder.seed_to(total_small, base)
        server.start()
        log(f"gunicorn ready on 127.0.0.1:{port}, Server header: {server.server_header!r}")
        tokens = {code: server.token(c) for code, c in creds.items()}
        if args.hold:
            (OUT / "hold.json").write_text(json.dumps({"port": port, "tokens": tokens, "pid": server.proc.pid}))
            log(f"holding: port and tokens in {OUT / 'hold.json'} (Ctrl-C or SIGTERM to stop)")
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            signal.pause()
        check_depth_cursor(server, seeder, tokens["ICE"])
        connections = args.connections or int(env.get("GUNICORN_WORKERS", 2 * os.cpu_count())) * int(
            env.get("GUNICORN_THREADS", 2)
        )
        pool_small = seeder.ack_ids(min(ack_budget, total_small // 2 - 200))
        scenarios = build_scenarios(seeder, tokens, depths=[small], ack_pool=pool_small, rounds_total=rounds + 1)
        if args.only:
            keep = set(args.only.split(",")) | {"B0", "B1", "B2"}
            scenarios = [s for s in scenarios if s.name in keep or s.name.split("@")[0] in keep]
        if args.profile:
            from bench.profile import profile

            summary = profile(
                scenarios,
                run_wrk=lambda scenario, seconds: scenario.run(wrk, server, seconds, connections, record=False),
                server_pid=server.proc.pid,
                duration=args.duration or 10,
                out=OUT,
            )
            (OUT / "profile.md").write_text(summary + "\n")
            print("\n" + summary)
            log(f"profiles in {OUT / 'profile.md'} (raw stacks: {OUT}/profile-*.txt)")
            return
        results["small"] = phase(
            f"{small:,} referrals", scenarios, wrk=wrk, server=server, rounds=rounds, duration=duration,
            warmup=warmup, connections=connections,
        )  # fmt: skip
        results["small"]["_visible"] = {"rows": seeder.visible_count()}
        if not quick:
            server.stop()
            total_large = int(large / VISIBLE_SHARE) + 10_000
            log(f"seeding up to {total_large:,} referrals")
            seeding["large"] = seeder.seed_to(total_large, base)
            server.start()
            tokens = {code: server.token(c) for code, c in creds.items()}
            pool_large = seeder.ack_ids(ack_budget)
            scenarios = build_scenarios(
                seeder, tokens, depths=[small, large], ack_pool=pool_large, rounds_total=rounds + 1
            )
            if args.only:
                scenarios = [s for s in scenarios if s.name in keep or s.name.split("@")[0] in keep]
            results["large"] = phase(
                f"{large:,} referrals", scenarios, wrk=wrk, server=server, rounds=rounds, duration=duration,
                warmup=warmup, connections=connections,
            )  # fmt: skip
            results["large"]["_visible"] = {"rows": seeder.visible_count()}
    finally:
        server.stop()
        as_owner.close()
    elapsed = time.monotonic() - started
    run = {
        "mode": "quick" if quick else "full",
        "command": "make bench" + (" BENCH_ARGS=--quick" if quick else ""),
        "args": sys.argv[1:],
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": info,
        "gunicorn": {
            "workers": int(env.get("GUNICORN_WORKERS", 2 * os.cpu_count())),
            "threads": int(env.get("GUNICORN_THREADS", 2)),
            "worker_class": "gthread",
        },
        "connections": connections,
        "duration_s": duration,
        "rounds": rounds,
        "seeding_s": seeding,
        "elapsed_s": elapsed,
        "results": results,
    }
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (OUT / f"results-{stamp}.json").write_text(json.dumps(run, indent=2, default=str))
    report = render(run)
    print("\n" + report)
    if quick and not args.write_doc:
        (OUT / "performance-quick.md").write_text(report)
        log(f"quick mode: report in {OUT / 'performance-quick.md'} (docs/performance.md is written by a full run)")
    else:
        write_doc(report)
        log(f"wrote {DOC.relative_to(ROOT)}")
    log(f"done in {elapsed / 60:.1f} min")


# --- report ----------------------------------------------------------------------------------------------------
TARGETS = {
    # scenario: (compare, baseline, minimum ratio) -- throughput ratios unless "p95"
    "create": ("rps", "B1", 0.35),
    "retrieve": ("rps", "B2", 0.6),
    "list": ("rps", "B2", 0.4),
    "B2": ("rps", "B0", 0.5),
}


def render(run: dict) -> str:
    m = run["machine"]
    lines = [
        f"Run: {run['date']}, `{run['command']}` ({run['mode']} mode), {run['elapsed_s'] / 60:.1f} minutes.",
        "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gib']} GiB; Linux {m['kernel']}; Python {m['python']}, "
        f"Django {m['django']}, gunicorn {m['gunicorn']} ({run['gunicorn']['workers']} workers x "
        f"{run['gunicorn']['threads']} threads, gthread), PostgreSQL {m['postgresql']}, Redis {m['redis']}, "
        f"psycopg2 {m['psycopg2']}; load from {m['wrk']}, 1 thread, {run['connections']} keep-alive connections "
        f"on loopback, {run['rounds']} interleaved round(s) of {run['duration_s']:.0f} s per endpoint (medians).",
        "",
    ]
    verdicts = []
    for key, res in run["results"].items():
        visible = res["_visible"]["rows"]
        lines += [
            f"**{visible:,} referrals visible to the reading agency** "
            f"({'small' if key == 'small' else 'large'} phase; seeded in {run['seeding_s'][key]:.0f} s)",
            "",
            "| Endpoint | req/s | p50 ms | p95 ms | p99 ms | vs baseline | errors |",
            "|---|---:|---:|---:|---:|---|---:|",
        ]
        for name, r in res.items():
            if name.startswith("_"):
                continue
            ratio = ""
            if r["baseline"] and r["baseline"] in res:
                b = res[r["baseline"]]
                if r["kind"] == "depth":
                    ratio = f"p95 {r['p95_ms'] / b['p95_ms']:.2f} x first page"
                else:
                    ratio = f"{r['rps'] / b['rps']:.2f} x {r['baseline']}"
            lines.append(
                f"| {r['label']} | {r['rps']:.0f} | {r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f} | "
                f"{ratio} | {r['errors']} |"
            )
        lines.append("")
    final = run["results"].get("large") or run["results"]["small"]
    for name, (_, base_name, minimum) in TARGETS.items():
        if name in final and base_name in final:
            ratio = final[name]["rps"] / final[base_name]["rps"]
            verdicts.append((f"{final[name]['label']} >= {minimum} x {base_name} throughput", ratio, minimum))
    for name, r in final.items():
        if not name.startswith("_") and r.get("kind") == "depth":
            ratio = r["p95_ms"] / final["list"]["p95_ms"]
            verdicts.append((f"{r['label']}: p95 <= 1.3 x first-page p95", ratio, -1.3))
    lines += ["| Target | measured | met |", "|---|---:|---|"]
    for text, ratio, minimum in verdicts:
        ok = ratio <= -minimum if minimum < 0 else ratio >= minimum
        lines.append(f"| {text} | {ratio:.2f} | {'yes' if ok else 'NO'} |")
    lines.append("")
    if "large" in run["results"]:
        small, large = run["results"]["small"], run["results"]["large"]
        lines += [
            "Growth from the small to the large table (same endpoints, same run):",
            "",
            "| Endpoint | p95 ms small | p95 ms large | req/s small | req/s large |",
            "|---|---:|---:|---:|---:|",
        ]
        for name in ("retrieve", "list", "list@10000", "acknowledge", "create", "events"):
            if name in small and name in large:
                lines.append(
                    f"| {large[name]['label']} | {small[name]['p95_ms']:.1f} | {large[name]['p95_ms']:.1f} | "
                    f"{small[name]['rps']:.0f} | {large[name]['rps']:.0f} |"
                )
        deep = [n for n in large if n.startswith("list@") and n != "list@10000"]
        for name in deep:
            lines.append(f"| {large[name]['label']} | - | {large[name]['p95_ms']:.1f} | - | {large[name]['rps']:.0f} |")
        lines.append("")
    return "\n".join(lines)


def write_doc(report: str) -> None:
    text = DOC.read_text() if DOC.exists() else f"# Performance\n\n{START}\n{END}\n"
    if START not in text:
        text += f"\n{START}\n{END}\n"
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{START}\n{report}\n{END}{tail}")


if __name__ == "__main__":
    main()
