"""API7:2023 Server side request forgery: webhook URLs.

The guard itself (address classes, DNS answers with any private address, rebinding, pinning, TLS to the pinned
address) is tested in tests/events/test_ssrf.py. Here, end to end through the API: every unsafe URL is refused
on create and on change (400 naming ``url``) and nothing is stored; a URL that turns private after it was
accepted is never connected to.
"""

from __future__ import annotations

import pytest

from tests.events.helpers import Receiver
from tests.security.conftest import referral_body

UNSAFE = [
    "http://hooks.example.gov/plain-http",
    "https://127.0.0.1/hook",
    "https://127.1/hook",
    "https://2130706433/hook",
    "https://0x7f000001/hook",
    "https://0.0.0.0/hook",
    "https://localhost/hook",
    "https://[::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://10.0.0.8/hook",
    "https://172.16.0.1/hook",
    "https://192.168.1.1/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://[fe80::1]/hook",
    "https://100.64.0.1/hook",
    "file:///etc/passwd",
    "gopher://127.0.0.1:6379/_INFO",
    "ftp://hooks.example.gov/",
    "https://user:secret@127.0.0.1/hook",
    "//127.0.0.1/hook",
    "https:/127.0.0.1/hook",
]


@pytest.fixture
def cbp(token_client, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    return token_client("CBP")


@pytest.mark.parametrize("url", UNSAFE)
def test_unsafe_urls_are_refused_on_create(cbp, url):
    from events.models import WebhookSubscription

    response = cbp.post("/api/v1/webhooks/", {"url": url, "event_types": ["referral.created"]}, format="json")
    assert response.status_code == 400, (url, response.content)
    assert "url" in {e["field"] for e in response.json()["errors"]}
    assert WebhookSubscription.objects.count() == 0


@pytest.mark.parametrize("url", UNSAFE[:8])
def test_unsafe_urls_are_refused_on_change(world, settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    path = f"/api/v1/webhooks/{world.ids['subscription_id']}/"
    response = world.cbp.patch(path, {"url": url}, format="json")
    assert response.status_code == 400, (url, response.content)
    world.subscription.refresh_from_db()
    assert world.subscription.url == "http://127.0.0.1:9/hook"


def test_a_url_that_turned_private_is_never_connected_to(seeded, settings, token_client):
    """Accepted while private addresses were allowed, then the setting is off: the delivery is refused."""
    from events.delivery import delivery_attempt
    from events.models import Delivery

    receiver = Receiver()
    try:
        settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
        cbp = token_client("CBP")
        hook = cbp.post("/api/v1/webhooks/", {"url": receiver.url, "event_types": ["referral.created"]}, format="json")
        assert hook.status_code == 201
        assert cbp.post("/api/v1/referrals/", referral_body(), format="json").status_code == 201
        settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
        delivery = Delivery.objects.get(subscription_id=hook.json()["id"])
        assert delivery_attempt(str(delivery.id)) != "succeeded"
        assert receiver.requests == []
    finally:
        receiver.stop()
