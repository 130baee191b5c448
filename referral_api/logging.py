"""Structured JSON logs that keep PII and secrets out, even from exception messages.

Every line is one JSON object: time, level, logger, message, and the request fields the access log adds
(request id, route template, status, duration, client, agency). Exception messages can quote the data that
caused them (a database error echoes the row), so tracebacks keep frames and exception types but drop messages,
and known identifier shapes (A-numbers, phone numbers, e-mail addresses, bearer tokens) are masked anywhere.
"""

from __future__ import annotations

import datetime
import logging
import re
import traceback

import orjson

_PATTERNS = [
    (re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+"), "Bearer [redacted]"),
    (
        re.compile(r"(?i)(client_secret|secret|password|token|authorization)([\"']?\s*[:=]\s*[\"']?)[^\s\"',&}]+"),
        r"\1\2[redacted]",
    ),
    (re.compile(r"\bA-?\d{8,9}\b"), "[a-number]"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[email]"),
    (re.compile(r"(?<![\w-])\+\d{8,15}(?![\w-])"), "[phone]"),
    (re.compile(r"(?<![\w-])\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?![\w-])"), "[phone]"),
    (re.compile(r"whsec_[A-Za-z0-9+/=]+"), "whsec_[redacted]"),
]

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime"}


def redact(text: str) -> str:
    """Return ``text`` with identifier-shaped values and secrets masked."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _safe_traceback(exc_info) -> str:
    """Return a traceback with frames and exception types, but no exception messages."""
    _exc_type, exc, tb = exc_info
    lines = traceback.format_list(traceback.extract_tb(tb))
    chain = []
    seen = exc
    while seen is not None:
        chain.append(type(seen).__module__ + "." + type(seen).__qualname__)
        seen = seen.__cause__ or seen.__context__
    return "".join(lines) + " <- ".join(chain) + " (message withheld)"


class RedactingFilter(logging.Filter):
    """Mask secrets and PII in the message, its arguments and any traceback before a record is emitted."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not lose the log line
            message = str(record.msg)
        record.msg = redact(message)
        record.args = ()
        if record.exc_info and record.exc_info[0] is not None:
            record.safe_traceback = _safe_traceback(record.exc_info)
            record.exc_info = None
            record.exc_text = None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, (int, float, bool, type(None))) else str(value)
        if record.exc_info and record.exc_info[0] is not None:
            entry["traceback"] = _safe_traceback(record.exc_info)
        return orjson.dumps(entry).decode()
