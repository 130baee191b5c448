"""Structured JSON logs that keep PII and secrets out, even from exception messages.

Every line is one JSON object: time, level, logger, message, and the request fields the access log adds
(request id, route template, status, duration, client, agency). Three rules keep PII and secrets out:

* Message templates are code, but may have been built with an f-string: known shapes (A-numbers, phone
  numbers, e-mail addresses, bearer tokens, ``secret=...``, webhook secrets) are masked anywhere in a line.
* Arguments are data: a string argument is shown only if it has the shape of an identifier, a path or a
  UUID (``[withheld]`` otherwise: a name has no recognisable shape, so it must never get through by default);
  numbers, booleans, UUIDs and times are shown; an exception argument shows only its type.
* Exception messages can quote the data that caused them (a database error echoes the row), so tracebacks keep
  frames and exception types and drop messages.

Values meant for the log go in ``extra`` (``logger.info("sealed", extra={"count": n})``), masked like messages.
"""

from __future__ import annotations

import datetime
import decimal
import logging
import re
import traceback
import uuid

import orjson

_PATTERNS = [
    (re.compile(r"(?i)\bbearer\s+[A-Za-z0-9._~+/=-]+"), "Bearer [redacted]"),
    (re.compile(r"(?i)\bbasic\s+[A-Za-z0-9+/=]{8,}"), "Basic [redacted]"),
    (
        re.compile(
            r"(?i)(client_secret|secret|password|passwd|token|access_token|authorization|api_key|apikey)"
            r"([\"']?\s*[:=]\s*[\"']?)[^\s\"',&}]+"
        ),
        r"\1\2[redacted]",
    ),
    (re.compile(r"\bA-?\d{8,9}\b"), "[a-number]"),
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[email]"),
    (re.compile(r"(?<![\w-])\+\d{8,15}(?![\w-])"), "[phone]"),
    (re.compile(r"(?<![\w-])\(?\d{3}\)?[ .-]\d{3}[ .-]\d{4}(?![\w-])"), "[phone]"),
    (re.compile(r"whsec_[A-Za-z0-9+/=]+"), "whsec_[redacted]"),
]

# String arguments shown as they are: UUIDs, paths, dotted names (modules, tasks), HTTP methods, lower-case
# words joined by "_", ":" or "-" (error codes). Nothing with a space, no single word, nothing capitalised or
# upper-cased like a name. Anything else worth logging goes in ``extra`` under a name that says what it is.
_SAFE_ARG = re.compile(
    r"^(?:"
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"  # UUID
    r"|/[A-Za-z0-9._~/%:-]{0,200}"  # a path, no query string
    r"|[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)+"  # dotted.name
    r"|GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS"  # HTTP methods (no other upper-case word: names are often upper-case)
    r"|[a-z0-9]+(?:[_:-][a-z0-9]+)+"  # lower_case-code (one word alone could be a name)
    r")$"
)
WITHHELD = "[withheld]"

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {"message", "asctime", "safe_traceback"}
_REDACTED_FLAG = "_redacted"


def redact(text: str) -> str:
    """Return ``text`` with identifier-shaped values and secrets masked."""
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _safe_arg(value):
    """Return a log argument as it may be shown: safe scalars as they are, anything else withheld."""
    if value is None or isinstance(value, (bool, int, float, decimal.Decimal, uuid.UUID)):
        return value
    if isinstance(value, (datetime.datetime, datetime.date, datetime.timedelta)):
        return value
    if isinstance(value, BaseException):
        return f"[{type(value).__name__}]"
    if isinstance(value, str) and len(value) <= 200 and _SAFE_ARG.match(value):
        return value
    return WITHHELD


def _safe_message(record: logging.LogRecord) -> str:
    if not isinstance(record.msg, str):
        # logger.error(exc) or logger.info(obj): the object's text is data, not a message template.
        return f"[{type(record.msg).__name__} withheld]"
    args = record.args
    if not args:
        return redact(record.msg)
    try:
        if isinstance(args, dict):
            message = record.msg % {key: _safe_arg(value) for key, value in args.items()}
        else:
            message = record.msg % tuple(_safe_arg(value) for value in args)
    except (TypeError, ValueError, KeyError):
        # A bad format string must not lose the line, nor show the arguments.
        message = record.msg + " [arguments withheld]"
    return redact(message)


def _safe_traceback(exc_info) -> str:
    """Return a traceback with frames and exception types, but no exception messages."""
    _exc_type, exc, tb = exc_info
    lines = traceback.format_list(traceback.extract_tb(tb))
    chain = []
    seen = exc
    while seen is not None and len(chain) < 20:
        chain.append(type(seen).__module__ + "." + type(seen).__qualname__)
        seen = seen.__cause__ or seen.__context__
    return "".join(lines) + " <- ".join(chain) + " (message withheld)"


def sanitize_record(record: logging.LogRecord) -> logging.LogRecord:
    """Make a record safe to emit (idempotent): mask the message and extras, strip exception messages."""
    if getattr(record, _REDACTED_FLAG, False):
        return record
    record.msg = _safe_message(record)
    record.args = ()
    if record.exc_info and record.exc_info[0] is not None:
        record.safe_traceback = _safe_traceback(record.exc_info)
    record.exc_info = None
    record.exc_text = None
    for key, value in list(record.__dict__.items()):
        if key in _STANDARD or key.startswith("_"):
            continue
        if isinstance(value, str):
            record.__dict__[key] = redact(value)
        elif isinstance(value, BaseException):
            record.__dict__[key] = f"[{type(value).__name__}]"
    setattr(record, _REDACTED_FLAG, True)
    return record


class RedactingFilter(logging.Filter):
    """Mask secrets and PII in the message, its arguments, extras and any traceback before a record is emitted."""

    def filter(self, record: logging.LogRecord) -> bool:
        sanitize_record(record)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line. Sanitizes the record itself too, should a handler lack the filter."""

    def format(self, record: logging.LogRecord) -> str:
        sanitize_record(record)
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, (int, float, bool, type(None))) else redact(str(value))
        if getattr(record, "safe_traceback", None):
            entry["traceback"] = record.safe_traceback
        return orjson.dumps(entry).decode()
