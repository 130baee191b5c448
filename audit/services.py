"""Writing the audit log. Callers pass plain values; rows are written in the caller's transaction.

Writing in the caller's transaction is what makes access impossible without a record: if the INSERT fails,
the caller's transaction fails with it and nothing it did is committed. Rows are inserted unsealed and chained
by ``audit.chain.audit_seal`` moments later, so concurrent requests never wait on each other here.
"""

from __future__ import annotations

import datetime
import functools
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models import Field
from django.utils import timezone

from audit.context import AuditContext, audit_context
from audit.models import AuditEntry

OUTCOME_SUCCESS = "success"
OUTCOME_DENIED = "denied"

# A reason is a machine code, never free text (free text could carry PII or a secret).
_REASON = re.compile(r"^[a-z0-9_.:-]{1,64}$")


def _clean_reason(reason: str | None) -> str | None:
    if reason is None:
        return None
    if not _REASON.match(reason):
        raise ValueError("An audit reason is a short code of [a-z0-9_.:-], not free text.")
    return reason


def audit_record(
    *,
    action: str,
    object_type: str,
    object_id: str | None,
    outcome: str = OUTCOME_SUCCESS,
    context: AuditContext | None = None,
    agency_code: str | None = None,
    client_id: str | None = None,
    client_name: str | None = None,
    occurred_at: datetime.datetime | None = None,
    reason: str | None = None,
) -> AuditEntry:
    """Append one audit row (NIST SP 800-53 AU-3: what, when, where, source, outcome, identity)."""
    return audit_record_many(
        action=action,
        object_type=object_type,
        object_ids=[object_id],
        outcome=outcome,
        context=context,
        agency_code=agency_code,
        client_id=client_id,
        client_name=client_name,
        occurred_at=occurred_at,
        reason=reason,
    )[0]


def audit_record_many(
    *,
    action: str,
    object_type: str,
    object_ids: Iterable[str | None],
    outcome: str = OUTCOME_SUCCESS,
    context: AuditContext | None = None,
    agency_code: str | None = None,
    client_id: str | None = None,
    client_name: str | None = None,
    occurred_at: datetime.datetime | None = None,
    reason: str | None = None,
) -> list[AuditEntry]:
    """Append one audit row per object id in a single INSERT (e.g. each row of a list page), in their order.

    One ``INSERT ... SELECT ... FROM unnest(ids) WITH ORDINALITY``: the values every row shares are sent once,
    so the Python work does not grow with the page (a model instance per row and ``bulk_create`` cost about
    0.1 ms a row). The rows get their ids in the order of ``object_ids``, which is the order
    ``audit.chain.audit_seal`` chains committed rows in. Returns the rows as written (``RETURNING``).
    """
    context = context or AuditContext()
    reason = _clean_reason(reason)
    ids = [None if object_id is None else str(object_id) for object_id in object_ids]
    if not ids:
        return []
    shared = {
        "occurred_at": occurred_at or timezone.now(),
        "agency_code": agency_code or context.agency_code,
        "client_id": client_id or context.client_id,
        "client_name": client_name or context.client_name,
        "action": action,
        "object_type": object_type,
        "outcome": outcome,
        "reason": reason,
        "request_id": context.request_id,
        "source_ip": context.source_ip,
        "purpose": context.purpose,
    }
    alias = router.db_for_write(AuditEntry)
    connection = connections[alias]
    statement = _insert_statement(alias, tuple(shared))
    params = [field.get_db_prep_save(shared[field.attname], connection) for field in statement.shared_fields]
    # The caller's transaction, on the connection the model writes to: if this fails, so does the caller's work.
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, [*params, ids])
        rows = cursor.fetchall()
    # By id, the order the sequence numbered them in (the order of RETURNING is not promised).
    rows.sort(key=itemgetter(statement.pk_index))
    return [AuditEntry.from_db(alias, statement.returned, row) for row in rows]


# How each column gets its value in ``audit_record_many``: the object id per row, the values of its ``shared``
# dict once, and these. The column list itself comes from the model: a column added to ``AuditEntry`` and not
# placed here stops the first write (ImproperlyConfigured) rather than being written differently from what the
# model says.
_PER_ROW = "object_id"
# Chained later by ``audit.chain.audit_seal``; a row is inserted unsealed.
_UNSEALED = ("chain_seq", "prev_hash", "row_hash")
# ``public_id`` defaults to ``uuid.uuid4``: PostgreSQL's ``gen_random_uuid()`` makes the same kind of value (a
# version 4 UUID from a cryptographic random source, RFC 9562 §5.4) without a Python call per row.
_GENERATED = {"public_id": (uuid.uuid4, "gen_random_uuid()")}


