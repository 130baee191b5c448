"""SSRF guard: only https to public addresses, checked at subscribe time and again at delivery, IP pinned."""

from __future__ import annotations

import pytest

import events.ssrf
from events.delivery import delivery_attempt
from events.models import Delivery, WebhookSubscription
from events.ssrf import UnsafeURL, check_url, is_public_address
from tests.events.helpers import emit, subscribe

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
def eager(settings):
    """Retries are left to the sweeper instead of the broker (no Redis needed)."""
    from referral_api.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


def _subscribe(url: str):
    return subscribe("CBP", url=url, event_types=["referral.created"])


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


def _tls_receiver(tmp_path, cert_name: str):
    """An https receiver on 127.0.0.1 whose certificate names ``cert_name``: (server, port, ca, sni, hosts)."""
    import datetime
    import http.server
    import ssl
    import threading

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cert_name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(cert_name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    seen = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append(self.headers["Host"])
            self.rfile.read(int(self.headers["content-length"]))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    sni = []
    context.sni_callback = lambda sock, server_name, ctx: sni.append(server_name)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1], str(cert_path), sni, seen


@pytest.mark.parametrize(("cert_name", "ok"), [("hooks.partner.test", True), ("someone-else.test", False)])
def test_https_to_the_pinned_address_verifies_the_certificate_for_the_host_name(
    settings, monkeypatch, tmp_path, cert_name, ok
):
    from events.delivery import webhook_post

    server, port, ca, sni, seen = _tls_receiver(tmp_path, cert_name)
    try:
        settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
        settings.WEBHOOK_CA_BUNDLE = ca
        monkeypatch.setattr(events.ssrf, "resolve", lambda host, p: ["127.0.0.1"])
        url = f"https://hooks.partner.test:{port}/hook"
        if ok:
            assert webhook_post(url=url, body=b"{}", headers={}) == 204
            assert sni == ["hooks.partner.test"]  # SNI names the host, not the address
            assert seen == [f"hooks.partner.test:{port}"]
        else:
            import requests

            with pytest.raises(requests.exceptions.SSLError):
                webhook_post(url=url, body=b"{}", headers={})
    finally:
        server.shutdown()
        server.server_close()
