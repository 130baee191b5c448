"""API10:2023 Unsafe consumption of APIs: what the service does with its webhook receivers' answers.

The only third-party answers the service consumes are webhook receivers'. Only the status code is used: a
redirect is not followed (a 3xx is a failed attempt, retried later), the body is never read or stored, a slow
receiver times out. The delivery details are tested in tests/events/test_delivery.py and test_ssrf.py; here,
end to end from the API.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.security.conftest import referral_body


class HostileReceiver:
    """Answers every POST with ``status``, a ``Location`` to another local server, and a large body."""

    def __init__(self, status: int, body_size: int = 5 * 1024 * 1024):
        self.hits = []
        self.other_hits = []
        receiver = self

        class Other(BaseHTTPRequestHandler):
            def do_POST(self):
                receiver.other_hits.append(self.path)
                self.send_response(200)
                self.end_headers()

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.other = ThreadingHTTPServer(("127.0.0.1", 0), Other)
        other_url = f"http://127.0.0.1:{self.other.server_address[1]}/stolen"

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("content-length") or 0))
                receiver.hits.append(self.path)
                self.send_response(status)
                self.send_header("Location", other_url)
                self.send_header("Content-Length", str(body_size))
                self.end_headers()
                try:
                    self.wfile.write(b"<script>alert(1)</script>" + b"x" * (body_size - 25))
                except OSError:
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        for server in (self.server, self.other):
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def stop(self):
        for server in (self.server, self.other):
            server.shutdown()
            server.server_close()


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirects_are_not_followed_and_bodies_not_kept(seeded, settings, token_client, status):
    from events.delivery import delivery_attempt
    from events.models import Delivery, DeliveryAttempt

    receiver = HostileReceiver(status)
    try:
        settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
        cbp = token_client("CBP")
        hook = cbp.post("/api/v1/webhooks/", {"url": receiver.url, "event_types": ["referral.created"]}, format="json")
        assert hook.status_code == 201
        assert cbp.post("/api/v1/referrals/", referral_body(), format="json").status_code == 201
        delivery = Delivery.objects.get(subscription_id=hook.json()["id"])
        assert delivery_attempt(str(delivery.id)) == "pending"  # a failure, retried later
        assert len(receiver.hits) == 1
        assert receiver.other_hits == []
        delivery.refresh_from_db()
        assert delivery.last_status_code == status
        attempt = DeliveryAttempt.objects.get(delivery=delivery)
        stored = " ".join(str(getattr(attempt, f.name)) for f in DeliveryAttempt._meta.fields)
        assert "script" not in stored and "stolen" not in stored
        # What the partner sees about the attempt carries no receiver content either.
        log = cbp.get(f"/api/v1/webhooks/{hook.json()['id']}/deliveries/")
        assert log.status_code == 200
        assert b"script" not in log.content and b"stolen" not in log.content
    finally:
        receiver.stop()


def test_a_2xx_with_a_hostile_body_is_a_success_and_nothing_more(seeded, settings, token_client):
    from events.delivery import delivery_attempt
    from events.models import Delivery

    receiver = HostileReceiver(200)
    try:
        settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
        cbp = token_client("CBP")
        hook = cbp.post("/api/v1/webhooks/", {"url": receiver.url, "event_types": ["referral.created"]}, format="json")
        cbp.post("/api/v1/referrals/", referral_body(), format="json")
        delivery = Delivery.objects.get(subscription_id=hook.json()["id"])
        assert delivery_attempt(str(delivery.id)) == "succeeded"
        assert receiver.other_hits == []
    finally:
        receiver.stop()
