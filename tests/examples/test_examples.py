"""The integrator's kit end to end: the typed client, both runnable examples and the Standard Webhooks
reference library, against a live server on loopback.

The receiving example verifies every delivery with ``standardwebhooks`` (the reference implementation), so a
pass here proves our signatures against code that is not ours. Deliveries run in-process (Celery's eager mode,
as in a development run without a worker) so that this file does not share a broker queue with the worker
tests running in parallel.
"""

from __future__ import annotations

import base64
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLIENT_PATH = ROOT / "clients" / "python"
sys.path.insert(0, str(CLIENT_PATH))

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def live_api(transactional_db, settings):
    """A live server of this test's own, with in-process webhook delivery to loopback URLs."""
    from pytest_django.live_server_helper import LiveServer

    from referral_api.celery import app

    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    server = LiveServer("127.0.0.1")
    server._live_server_modified_settings.enable()
    try:
        yield server.url
    finally:
        server._live_server_modified_settings.disable()
        server.stop()
        app.conf.task_always_eager = eager


def _env(url: str, issued, **extra) -> dict:
    return {
        **os.environ,
        "PYTHONPATH": str(CLIENT_PATH),
        "REFERRAL_API_URL": url,
        "CLIENT_ID": issued.client.client_id,
        "CLIENT_SECRET": issued.client_secret,
        **extra,
    }


class ReceiverProcess:
    """examples/receive_webhooks.py in a subprocess; its output lines are collected."""

    def __init__(self, env: dict):
        self.process = subprocess.Popen(
            [sys.executable, "-u", str(ROOT / "examples" / "receive_webhooks.py")],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        first = self.process.stdout.readline()
        assert first.startswith("listening on"), first
        import threading

        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip())

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture
def parties(make_client):
    cbp = make_client("CBP", "referrals:read referrals:write events:read")
    ice = make_client("ICE", "referrals:read referrals:write webhooks:manage")
    return cbp, ice