@dataclass(frozen=True)
class _InsertStatement:
    sql: str
    shared_fields: tuple[Field, ...]  # the statement's parameters before the ids, in order
    returned: tuple[str, ...]  # attnames of the RETURNING columns, for ``Model.from_db``
    pk_index: int  # where the id is among them


@functools.cache
def _insert_statement(alias: str, shared_names: tuple[str, ...]) -> _InsertStatement:
    """The INSERT for the database ``alias``, built once per process from ``AuditEntry._meta``; the columns named in
    ``shared_names`` take one value for every row."""
    quote = connections[alias].ops.quote_name
    meta = AuditEntry._meta
    columns, values, shared = [], [], []
    for field in meta.concrete_fields:
        if field.primary_key:
            continue  # the sequence's
        if field.attname == _PER_ROW:
            value = "ids.object_id"
        elif field.attname in shared_names:
            value = "%s"
            shared.append(field)
        elif field.attname in _UNSEALED and field.null:
            value = "NULL"
        elif field.attname in _GENERATED and field.default is _GENERATED[field.attname][0]:
            value = _GENERATED[field.attname][1]
        else:
            raise ImproperlyConfigured(f"audit_record_many does not know how to fill AuditEntry.{field.attname}")
        columns.append(quote(field.column))
        values.append(value)
    returned = tuple(meta.concrete_fields)
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(columns)}) "  # noqa: S608 - names from _meta; values are parameters
        f"SELECT {', '.join(values)} FROM unnest(%s::text[]) WITH ORDINALITY AS ids(object_id, n) ORDER BY ids.n "
        f"RETURNING {', '.join(quote(field.column) for field in returned)}"
    )
    return _InsertStatement(sql, tuple(shared), tuple(field.attname for field in returned), returned.index(meta.pk))


def _uuid_or_none(value) -> str | None:
    """The object id from a URL is caller input: keep it only if it is a UUID (never arbitrary text)."""
    if value is None:
        return None
    if isinstance(value, uuid.UUID):
        return str(value)
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return None


DENIED_COUNTER_KEY = "audit:denied:{}:{}"
DENIED_SUPPRESSED_KEY = "audit:denied-suppressed:{}:{}"


def _denied_over_cap(context: AuditContext) -> bool:
    """Count one refused access for the caller's address in this minute; True once past the cap.

    ``AUDIT_DENIED_PER_MINUTE`` rows per address per minute are written; the rest are counted in Redis
    (``audit:denied-suppressed:<address>:<minute>``, kept a day) and logged with their running count, so a
    flood of ``Bearer junk`` cannot become a flood of permanent rows. Without Redis every refusal is written.
    """
    import logging

    from django.conf import settings
    from django.core.cache import cache

    cap = settings.AUDIT_DENIED_PER_MINUTE
    if not context.source_ip or cap is None or cap < 0:
        return False
    minute = int(timezone.now().timestamp() // 60)
    try:
        key = DENIED_COUNTER_KEY.format(context.source_ip, minute)
        cache.add(key, 0, 120)
        if cache.incr(key) <= cap:
            return False
        suppressed_key = DENIED_SUPPRESSED_KEY.format(context.source_ip, minute)
        cache.add(suppressed_key, 0, 24 * 3600)
        suppressed = cache.incr(suppressed_key)
    except Exception:  # noqa: BLE001 - without the counter, the row is written (never lose an audit row silently)
        return False
    logging.getLogger("audit").warning(
        "denied-access audit rows over the per-address cap: counted, not written",
        extra={"source_ip": context.source_ip, "suppressed_this_minute": suppressed, "cap": cap},
    )
    return True


def audit_denied(request, *, object_type: str, object_id, status: int, action: str | None = None) -> AuditEntry | None:
    """Record a refused access (401, 403 or 404) to an object; the caller, if known, comes from the request.

    ``object_id`` is kept only when it is a UUID. ``action`` defaults to ``<object_type>.access_denied``; the
    HTTP status is kept as the reason (``http_404``). At most ``AUDIT_DENIED_PER_MINUTE`` rows per client address
    per minute (the rest are counted and logged, see ``_denied_over_cap``): returns ``None`` for those.
    """
    context = audit_context(request)
    if _denied_over_cap(context):
        return None
    return audit_record(
        action=action or f"{object_type}.access_denied",
        object_type=object_type,
        object_id=_uuid_or_none(object_id),
        outcome=OUTCOME_DENIED,
        reason=f"http_{int(status)}",
        context=context,
    )
