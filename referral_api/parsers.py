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


# --- JSON types as sent -------------------------------------------------------------------------------------
# DRF fields coerce scalars: 0 and "yes" become False/True, 5 becomes "5", "7" becomes 7, an integer becomes a
# UUID. A JSON API takes the types it documents, so strict serializers check them first (json_type_errors).


def _expected_type(field) -> tuple[tuple[type, ...], str] | None:
    from rest_framework import serializers as f

    if isinstance(field, f.BooleanField):
        return (bool,), "Must be true or false."
    if isinstance(field, f.MultipleChoiceField):
        return None
    if isinstance(field, f.ChoiceField):
        if all(isinstance(key, str) for key in field.choices):
            return (str,), "Must be a string."
        return None
    if isinstance(field, (f.CharField, f.UUIDField, f.DateField, f.DateTimeField, f.TimeField, f.DurationField)):
        return (str,), "Must be a string."
    if isinstance(field, f.IntegerField):
        return (int,), "Must be an integer."
    if isinstance(field, (f.FloatField, f.DecimalField)):
        return (int, float), "Must be a number."
    if isinstance(field, f.ListField):
        return (list,), "Must be a list."
    if isinstance(field, f.DictField):
        return (dict,), "Must be an object."
    return None


def json_type_error(field, value):
    """Return the error detail for ``value`` if its JSON type is not the one ``field`` takes, else ``None``.

    ``null`` is left to the field (``allow_null``). For a list, items are checked against the child field and
    errors are keyed by index, as DRF does.
    """
    from rest_framework.exceptions import ErrorDetail
    from rest_framework.fields import ListField

    if value is None:
        return None
    expected = _expected_type(field)
    if expected is None:
        return None
    types, message = expected
    # bool is an int in Python, never in JSON.
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        return [ErrorDetail(message, code="invalid")]
    if isinstance(field, ListField) and field.child is not None:
        items = {index: json_type_error(field.child, item) for index, item in enumerate(value)}
        items = {index: error for index, error in items.items() if error}
        return items or None
    return None


def json_type_errors(fields, data) -> dict:
    """Map each writable field of ``fields`` whose value in ``data`` has the wrong JSON type to its error."""
    errors = {}
    for name, field in fields.items():
        if field.read_only or name not in data:
            continue
        error = json_type_error(field, data[name])
        if error:
            errors[name] = error
    return errors
