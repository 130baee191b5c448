"""Querysets compiled once per process and run with new values: the ORM's definition, without its per-request cost.

Building and compiling a queryset is pure Python and costs the same on every request: for a referral with its
representation (people, children, links, parties as subqueries) about 5-8 ms of one core, several times what
PostgreSQL needs to plan and run the statement. A ``PreparedQuery`` is built from an ordinary queryset in which
each value that changes between requests is a **marker** (a value that appears nowhere else, e.g. a fresh
UUID); it is compiled once, the markers' positions in the parameter list are recorded, and each run binds the
request's values at those positions and executes the same SQL text. The SQL is therefore still the ORM's,
produced from the one definition the rest of the code uses (``referrals_visible_to`` stays the only place need
to know is written); nothing is written by hand.

A **fragment** marker (``fragments=``) stands for a whole sub-statement compiled per request, such as a list
page's ``UNION ALL`` of keyset branches whose filters vary: the template holds
``RawSQL("SELECT %s::uuid /* fragment:<name> */", [marker])`` and each run splices in the fragment compiled as
the ORM would compile it in that place (``PreparedQuery.subquery``), so the statement is the ORM's to the
character (tests/foundation/test_prepared.py compares them).

Not a server-side prepared statement (``PREPARE``): those are per connection and break behind PgBouncer in
transaction mode (docs/deployment.md); PostgreSQL still plans each execution.
"""

from __future__ import annotations

import copy
import re
import uuid

from django.db import connections, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.query import ModelIterable, ValuesIterable

_PLACEHOLDER = re.compile(r"%(?:%|s)")


class _Run:
    """What an iterable reads of a queryset (and of its query), for one run of a prepared query: the compiler
    with the run's statement, and otherwise the template's query (names of ``values()`` columns)."""

    _known_related_objects: dict = {}

    def __init__(self, template, compiler):
        self.model = template.model
        self.db = template.db
        self.query = self
        self._template = template.query
        self._compiler = compiler

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        return self._compiler

    def __getattr__(self, name):
        return getattr(self._template, name)


def _placeholders(sql: str) -> int:
    return sum(1 for match in _PLACEHOLDER.finditer(sql) if match.group() == "%s")


def text_marker() -> str:
    """A marker for a text parameter (a code, a digest): a value no caller's could equal."""
    return f"prepared-marker:{uuid.uuid4().hex}"


def fragment(name: str) -> tuple[RawSQL, uuid.UUID]:
    """An expression standing for a sub-statement supplied at run time (for ``pk__in=`` and the like), and the
    marker to pass to ``PreparedQuery(fragments={name: marker})``."""
    marker = uuid.uuid4()
    # The text is ours (``name`` is an identifier from the code), never a caller's value.
    return RawSQL(f"SELECT %s::uuid /* fragment:{name} */", [marker]), marker  # noqa: S611


class PreparedQuery:
    """``queryset`` compiled once; ``run(values)`` returns its model instances (or ``values()`` rows) for new
    marker values."""

    def __init__(self, queryset: QuerySet, *, markers: dict | None = None, fragments: dict | None = None):
        self.model = queryset.model
        self.db = queryset.db
        self.iterable_class = queryset._iterable_class
        if not issubclass(self.iterable_class, (ModelIterable, ValuesIterable)):
            raise TypeError("A prepared query returns model instances or values() rows (no values_list()).")
        self.locks = bool(queryset.query.select_for_update)
        compiler = queryset.query.get_compiler(using=self.db)
        sql, params = compiler.as_sql()
        self.compiler = compiler
        self.params = list(params)
        self.slots: dict[str, list[int]] = {}
        for name, marker in (markers or {}).items():
            slots = [i for i, value in enumerate(self.params) if value == marker]
            if not slots:
                raise ValueError(f"Marker {name!r} is not among the compiled query's parameters.")
            self.slots[name] = slots
        # Each fragment splits the SQL text around its placeholder; the parameters before it are exactly the
        # placeholders in the text before it (checked, so a splice can never misalign a value).
        self.pieces: list[tuple[str | None, str]] = []
        rest, offset = sql, 0
        for name, marker in sorted((fragments or {}).items(), key=lambda item: sql.find(f"fragment:{item[0]} ")):
            text = f"(SELECT %s::uuid /* fragment:{name} */)"  # RawSQL's own parentheses included
            if rest.count(text) != 1 or self.params.count(marker) != 1:
                raise ValueError(f"Fragment {name!r} must appear exactly once in the compiled query.")
            before, rest = rest.split(text, 1)
            if offset + _placeholders(before) != self.params.index(marker):
                raise ValueError(f"Fragment {name!r}: parameters do not line up with the SQL text.")
            self.pieces.append((name, before))
            offset += _placeholders(before) + 1
        self.pieces.append((None, rest))
        self.sql = sql
        self.query = queryset.query

    def subquery(self, queryset: QuerySet) -> tuple[str, list]:
        """``queryset`` compiled as the ORM compiles it inside this query (``pk__in=queryset``): its aliases bumped
        past the outer query's, in parentheses; the fragment to pass for a fragment marker."""
        outer = copy.copy(self.query)  # resolving a subquery records its alias prefix on the outer query
        resolved = queryset.query.resolve_expression(outer)
        sql, params = self.query.get_compiler(connection=connections[self.db]).compile(resolved)
        return sql, list(params)

    def statement(self, values: dict, fragments: dict | None = None) -> tuple[str, list]:
        """The SQL and parameters for ``values`` (by marker name) and ``fragments`` (name: (sql, params), from
        ``subquery``)."""
        params = list(self.params)
        for name, slots in self.slots.items():
            for i in slots:
                params[i] = values[name]
        if not fragments and len(self.pieces) == 1:
            return self.sql, params
        sql_parts: list[str] = []
        out: list = []
        cursor = 0
        for name, text in self.pieces:
            count = _placeholders(text)
            sql_parts.append(text)
            out.extend(params[cursor : cursor + count])
            cursor += count
            if name is not None:
                fragment_sql, fragment_params = fragments[name]
                sql_parts.append(fragment_sql)
                out.extend(fragment_params)
                cursor += 1  # the marker's own slot
        return "".join(sql_parts), out

    def run(self, values: dict | None = None, fragments: dict | None = None) -> list:
        sql, params = self.statement(values or {}, fragments)
        connection = connections[self.db]
        if self.locks and not connection.in_atomic_block:
            # What the compiler says for an unprepared queryset: a row lock outside a transaction is held by no one.
            raise transaction.TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        compiler = copy.copy(self.compiler)
        compiler.connection = connection
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        return list(self.iterable_class(_Run(self, compiler)))
