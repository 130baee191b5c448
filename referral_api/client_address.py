"""The caller's network address, derived once per request from trusted proxy headers only.

Used by every place that needs it: the pre-authentication rate limit, the token-endpoint failure counters, the
audit log's ``source_ip`` and the access log. ``NUM_PROXIES`` (REST framework setting, default 0) is the number
of reverse proxies in front of the service that append to ``X-Forwarded-For``:

* ``0``: the header is caller-typed text and is ignored; the address is ``REMOTE_ADDR``.
* ``n > 0``: the last ``n`` entries were appended by our own proxies; the client is the ``n``-th from the end
  (the address the outermost trusted proxy saw). Entries further left are the caller's own claims and never
  used. A header with fewer entries than ``n`` means a proxy did not append: ``REMOTE_ADDR`` is used.

Anything that is not an IP address falls back to ``REMOTE_ADDR``, so the value is always safe to log, to use
as a cache key and to store in an ``inet`` column.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings

_ATTRIBUTE = "_client_address"


def _valid_ip(value: str) -> str | None:
    value = (value or "").strip()
    if value.startswith("[") and "]" in value:  # "[2001:db8::1]:443"
        value = value[1 : value.index("]")]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def num_proxies() -> int:
    return int(settings.REST_FRAMEWORK.get("NUM_PROXIES") or 0)


def client_address(request) -> str | None:
    """Return the caller's address for a Django or DRF request (computed once, then kept on the request)."""
    django_request = getattr(request, "_request", request)
    cached = getattr(django_request, _ATTRIBUTE, None)
    if cached is not None:
        return cached or None
    remote = _valid_ip(django_request.META.get("REMOTE_ADDR", ""))
    address = remote
    proxies = num_proxies()
    forwarded = django_request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies > 0 and forwarded:
        entries = [entry.strip() for entry in forwarded.split(",")]
        if len(entries) >= proxies:
            address = _valid_ip(entries[-proxies]) or remote
    try:
        setattr(django_request, _ATTRIBUTE, address or "")
    except AttributeError:  # pragma: no cover - a request object that refuses attributes
        pass
    return address
