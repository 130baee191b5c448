"""Security review (issue 16) L1 and L7: the SSRF guard tells nothing about the internal network."""

from __future__ import annotations

import pytest

import referral_api.ssrf
from referral_api.ssrf import UNREACHABLE, UnsafeURL, check_url, is_public_address


def test_l1_unresolvable_and_private_hosts_get_one_generic_message(settings, monkeypatch):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    with pytest.raises(UnsafeURL) as unresolvable:
        check_url("https://no-such-host.invalid/hook")
    monkeypatch.setattr(referral_api.ssrf, "resolve", lambda host, port: ["10.20.30.40"])
    with pytest.raises(UnsafeURL) as private:
        check_url("https://intranet.example.net/hook")
    assert str(unresolvable.value) == str(private.value) == UNREACHABLE
    assert "10.20.30.40" not in str(private.value)
    assert "intranet" not in str(private.value) and "no-such-host" not in str(unresolvable.value)


def test_l1_webhook_api_does_not_echo_the_resolved_address(seeded, monkeypatch, settings):
    from tests.foundation.routes import make_token
    from tests.security.conftest import bearer

    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    monkeypatch.setattr(referral_api.ssrf, "resolve", lambda host, port: ["192.168.7.9"])
    client = bearer(make_token(agency="CBP", scopes=["webhooks:manage"]))
    response = client.post(
        "/api/v1/webhooks/",
        {"url": "https://hooks.example.net/x", "event_types": ["referral.created"]},
        format="json",
    )
    assert response.status_code == 400
    assert b"192.168" not in response.content and b"hooks.example.net" not in response.content


@pytest.mark.parametrize("address", ["fec0::1", "fec0:1234::5", "feff:ffff::1"])
def test_l7_site_local_ipv6_is_not_public(address):
    assert not is_public_address(address)
