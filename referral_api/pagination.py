"""Keyset cursor pagination: ``{"results", "next", "previous"}`` over a unique, indexed ordering.

The cursor is an opaque, URL-safe token naming the last row seen by its ordering values (e.g. ``created_at``
and a UUID), so paging stays fast at any depth (no OFFSET) and returns every row exactly once even while rows
are added. It carries no sequential database id.
"""

from __future__ import annotations

import base64
import datetime
import uuid
from collections import OrderedDict
from urllib.parse import urlencode

import orjson
from django.db.models import F
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response

from referral_api.query import PAGING, check_query

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50


def _encode_value(value):
    if isinstance(value, datetime.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, uuid.UUID):
        return {"u": str(value)}
    return {"v": value}


def _decode_value(raw):
    if not isinstance(raw, dict) or len(raw) != 1:
        raise ValueError("bad cursor value")
    ((kind, value),) = raw.items()
    if kind == "t":
        parsed = datetime.datetime.fromisoformat(value)
        if parsed.tzinfo is None:
            raise ValueError("naive timestamp")
        return parsed
    if kind == "u":
        return uuid.UUID(value)
    if kind == "v" and isinstance(value, (int, str)):
        return value
    raise ValueError("bad cursor value")


def parse_page_size(request, default: int = DEFAULT_PAGE_SIZE, maximum: int = MAX_PAGE_SIZE) -> int:
    """Return ``page_size`` from the query (1..maximum); anything else is a 400 naming the parameter."""
    raw = request.query_params.get("page_size")
    if raw is None:
        return default
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= maximum:
        raise ValidationError({"page_size": [f"Must be an integer from 1 to {maximum}."]})
    return size


class KeysetPagination(BasePagination):
    """Pages over ``ordering`` (two fields, the last unique); ``descending`` for newest first."""

    ordering: tuple[str, str] = ("created_at", "id")
    descending = True
    cursor_query_param = "cursor"

    def __init__(self, ordering: tuple[str, str] | None = None, descending: bool | None = None):
        if ordering is not None:
            self.ordering = ordering
        if descending is not None:
            self.descending = descending

    def check_query(self, request, view) -> None:
        """Refuse unknown or repeated query parameters: the list's own (``view.query_parameters``) and paging."""
        check_query(request.query_params, PAGING | set(getattr(view, "query_parameters", ())))

    def _decode_cursor(self, request):
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return None, False
        try:
            padded = raw + "=" * (-len(raw) % 4)
            payload = orjson.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
            values = tuple(_decode_value(v) for v in payload["k"])
            backwards = bool(payload.get("b", False))
            if len(values) != len(self.ordering):
                raise ValueError("arity")
        except (ValueError, KeyError, TypeError, UnicodeError, orjson.JSONDecodeError):
            raise ValidationError({self.cursor_query_param: ["Invalid cursor."]}) from None
        return values, backwards

    def _encode_cursor(self, row, backwards: bool) -> str:
        values = [_encode_value(getattr(row, name)) for name in self.ordering]
        payload = orjson.dumps({"k": values, "b": backwards})
        return base64.urlsafe_b64encode(payload).decode("ascii").rstrip("=")

    def _url(self, request, cursor: str) -> str:
        params = [(k, v) for k, v in request.query_params.items() if k != self.cursor_query_param]
        params.append((self.cursor_query_param, cursor))
        return request.build_absolute_uri(request.path) + "?" + urlencode(params)

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.check_query(request, view)
        size = parse_page_size(request)
        position, backwards = self._decode_cursor(request)
        key = Tuple(*(F(name) for name in self.ordering))
        forward_desc = self.descending != backwards  # scanning direction in the natural order
        if position is not None:
            lookup = TupleLessThan if forward_desc else TupleGreaterThan
            queryset = queryset.filter(lookup(key, position))
        prefix = "-" if forward_desc else ""
        queryset = queryset.order_by(*(prefix + name for name in self.ordering))
        return self.page(list(queryset[: size + 1]), size=size, position=position, backwards=backwards)

    def page(self, rows: list, *, size: int, position, backwards: bool) -> list:
        """Trim ``rows`` (up to ``size + 1``, in scanning order) to the page, and set its ``next``/``previous``."""
        has_more = len(rows) > size
        rows = rows[:size]
        if backwards:
            rows.reverse()
        self.next_url = None
        self.previous_url = None
        if rows:
            if has_more or backwards:
                self.next_url = self._url(self.request, self._encode_cursor(rows[-1], False))
            if position is not None and (has_more or not backwards):
                self.previous_url = self._url(self.request, self._encode_cursor(rows[0], True))
        return rows

    def get_paginated_response(self, data):
        return Response(OrderedDict([("results", data), ("next", self.next_url), ("previous", self.previous_url)]))

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results", "next", "previous"],
            "properties": {
                "results": schema,
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Opaque cursor from a previous page's `next` or `previous`.",
                "schema": {"type": "string"},
            },
            {
                "name": "page_size",
                "in": "query",
                "required": False,
                "description": f"Rows per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
            },
        ]


class CursorPagination(KeysetPagination):
    """Default pagination: newest first by ``(created_at, id)``."""


class OldestFirstPagination(KeysetPagination):
    """Oldest first by ``(created_at, id)`` (history, notes)."""

    descending = False
