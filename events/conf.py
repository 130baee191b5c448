"""Webhook delivery tunables: ``settings.<NAME>`` if set, else the environment variable of that name, else a default.

The defaults are the production values; tests shorten them (the worker subprocess reads the environment).
"""

from __future__ import annotations

import os

from django.conf import settings

# Seconds to wait before attempt n+1 (n = attempts so far); ~27.7 hours in all, so a receiver may be down
# for a day and still get everything. Each delay gets up to +25% random jitter.
DEFAULT_RETRY_DELAYS = (5, 30, 120, 600, 1800, 3600, 7200, 14400, 28800, 43200)


def _value(name: str, default):
    value = getattr(settings, name, None)
    if value is None:
        value = os.environ.get(name)
    if value is None or value == "":
        return default
    if isinstance(default, tuple):
        items = value.split(",") if isinstance(value, str) else value
        return tuple(float(item) for item in items)
    return type(default)(value)


def retry_delays() -> tuple[float, ...]:
    return _value("WEBHOOK_RETRY_DELAYS", DEFAULT_RETRY_DELAYS)


def connect_timeout() -> float:
    return _value("WEBHOOK_CONNECT_TIMEOUT", 3.0)


def read_timeout() -> float:
    return _value("WEBHOOK_READ_TIMEOUT", 7.0)


def lease_seconds() -> float:
    """How long a worker holds a claimed delivery: longer than one attempt can take (connect + read)."""
    return _value("WEBHOOK_DELIVERY_LEASE_SECONDS", 60.0)


def sweep_interval() -> float:
    return _value("WEBHOOK_SWEEP_INTERVAL_SECONDS", 30.0)


def rotation_overlap_seconds() -> float:
    """After a secret rotation, the previous secret keeps signing for this long."""
    return _value("WEBHOOK_SECRET_ROTATION_OVERLAP_SECONDS", 24 * 3600.0)


def ca_bundle() -> str | bool:
    """CA bundle used to verify endpoints' certificates: a file path, or True for the default (certifi)."""
    return _value("WEBHOOK_CA_BUNDLE", "") or True
