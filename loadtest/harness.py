"""The stack under test, on loopback: a fresh PostgreSQL database, gunicorn with production settings, a Celery
worker (with beat), a webhook receiver, and locust driving the API. Shared by run.py and faults.py.

Everything listens on 127.0.0.1 only. The Redis database named by REDIS_URL is used (and flushed) by the run.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
AGENCIES = ("CBP", "ICE", "USCIS")
SCOPES = "referrals:read referrals:write pii:read events:read webhooks:manage"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Receiver:
    """Webhook endpoint on loopback: counts deliveries by (path, webhook-id); answers 200."""

    def __init__(self):
        self.seen: dict[tuple[str, str], int] = {}
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                self.rfile.read(int(self.headers.get("content-length") or 0))
                key = (self.path, self.headers.get("webhook-id", ""))
                with receiver.lock:
                    receiver.seen[key] = receiver.seen.get(key, 0) + 1
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def unique(self) -> int:
        with self.lock:
            return len(self.seen)

    def duplicates(self) -> int:
        with self.lock:
            return sum(n - 1 for n in self.seen.values())

    def stop(self):
        self.server.shutdown()


class Stack:
    def __init__(self, *, database_url: str, db_name: str, redis_url: str, workdir: Path, gunicorn_workers: int = 3):
        self.workdir = workdir
        workdir.mkdir(parents=True, exist_ok=True)
        parts = urlsplit(database_url)
        self.pg = {"host": parts.hostname or "127.0.0.1", "port": str(parts.port or 5432), "user": parts.username}
        self.db_name = db_name
        self.database_url = parts._replace(path="/" + db_name).geturl()
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.gunicorn_workers = gunicorn_workers
        self.processes: dict[str, subprocess.Popen] = {}
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "referral_api.settings",
            "DJANGO_DEBUG": "false",  # production settings
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "BLIND_INDEX_KEY": secrets.token_hex(32),
            "OAUTH_ISSUER": "https://loadtest.invalid",
            "CLIENT_SECRET_HASH_KEYS": secrets.token_urlsafe(32),
            "DATABASE_URL": self.database_url,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",  # plain HTTP on loopback (TLS would be at a proxy)
            "REDIS_URL": redis_url,
            "CELERY_BROKER_URL": redis_url,
            "CACHE_KEY_PREFIX": f"loadtest-{secrets.token_hex(3)}",
            # Measure capacity, not the per-client limit (tested in tests/security); tokens are reused per user.
            "API_RATE_LIMIT": "1000000/min",
            "TOKEN_RATE_LIMIT": "100000/min",
            "WEBHOOK_ALLOW_PRIVATE_URLS": "true",  # the receiver is on loopback
            "WEBHOOK_RETRY_DELAYS": "1,2,3,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5",
            "REFERRAL_API_DATA_DIR": str(workdir / "data"),
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("DJANGO_SECURE_PROXY_SSL_HEADER", None)
        self.redis_url = redis_url

    # --- set-up -------------------------------------------------------------------------------------------
    def psql(self, *args: str, db: str = "postgres") -> None:
        cmd = ["psql", "-h", self.pg["host"], "-p", self.pg["port"], "-d", db, "-v", "ON_ERROR_STOP=1", "-q"]
        if self.pg["user"]:
            cmd += ["-U", self.pg["user"]]
        subprocess.run([*cmd, *args], check=True, capture_output=True, text=True)

    def fresh_database(self) -> None:
        log(f"fresh database {self.db_name}")
        self.psql("-c", f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')
        self.psql("-c", f'CREATE DATABASE "{self.db_name}"')

    def flush_redis(self) -> None:
        import redis

        redis.Redis.from_url(self.redis_url).flushdb()

    def manage(self, *args: str, capture: bool = True) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=capture, text=True
        )
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def set_up(self, clients_per_agency: int) -> list[dict]:
        self.fresh_database()
        self.flush_redis()
        log("migrate, seed_agencies")
        self.manage("migrate", "--noinput")
        self.manage("seed_agencies")
        clients = []
        for agency in AGENCIES:
            for n in range(clients_per_agency):
                out = self.manage(
                    "agency_client_create", "--agency", agency, "--name", f"load {agency} {n}", "--scopes", SCOPES,
                    "--json",
                )  # fmt: skip
                clients.append(json.loads(out))
        log(f"{len(clients)} clients created ({clients_per_agency} per agency)")
        (self.workdir / "clients.json").write_text(json.dumps(clients))
        return clients

    def subscribe(self, clients: list[dict], receiver: Receiver) -> None:
        """One webhook subscription per agency, all event types, to the loopback receiver."""
        done = set()
        for client in clients:
            if client["agency"] in done:
                continue
            token = self.token(client)
            body = json.dumps(
                {
                    "url": f"{receiver.base}/hook/{client['agency']}",
                    "event_types": [
                        "referral.created",
                        "referral.updated",
                        "referral.status_changed",
                        "referral.note_added",
                        "referral.attachment_added",
                        "referral.overdue",
                    ],
                }
            ).encode()
            status, _ = self.request("POST", "/api/v1/webhooks/", body, token)
            assert status == 201, status
            done.add(client["agency"])

    # --- HTTP helpers -------------------------------------------------------------------------------------
    def request(self, method: str, path: str, body: bytes | None = None, token: str | None = None, timeout=10):
        headers = {"Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        req = urllib.request.Request(self.base_url + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def token(self, client: dict) -> str:
        basic = base64.b64encode(f"{client['client_id']}:{client['client_secret']}".encode()).decode()
        req = urllib.request.Request(
            self.base_url + "/oauth/token/",
            data=b"grant_type=client_credentials",
            method="POST",
            headers={"Authorization": f"Basic {basic}", "Content-Type": "application/x-www-form-urlencoded"},
        )
        with urllib.request.urlopen(req, timeout=10) as response:
            return json.loads(response.read())["access_token"]

    # --- processes ----------------------------------------------------------------------------------------
    def _spawn(self, name: str, cmd: list[str]) -> subprocess.Popen:
        out = open(self.workdir / f"{name}.log", "ab")
        # Own session: a worker and its pool children can be killed as a group without touching this process.
        process = subprocess.Popen(
            cmd, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes[name] = process
        return process

    def start_api(self) -> None:
        cmd = [str(VENV_BIN / "gunicorn")]
        if (ROOT / "gunicorn.conf.py").exists():
            cmd += ["-c", str(ROOT / "gunicorn.conf.py")]
        cmd += [
            "-b", f"127.0.0.1:{self.port}", "-k", "gthread", "-w", str(self.gunicorn_workers), "--threads", "4",
            "--timeout", "35", "referral_api.wsgi:application",
        ]  # fmt: skip
        log(f"gunicorn on {self.base_url} ({self.gunicorn_workers} workers x 4 threads)")
        self._spawn("gunicorn", cmd)
        self.wait_ready()

    def start_worker(self, name: str = "worker") -> subprocess.Popen:
        cmd = [str(VENV_BIN / "celery"), "-A", "referral_api", "worker", "-B", "-l", "warning", "-c", "2",
               "-n", f"{name}-{secrets.token_hex(2)}@%h",
               "--schedule", str(self.workdir / f"celerybeat-{name}")]  # fmt: skip
        log(f"celery worker {name} (with beat)")
        return self._spawn(name, cmd)

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.request("GET", "/readyz", timeout=2)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"the API did not become ready in {timeout} s; see {self.workdir}/gunicorn.log")

    def kill(self, name: str, sig=signal.SIGKILL) -> None:
        process = self.processes.get(name)
        if process and process.poll() is None:
            # The worker's children (prefork pool, beat) go with it: kill the process group we started.
            try:
                os.killpg(os.getpgid(process.pid), sig) if name.startswith("worker") else process.send_signal(sig)
            except ProcessLookupError:
                pass

    def stop(self) -> None:
        for process in list(self.processes.values()):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()

    # --- load ---------------------------------------------------------------------------------------------
    def locust(self, *, users: int, spawn_rate: float, run_time: str, out: Path) -> subprocess.Popen:
        env = {**self.env, "LOADTEST_CLIENTS": str(self.workdir / "clients.json"), "LOADTEST_OUT": str(out)}
        cmd = [
            str(VENV_BIN / "locust"), "-f", str(ROOT / "loadtest" / "locustfile.py"), "--headless",
            "-u", str(users), "-r", str(spawn_rate), "-t", run_time, "--host", self.base_url,
            "--csv", str(self.workdir / "locust"), "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING",
        ]  # fmt: skip
        log(f"locust: {users} users for {run_time}")
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=open(self.workdir / "locust.log", "wb"),
                                stderr=subprocess.STDOUT)  # fmt: skip

    def verify(self, results: Path) -> dict:
        """Check the database against what the API acknowledged (loadtest/verify.py, in a subprocess)."""
        result = subprocess.run(
            [sys.executable, str(ROOT / "loadtest" / "verify.py"), str(results)],
            cwd=ROOT, env=self.env, capture_output=True, text=True,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(result.stderr[-3000:])
        return json.loads(result.stdout.strip().splitlines()[-1])


def percentiles_from_csv(prefix: Path) -> dict:
    """The aggregated row of locust's ``<prefix>_stats.csv``."""
    import csv

    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": round(float(total["Requests/s"]), 1),
        "p50_ms": int(float(total["50%"])),
        "p95_ms": int(float(total["95%"])),
        "p99_ms": int(float(total["99%"])),
        "max_ms": int(float(total["Max Response Time"])),
        "by_name": {
            row["Name"]: {"n": int(row["Request Count"]), "p50": int(float(row["50%"])), "p95": int(float(row["95%"]))}
            for row in rows
            if row["Name"] != "Aggregated"
        },
    }


def require_tools() -> None:
    for tool in ("psql",):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is needed on PATH")


def integrity_failures(report: dict) -> list[str]:
    """What the database check found wrong: every 201 stored once, with its status event, audit row, outbox
    event, and every delivery received by the webhook receiver."""
    failures = [
        f"{key} = {report[key]}"
        for key in (
            "lost",
            "missing_status_event",
            "missing_audit",
            "missing_outbox_event",
            "duplicate_external_references",
        )
        if report[key]
    ]
    if report["webhooks_received_unique"] < report["deliveries_total"]:
        failures.append(f"webhooks: {report['webhooks_received_unique']} of {report['deliveries_total']} received")
    return failures
