"""Test helpers: emitting events, a real HTTP receiver on loopback, a real Celery worker subprocess."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def emit(event_type="referral.created", agencies=("CBP", "ICE"), actor="CBP", data=None, referral_id=None, n=None):
    from events.services import event_emit

    referral_id = referral_id or uuid.uuid4()
    event_emit(
        event_type=event_type,
        referral_id=referral_id,
        reference=f"REF-2026-{n if n is not None else 1:06d}",
        agency_codes=list(agencies),
        actor_agency=actor,
        data=data if data is not None else {"to_status": "submitted"},
    )
    return referral_id


def subscribe(agency: str = "ICE", *, url: str, event_types: list[str]):
    """Subscribe ``url`` for a new client of ``agency`` through the service; returns (subscription, secret)."""
    from events.services import webhook_subscription_create
    from tests.factories import ClientFactory, audit_context_of

    client = ClientFactory(agency__code=agency)
    return webhook_subscription_create(
        client=client, url=url, event_types=event_types, context=audit_context_of(client)
    )


class Receiver:
    """A webhook endpoint on 127.0.0.1: records every request; ``status`` decides the answer."""

    def __init__(self, port: int = 0):
        self.requests: list[dict] = []
        self.status = 200
        self.delay = 0.0
        self.lock = threading.Lock()
        self.hold = threading.Event()  # while set, requests block until it is cleared
        self.arrived = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                with receiver.lock:
                    receiver.requests.append(
                        {"headers": {k.lower(): v for k, v in self.headers.items()}, "body": body, "path": self.path}
                    )
                receiver.arrived.set()
                while receiver.hold.is_set():
                    time.sleep(0.05)
                if receiver.delay:
                    time.sleep(receiver.delay)
                status = receiver.status(self.path) if callable(receiver.status) else receiver.status
                self.send_response(status)
                if 300 <= status < 400:
                    self.send_header("Location", "http://127.0.0.1:1/elsewhere")
                self.send_header("content-length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    @property
    def port(self) -> int:
        return self.server.server_address[1]

    def event_ids(self) -> list[str]:
        import json

        with self.lock:
            return [json.loads(r["body"])["id"] for r in self.requests]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def wait_for(predicate, timeout=15.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


def database_url() -> str:
    """The pytest database as a URL for a subprocess (a socket directory host, as the embedded server's, is
    percent-encoded: django-environ decodes it)."""
    from urllib.parse import quote

    db = connection.settings_dict
    host = quote(db["HOST"] or "", safe="") if (db["HOST"] or "").startswith("/") else (db["HOST"] or "")
    port = f":{db['PORT']}" if db.get("PORT") else ""
    password = f":{quote(db['PASSWORD'], safe='')}" if db.get("PASSWORD") else ""
    return f"postgres://{quote(db['USER'] or '', safe='')}{password}@{host}{port}/{db['NAME']}"


class Worker:
    """``celery -A referral_api worker`` against the pytest database and our Redis database."""

    def __init__(self, **extra_env):
        self.env = {
            **os.environ,
            "DJANGO_DEBUG": "true",
            "DATABASE_URL": database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "WEBHOOK_ALLOW_PRIVATE_URLS": "true",
            "WEBHOOK_RETRY_DELAYS": "0.3,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5,0.5",
            "WEBHOOK_DELIVERY_LEASE_SECONDS": "2",
            "WEBHOOK_CONNECT_TIMEOUT": "0.5",
            "WEBHOOK_READ_TIMEOUT": "1.2",
            **extra_env,
        }
        self.process: subprocess.Popen | None = None

    def start(self):
        celery = os.path.join(os.path.dirname(sys.executable), "celery")
        self.process = subprocess.Popen(
            [
                celery,
                "-A",
                "referral_api",
                "worker",
                "-l",
                "warning",
                "-c",
                "2",
                "-P",
                "prefork",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"events-test-{uuid.uuid4().hex[:8]}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        from referral_api.celery import app

        assert wait_for(lambda: bool(app.control.ping(timeout=0.3)), timeout=20), "worker did not start"

    def kill(self):
        """SIGKILL the worker and its children at once (a crash: no clean shutdown, no ack)."""
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
