"""SSRF guard: only https to public addresses, checked at subscribe time and again at delivery, IP pinned."""

from __future__ import annotations

import pytest

import events.ssrf
from events.delivery import delivery_attempt
from events.models import Delivery, WebhookSubscription
from events.services import webhook_subscription_create
from events.ssrf import UnsafeURL, check_url, is_public_address
from tests.events.helpers import Receiver, emit

REFUSED = [
    "https://127.0.0.1/hook",
    "https://127.1/hook",
    "https://2130706433/hook",  # decimal 127.0.0.1
    "https://0x7f.1/hook",  # hex
    "https://0x7f000001/hook",
    "https://0177.0.0.1/hook",  # octal
    "https://localhost/hook",  # a name resolving to loopback
    "https://10.0.0.8/hook",
    "https://172.16.5.4/hook",
    "https://192.168.1.1/hook",
    "https://100.64.0.1/hook",  # shared address space
    "https://169.254.169.254/latest/meta-data/",  # cloud metadata, link-local
    "https://0.0.0.0/hook",
    "https://224.0.0.1/hook",
    "https://240.0.0.1/hook",
    "https://[::1]/hook",
    "https://[::]/hook",
    "https://[fe80::1]/hook",
    "https://[fc00::1]/hook",
    "https://[ff02::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",  # IPv4-mapped IPv6
    "https://[::ffff:a00:1]/hook",
    "https://[64:ff9b::a00:1]/hook",  # NAT64 of 10.0.0.1
    "https://[2002:7f00:1::]/hook",  # 6to4 of 127.0.0.1
    "http://93.184.215.14/hook",  # plain http
    "ftp://93.184.215.14/hook",
    "https://user:secret@93.184.215.14/hook",
    "https:///hook",
]


@pytest.mark.parametrize("url", REFUSED)
def test_unsafe_urls_are_refused(settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    with pytest.raises(UnsafeURL):
        check_url(url)


def test_public_address_is_accepted(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    resolved = check_url("https://93.184.215.14:8443/hook?x=1")
    assert (resolved.address, resolved.port, resolved.host) == ("93.184.215.14", 8443, "93.184.215.14")
    assert is_public_address("2606:4700:4700::1111")


def test_a_name_with_any_private_address_is_refused(settings, monkeypatch):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    monkeypatch.setattr(events.ssrf, "resolve", lambda host, port: ["93.184.215.14", "10.1.2.3"])
    with pytest.raises(UnsafeURL, match="non-public"):
        check_url("https://mixed.example.net/")


def test_allow_private_urls_permits_loopback_and_http(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    assert check_url("http://127.0.0.1:9/hook").address == "127.0.0.1"


@pytest.mark.parametrize(
    "url", ["https://127.0.0.1/hook", "https://[::1]/x", "http://2130706433/", "https://localhost/"]
)
def test_subscribe_refuses_private_targets_naming_url(api, settings, url):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    response = api("CBP", "webhooks:manage").post(
        "/api/v1/webhooks/", {"url": url, "event_types": ["referral.created"]}, format="json"
    )
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["url"]
    assert not WebhookSubscription.objects.exists()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.stop()


@pytest.fixture
def eager(settings):
    """Retries are left to the sweeper instead of the broker (no Redis needed)."""
    from referral_api.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def _subscribe(url: str):
    from agencies.models import Agency

    return webhook_subscription_create(agency=Agency.objects.get(code="CBP"), url=url, event_types=["referral.created"])


def test_delivery_time_check_refuses_an_address_that_became_private(seeded, settings, receiver, eager):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    _subscribe(receiver.url)
    emit()
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    delivery = Delivery.objects.get()
    assert delivery_attempt(str(delivery.id)) == "pending"
    delivery.refresh_from_db()
    assert "non-public" in delivery.last_error or "https" in delivery.last_error
    assert receiver.requests == []


def test_delivery_connects_to_the_checked_address_and_keeps_the_host_name(
    seeded, settings, receiver, eager, monkeypatch
):
    """DNS rebinding: the name is resolved once, checked, and that address is the one connected to."""
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    port = receiver.server.server_address[1]
    _subscribe(f"http://hooks.rebind.test:{port}/hook")
    calls = []

    def resolve(host, p):
        calls.append(host)
        return ["127.0.0.1"]

    monkeypatch.setattr(events.ssrf, "resolve", resolve)
    emit()
    assert delivery_attempt(str(Delivery.objects.get().id)) == "succeeded"
    assert calls == ["hooks.rebind.test"]  # one resolution, then the pinned address
    assert receiver.requests[0]["headers"]["host"] == f"hooks.rebind.test:{port}"


def test_redirects_are_not_followed(seeded, settings, receiver, eager):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    receiver.status = 302
    _subscribe(receiver.url)
    emit()
    delivery = Delivery.objects.get()
    assert delivery_attempt(str(delivery.id)) == "pending"  # a 3xx is a failure, retried later
    delivery.refresh_from_db()
    assert delivery.last_status_code == 302
    assert len(receiver.requests) == 1
