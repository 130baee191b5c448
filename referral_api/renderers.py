"""JSON rendering with orjson (RFC 3339 UTC timestamps, UUIDs as strings)."""

from __future__ import annotations

import datetime
import decimal
import uuid

import orjson
from rest_framework.renderers import BaseRenderer


def _default(value):
    if isinstance(value, decimal.Decimal):
        return str(value)
    if hasattr(value, "__str__") and not isinstance(value, (bytes, bytearray)):
        return str(value)
    raise TypeError


def to_json(data) -> bytes:
    """Serialize ``data`` to JSON bytes."""
    return orjson.dumps(data, default=_default, option=orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC)


def rfc3339(value: datetime.datetime | None) -> str | None:
    """Return ``value`` as an RFC 3339 UTC timestamp (``2026-11-28T19:46:32Z``)."""
    if value is None:
        return None
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class JSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return to_json(data)


__all__ = ["JSONRenderer", "rfc3339", "to_json", "uuid"]