def test_send_and_receive_examples_close_the_loop(live_api, parties):
    from partner_referral_api_client.api.webhooks import webhooks_create
    from partner_referral_api_client.models import WebhookSubscriptionCreateInputRequest
    from partner_referral_api_client.session import connect

    from referrals.models import Referral

    cbp, ice = parties
    port = _free_port()
    ice_api = connect(live_api, client_id=ice.client.client_id, client_secret=ice.client_secret)
    subscription = webhooks_create.sync(
        client=ice_api,
        body=WebhookSubscriptionCreateInputRequest.from_dict(
            {"url": f"http://127.0.0.1:{port}/", "event_types": ["referral.created"], "description": "example"}
        ),
    )
    receiver = ReceiverProcess(_env(live_api, ice, WEBHOOK_SECRET=subscription.secret, PORT=str(port)))
    try:
        sender = subprocess.run(
            [sys.executable, str(ROOT / "examples" / "send_referral.py")],
            env=_env(live_api, cbp, EXAMPLE_TIMEOUT="60"),
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert sender.returncode == 0, sender.stdout + sender.stderr + "\n".join(receiver.lines)
        referral = Referral.objects.get()
        assert referral.status == "acknowledged"
        assert f"acknowledged {referral.reference} by ICE" in sender.stdout
        assert any(line.startswith(f"received {referral.reference}") for line in receiver.lines)
    finally:
        receiver.stop()


def test_receiver_refuses_a_forged_delivery_and_handles_a_duplicate_once(live_api, parties):
    import httpx
    from partner_referral_api_client.api.webhooks import webhooks_create
    from partner_referral_api_client.models import WebhookSubscriptionCreateInputRequest
    from partner_referral_api_client.session import connect
    from standardwebhooks.webhooks import Webhook

    _, ice = parties
    port = _free_port()
    ice_api = connect(live_api, client_id=ice.client.client_id, client_secret=ice.client_secret)
    subscription = webhooks_create.sync(
        client=ice_api,
        body=WebhookSubscriptionCreateInputRequest.from_dict(
            {"url": f"http://127.0.0.1:{port}/", "event_types": ["referral.created"], "description": "example"}
        ),
    )
    receiver = ReceiverProcess(_env(live_api, ice, WEBHOOK_SECRET=subscription.secret, PORT=str(port)))
    try:
        event = {
            "id": str(uuid.uuid4()),
            "type": "referral.note_added",
            "occurred_at": "2026-12-01T00:00:00Z",
            "referral": {"id": str(uuid.uuid4()), "reference": "REF-X"},
            "data": {},
        }
        import json

        body = json.dumps(event)
        msg_id = f"msg_{uuid.uuid4().hex}"
        now = int(time.time())
        import datetime

        signature = Webhook(subscription.secret).sign(msg_id, datetime.datetime.fromtimestamp(now, datetime.UTC), body)
        headers = {"webhook-id": msg_id, "webhook-timestamp": str(now), "webhook-signature": signature}
        url = f"http://127.0.0.1:{port}/"
        assert httpx.post(url, content=body, headers=headers).status_code == 204
        assert httpx.post(url, content=body, headers=headers).status_code == 204  # a redelivery: accepted, not redone
        forged_key = "whsec_" + base64.b64encode(b"k" * 32).decode()
        forged = {
            **headers,
            "webhook-signature": Webhook(forged_key).sign(msg_id, datetime.datetime.now(datetime.UTC), body),
        }
        assert httpx.post(url, content=body, headers=forged).status_code == 400
    finally:
        receiver.stop()


def test_typed_client_pages_renews_tokens_and_sends_if_match(live_api, make_client):
    from partner_referral_api_client.api.referrals import (
        referrals_create,
        referrals_list,
        referrals_partial_update,
        referrals_retrieve,
    )
    from partner_referral_api_client.models import PatchedReferralUpdateRequest, ReferralCreateRequest
    from partner_referral_api_client.session import connect, last_etag

    from tests.referrals.conftest import referral_body

    cbp = make_client("CBP", "referrals:read referrals:write")
    api = connect(live_api, client_id=cbp.client.client_id, client_secret=cbp.client_secret)
    for _ in range(5):
        answer = referrals_create.sync_detailed(client=api, body=ReferralCreateRequest.from_dict(referral_body()))
        assert answer.status_code == 201, answer.content
    assert len(list(pages(referrals_list, api, page_size=2))) == 5

    api.get_httpx_client().auth.tokens._token = "no-longer-valid"  # as after a revocation: 401, renew once
    first = referrals_list.sync(client=api, page_size=1).results[0]
    read = referrals_retrieve.sync(client=api, id=first.id)
    updated = referrals_partial_update.sync_detailed(
        client=api,
        id=read.id,
        if_match=last_etag(api, read.id),
        body=PatchedReferralUpdateRequest.from_dict({"summary": "Updated summary"}),
    )
    assert updated.status_code == 200, updated.content  # If-Match came from the read's ETag
    assert updated.headers["ETag"] == f'"{read.version + 1}"'


def pages(operation, api, **params):
    from partner_referral_api_client.session import pages as _pages

    return _pages(operation, api, **params)


AGENCY = {"code": "CBP", "name": "U.S. Customs and Border Protection"}


def _scripted(handler):
    return {"transport": __import__("httpx").MockTransport(handler), "client_id": "c", "client_secret": "s"}


def test_typed_client_retries_429_and_503_honouring_retry_after():
    """The retry policy itself, on a scripted transport (the server side of 429/503 is tested elsewhere)."""
    import httpx
    from partner_referral_api_client.api.identity import me
    from partner_referral_api_client.session import connect

    answers = iter(
        [
            httpx.Response(200, json={"access_token": "t1", "token_type": "Bearer", "expires_in": 900}),
            httpx.Response(429, headers={"Retry-After": "7"}, json={"status": 429}),
            httpx.Response(503, headers={"Retry-After": "2"}, json={"status": 503}),
            httpx.Response(
                200, json={"client_id": "c", "client_name": "n", "agency": {"code": "CBP", "name": "x"}, "scopes": []}
            ),
        ]
    )
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return next(answers)

    slept: list[float] = []
    api = connect(
        "http://api.invalid",
        client_id="c",
        client_secret="s",
        transport=httpx.MockTransport(handler),
        sleep=slept.append,
    )
    assert me.sync(client=api).agency.code == "CBP"
    assert slept == [7.0, 2.0]
    assert [r.url.path for r in seen] == ["/oauth/token/", "/api/v1/me/", "/api/v1/me/", "/api/v1/me/"]


def test_typed_client_sends_one_idempotency_key_per_write_and_reuses_it_on_retry():
    import httpx
    from partner_referral_api_client.session import connect

    answers = iter(
        [
            httpx.Response(200, json={"access_token": "t1", "token_type": "Bearer", "expires_in": 900}),
            httpx.Response(503, headers={"Retry-After": "0"}),
            httpx.Response(202, json={}),
        ]
    )
    seen: list[httpx.Request] = []

    def handler(request):
        seen.append(request)
        return next(answers)

    api = connect(
        "http://api.invalid",
        client_id="c",
        client_secret="s",
        transport=httpx.MockTransport(handler),
        sleep=lambda s: None,
    )
    api.get_httpx_client().post("/api/v1/referrals/x/acknowledge/", json={})
    keys = {r.headers["Idempotency-Key"] for r in seen[1:]}
    assert len(keys) == 1 and len(seen) == 3


def test_client_package_installs_with_pip(tmp_path):
    import shutil

    source = shutil.copytree(CLIENT_PATH, tmp_path / "python", ignore=shutil.ignore_patterns("__pycache__"))
    target = tmp_path / "site"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (target / "partner_referral_api_client" / "session.py").exists()
    assert (target / "partner_referral_api_client" / "api" / "referrals" / "referrals_create.py").exists()
