"""SSRF guard for URLs fetched on a partner's word: https only, only public addresses, checked on every use.

Used for webhook endpoints (events/) and for clients' JWK Set URLs (agencies/). Such a URL is attacker-chosen
input that makes this service open connections, so (OWASP SSRF Prevention Cheat Sheet):

* the scheme must be ``https`` (``http`` only where private URLs are allowed: ``WEBHOOK_ALLOW_PRIVATE_URLS``
  for webhooks, ``JWKS_ALLOW_PRIVATE_URLS`` for JWK Sets), with no user info;
* every address the host name resolves to must be public: not loopback, private, link-local, shared
  (100.64/10), multicast, reserved or unspecified, for IPv4, IPv6 and IPv4 embedded in IPv6 (mapped,
  NAT64, 6to4). ``getaddrinfo`` also reads the odd IPv4 spellings (``2130706433``, ``0x7f.1``, ``0177.0.0.1``),
  so those resolve to loopback and are refused like any other;
* at use (delivery, fetch) the name is resolved again, checked, and the connection is made to that checked address
  (``PinnedAddressAdapter``), so a DNS answer that changes between check and connect (DNS rebinding) cannot
  redirect it. TLS still verifies the certificate for the host name (SNI and ``Host`` are the name);
* redirects are never followed.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from requests.adapters import HTTPAdapter

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class UnsafeURL(ValueError):
    """The URL may not be used; the message says why."""


@dataclass(frozen=True)
class ResolvedURL:
    url: str
    scheme: str
    host: str
    port: int
    address: str  # the checked IP address to connect to


def private_urls_allowed() -> bool:
    """Whether webhook URLs may be http or private (``WEBHOOK_ALLOW_PRIVATE_URLS``: tests, local runs)."""
    return bool(getattr(settings, "WEBHOOK_ALLOW_PRIVATE_URLS", False))


def is_public_address(address: str) -> bool:
    """Return whether ``address`` is a globally routable unicast address (IPv4 inside IPv6 checked too)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or (ip.sixtofour if ip.sixtofour else None)
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None and not is_public_address(str(embedded)):
            return False
        if ip.teredo:
            return False
    return ip.is_global and not (
        ip.is_multicast or ip.is_loopback or ip.is_link_local or ip.is_private or ip.is_reserved or ip.is_unspecified
    )


def _split(url: str, *, allow_private: bool, label: str) -> tuple[str, str, int]:
    if not isinstance(url, str) or len(url) > 2000:
        raise UnsafeURL("Give an absolute URL of at most 2000 characters.")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise UnsafeURL("This is not a valid URL.") from None
    scheme = parts.scheme.lower()
    allowed = ("https", "http") if allow_private else ("https",)
    if scheme not in allowed:
        raise UnsafeURL(f"{label} URLs must use https.")
    if parts.username is not None or parts.password is not None:
        raise UnsafeURL(f"{label} URLs may not carry a user name or password.")
    host = parts.hostname
    if not host:
        raise UnsafeURL("The URL has no host.")
    if parts.fragment:
        raise UnsafeURL(f"{label} URLs may not have a fragment.")
    return scheme, host, port or (443 if scheme == "https" else 80)


def resolve(host: str, port: int) -> list[str]:
    """Return the addresses ``host`` resolves to (TCP), in resolver order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise UnsafeURL(f"The host name {host!r} does not resolve.") from None
    addresses: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        if sockaddr[0] not in addresses:
            addresses.append(sockaddr[0])
    if not addresses:
        raise UnsafeURL(f"The host name {host!r} does not resolve.")
    return addresses


def check_url(
    url: str, *, resolve_host: bool = True, allow_private: bool | None = None, label: str = "Webhook"
) -> ResolvedURL | None:
    """Check ``url`` and return it with the address to connect to; ``UnsafeURL`` if it may not be used.

    With ``allow_private`` (default: ``WEBHOOK_ALLOW_PRIVATE_URLS``) http and any resolvable address are accepted
    (tests, local runs). ``label`` names the kind of URL in the messages ("Webhook", "JWK Set").
    """
    if allow_private is None:
        allow_private = private_urls_allowed()
    scheme, host, port = _split(url, allow_private=allow_private, label=label)
    if not resolve_host:
        return None
    addresses = resolve(host, port)
    if not allow_private:
        refused = [a for a in addresses if not is_public_address(a)]
        if refused:
            raise UnsafeURL(
                f"The host {host!r} resolves to a non-public address ({refused[0]}); "
                "only public internet addresses may be reached."
            )
    return ResolvedURL(url=url, scheme=scheme, host=host, port=port, address=addresses[0])


class PinnedAddressAdapter(HTTPAdapter):
    """Connect to one checked IP address while TLS (SNI, certificate check) and ``Host`` use the host name."""

    def __init__(self, resolved: ResolvedURL, **kwargs):
        self.resolved = resolved
        super().__init__(max_retries=0, **kwargs)

    def init_poolmanager(self, connections, maxsize, block=False, **pool_kwargs):
        if self.resolved.scheme == "https":
            pool_kwargs["server_hostname"] = self.resolved.host
            pool_kwargs["assert_hostname"] = self.resolved.host
        super().init_poolmanager(connections, maxsize, block=block, **pool_kwargs)


def pinned_request_url(resolved: ResolvedURL) -> tuple[str, str]:
    """Return ``(url naming the IP address, Host header value)`` for a checked URL."""
    parts = urlsplit(resolved.url)
    ip = ipaddress.ip_address(resolved.address.split("%", 1)[0])
    ip_text = f"[{ip}]" if ip.version == 6 else str(ip)
    default_port = 443 if resolved.scheme == "https" else 80
    netloc = ip_text if resolved.port == default_port else f"{ip_text}:{resolved.port}"
    host_header = resolved.host if ":" not in resolved.host else f"[{resolved.host}]"
    if resolved.port != default_port:
        host_header = f"{host_header}:{resolved.port}"
    return urlunsplit((parts.scheme, netloc, parts.path or "/", parts.query, "")), host_header
