"""One check for every timestamp a caller sends that reaches a query or a column: filters, cursor values and
timestamp fields.

RFC 3339 (§5.6) lets ``time-numoffset`` be any ``+hh:mm``, and Python parses offsets up to 24 hours, but
PostgreSQL refuses offsets beyond ±15:59 (``time zone displacement out of range``) and Python cannot convert
year-9999 values with a negative offset to UTC: either became a 500. So a timestamp is accepted only with an
offset within ±18:00 (the widest any standard library or real zone uses) and between 1900-01-01 and
9999-12-31 in UTC, and is converted to UTC before it is used. Anything else is a 400 naming the field.
"""

from __future__ import annotations

import datetime

from django.utils.dateparse import parse_datetime

MAX_OFFSET = datetime.timedelta(hours=18)
EARLIEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)
LATEST = datetime.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=datetime.UTC)
FORMAT_HINT = "an RFC 3339 timestamp, e.g. 2026-11-28T19:46:32Z"
RANGE_HINT = "between 1900-01-01T00:00:00Z and 9999-12-31T23:59:59Z, with a UTC offset within ±18:00"


class BadTimestamp(ValueError):
    """The value is not an acceptable timestamp; the message says what to send (never echoes the value)."""


def checked_timestamp(value: datetime.datetime) -> datetime.datetime:
    """Return an aware ``value`` in UTC, or raise ``BadTimestamp`` (offset or range out of bounds)."""
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=datetime.UTC)
    offset = value.utcoffset()
    if abs(offset) > MAX_OFFSET:
        raise BadTimestamp(f"Must be {RANGE_HINT}.")
    try:
        utc = value.astimezone(datetime.UTC)
    except OverflowError:
        raise BadTimestamp(f"Must be {RANGE_HINT}.") from None
    if not EARLIEST <= utc <= LATEST:
        raise BadTimestamp(f"Must be {RANGE_HINT}.")
    return utc


def parse_timestamp(raw: str) -> datetime.datetime:
    """Parse caller text as a timestamp (naive = UTC) and check it; ``BadTimestamp`` otherwise."""
    try:
        value = parse_datetime(raw)
    except (ValueError, OverflowError):
        value = None
    if value is None:
        raise BadTimestamp(f"Must be {FORMAT_HINT}.")
    return checked_timestamp(value)
