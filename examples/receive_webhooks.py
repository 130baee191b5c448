"""An ICE case system: receive webhooks, verify them, fetch each new referral and acknowledge it.

    pip install ./clients/python standardwebhooks
    # once: subscribe a public https URL that reaches this receiver, and keep the secret it prints
    REFERRAL_API_URL=... CLIENT_ID=... CLIENT_SECRET=... python examples/receive_webhooks.py --subscribe URL
    # then serve
    REFERRAL_API_URL=... CLIENT_ID=... CLIENT_SECRET=... WEBHOOK_SECRET=whsec_... PORT=8080 \
        python examples/receive_webhooks.py

The client needs referrals:read and referrals:write (and webhooks:manage for --subscribe). Signatures are
verified with the Standard Webhooks reference library (`standardwebhooks`), not with code of ours; deliveries
are at least once, so each `webhook-id` is handled once (kept in memory here: a real system keeps it in its
database). The receiver answers 204 at once and does the work on a thread, so slow API calls never make the
sender retry.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from partner_referral_api_client.api.lifecycle import referrals_acknowledge
from partner_referral_api_client.api.referrals import referrals_retrieve
from partner_referral_api_client.api.webhooks import webhooks_create
from partner_referral_api_client.models import WebhookSubscriptionCreateInputRequest
from partner_referral_api_client.session import connect
from standardwebhooks.webhooks import Webhook, WebhookVerificationError


def subscribe(api, url: str) -> int:
    body = WebhookSubscriptionCreateInputRequest.from_dict(
        {"url": url, "event_types": ["referral.created"], "description": "example receiver"}
    )
    created = webhooks_create.sync(client=api, body=body)
    print(f"subscribed {created.id}; set WEBHOOK_SECRET={created.secret} (shown once)")
    return 0


def handle(api, event: dict) -> None:
    """Fetch a new referral and acknowledge it if that is allowed now."""
    if event["type"] != "referral.created":
        return
    referral = referrals_retrieve.sync(client=api, id=event["referral"]["id"])
    print(f"received {referral.reference}: {referral.referral_type} from {referral.sender.agency}", flush=True)
    if "acknowledge" in referral.allowed_actions:
        done = referrals_acknowledge.sync(client=api, id=referral.id)
        print(f"acknowledged {done.reference}, status {done.status}", flush=True)


def serve(api, secret: str, port: int) -> None:
    verifier = Webhook(secret)
    seen: set[str] = set()
    seen_lock = threading.Lock()
    work: queue.Queue[dict] = queue.Queue()

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            try:
                event = verifier.verify(body, dict(self.headers))
            except WebhookVerificationError:
                self.send_response(400)
                self.end_headers()
                return
            with seen_lock:
                duplicate = self.headers["webhook-id"] in seen
                seen.add(self.headers["webhook-id"])
            self.send_response(204)
            self.end_headers()
            if not duplicate:
                work.put(event)

        def log_message(self, *args):
            pass

    def worker():
        while True:
            event = work.get()
            try:
                handle(api, event)
            except Exception as exc:  # noqa: BLE001 - keep receiving; a real system would retry from its store
                print(f"could not handle {event.get('id')}: {exc!r}", file=sys.stderr, flush=True)

    threading.Thread(target=worker, daemon=True).start()
    server = ThreadingHTTPServer(("127.0.0.1", port), Receiver)
    print(f"listening on http://127.0.0.1:{server.server_port}/", flush=True)
    server.serve_forever()


def main(argv: list[str]) -> int:
    api = connect(
        os.environ["REFERRAL_API_URL"], client_id=os.environ["CLIENT_ID"], client_secret=os.environ["CLIENT_SECRET"]
    )
    if argv[:1] == ["--subscribe"] and len(argv) == 2:
        return subscribe(api, argv[1])
    serve(api, os.environ["WEBHOOK_SECRET"], int(os.environ.get("PORT", "8080")))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
