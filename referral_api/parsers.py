"""Strict JSON parsing: UTF-8 only, bounded depth, no NUL bytes, no duplicate-key surprises."""

from __future__ import annotations

import orjson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

from referral_api.problems import PayloadTooLarge

MAX_DEPTH = 32


def _depth_ok(raw: bytes, limit: int = MAX_DEPTH) -> bool:
    """Return whether the nesting depth of the JSON text stays within ``limit`` (checked before parsing)."""
    depth = 0
    in_string = False
    escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > limit:
                return False
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return True


class StrictJSONParser(BaseParser):
    media_type = "application/json"

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            raw = stream.read(settings.MAX_JSON_BODY_BYTES + 1) if stream is not None else b""
        except RequestDataTooBig as exc:
            raise PayloadTooLarge() from exc
        if len(raw) > settings.MAX_JSON_BODY_BYTES:
            raise PayloadTooLarge(f"Request bodies are limited to {settings.MAX_JSON_BODY_BYTES} bytes.")
        if not raw.strip():
            return {}
        if not _depth_ok(raw):
            raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels is refused.")
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise ParseError(f"Malformed JSON: {exc.msg} at position {exc.pos}.") from None
