"""The hash chain over the audit log: canonical encoding, sealing, verification.

Rows are inserted unsealed (``chain_seq``, ``prev_hash``, ``row_hash`` all NULL) by the caller's transaction,
so writers never wait for each other. The sealer then chains every committed unsealed row, in the order it
finds them, under one PostgreSQL advisory lock that only sealers take:

    row_hash = SHA-256( canonical(row) )       canonical(row) includes chain_seq and prev_hash
    prev_hash(seq n) = row_hash(seq n-1)       prev_hash(seq 1) = 64 zeros

The chain order is the sealing order (``chain_seq``), not the id order: a slow transaction that took its id
early and committed late is sealed after rows that committed before it, so the chain never forks and never
skips a row. See docs/audit.md for the design and its measurements.
"""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass

import orjson
from django.db import connection, transaction

from audit.models import AuditArchive, AuditEntry

GENESIS_HASH = "0" * 64
# pg_advisory_xact_lock key taken by sealers only (requests never take it): "AUDIT" in ASCII.
SEAL_LOCK_KEY = 0x4155444954
SEAL_BATCH_SIZE = 2000
CANONICAL_VERSION = "audit-v1"

# The hashed fields, in a fixed order. Adding a column to the table means a new CANONICAL_VERSION.
HASHED_FIELDS = (
    "chain_seq",
    "public_id",
    "occurred_at",
    "agency_code",
    "client_id",
    "client_name",
    "action",
    "object_type",
    "object_id",
    "outcome",
    "reason",
    "request_id",
    "source_ip",
    "purpose",
    "prev_hash",
)


def _canonical_value(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if value is None or isinstance(value, (int, str)):
        return value
    return str(value)


def canonical_bytes(values: dict) -> bytes:
    """Return the canonical encoding of a row: a JSON array of the version and the hashed fields, in order."""
    return orjson.dumps([CANONICAL_VERSION, *(_canonical_value(values[name]) for name in HASHED_FIELDS)])


def compute_row_hash(values: dict) -> str:
    """Return the hex SHA-256 of a row's canonical encoding (its ``prev_hash`` and ``chain_seq`` included)."""
    return hashlib.sha256(canonical_bytes(values)).hexdigest()


def _row_values(entry: AuditEntry) -> dict:
    return {name: getattr(entry, name) for name in HASHED_FIELDS}


def chain_head() -> tuple[int, str]:
    """Return ``(chain_seq, row_hash)`` of the last sealed row; with no row, the end of the newest archived
    segment, or ``(0, GENESIS_HASH)`` for an empty chain."""
    head = (
        AuditEntry.objects.filter(chain_seq__isnull=False)
        .order_by("-chain_seq")
        .values_list("chain_seq", "row_hash")
        .first()
    )
    if head:
        return head
    seq, prev = chain_start()
    return seq - 1, prev


def chain_start() -> tuple[int, str]:
    """``(chain_seq, prev_hash)`` the entries kept in the table start from: after the newest archived segment
    (``audit_archive``), else ``(1, 64 zeros)``."""
    last = AuditArchive.objects.order_by("-last_seq").values_list("last_seq", "last_hash").first()
    return (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)


def _seal_batch(*, wait: bool, batch_size: int) -> int | None:
    """Seal up to ``batch_size`` committed rows in one transaction; ``None`` if another sealer holds the lock."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            if wait:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])
            else:
                cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])
                if not cursor.fetchone()[0]:
                    return None
        # Under the lock the head is stable: the previous sealer has committed, no other one runs.
        seq, prev = chain_head()
        # Only committed rows are visible here; rows of transactions still running are sealed by a later run,
        # after these, whatever their ids.
        rows = list(AuditEntry.objects.filter(chain_seq__isnull=True).order_by("id")[:batch_size])
        for entry in rows:
            seq += 1
            entry.chain_seq = seq
            entry.prev_hash = prev
            entry.row_hash = prev = compute_row_hash(_row_values(entry))
        if rows:
            AuditEntry.objects.bulk_update(rows, ["chain_seq", "prev_hash", "row_hash"], batch_size=500)
        return len(rows)


def audit_seal(*, wait: bool = True, batch_size: int = SEAL_BATCH_SIZE) -> int:
    """Chain every committed unsealed row; returns how many were sealed.

    ``wait=False`` returns 0 at once if another sealer is running (what a periodic task wants).
    """
    total = 0
    while True:
        sealed = _seal_batch(wait=wait, batch_size=batch_size)
        if sealed is None:
            return total
        total += sealed
        if sealed < batch_size:
            return total


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    public_id: str
    chain_seq: int | None
    problem: str

    def __str__(self) -> str:
        return f"audit entry id={self.entry_id} public_id={self.public_id} chain_seq={self.chain_seq}: {self.problem}"


def archives_break() -> ChainBreak | None:
    """The first recorded archive that does not follow the one before (a gap or a fork between segments)."""
    expected_seq, expected_prev = 1, GENESIS_HASH
    for archive in AuditArchive.objects.order_by("first_seq"):
        if archive.first_seq != expected_seq or archive.prev_hash != expected_prev:
            return ChainBreak(0, "-", archive.first_seq, f"archive {archive.file_name} does not follow the one before")
        expected_seq, expected_prev = archive.last_seq + 1, archive.last_hash
    return None


@dataclass(frozen=True)
class VerifyResult:
    checked: int
    head_seq: int
    head_hash: str
    unsealed: int
    first_break: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def audit_verify_chain(*, anchor: tuple[int, str] | None = None) -> VerifyResult:
    """Walk the sealed chain in order; return the first row whose position, link or contents is wrong.

    ``anchor`` (``(chain_seq, row_hash)`` recorded elsewhere, e.g. from an export) must be found in the chain:
    this catches a chain cut short and re-sealed, which the links alone cannot.
    """
    # Archived segments left the table; the kept chain continues from the newest one's last hash.
    expected_seq, expected_prev = chain_start()
    checked = 0
    first_break: ChainBreak | None = archives_break()
    anchor_found = anchor is None
    sealed = AuditEntry.objects.filter(chain_seq__isnull=False).order_by("chain_seq")
    for entry in sealed.iterator(chunk_size=5000) if first_break is None else ():
        problem = None
        if entry.chain_seq != expected_seq:
            problem = f"expected chain_seq {expected_seq}: entries are missing before this one"
        elif entry.prev_hash != expected_prev:
            problem = "prev_hash does not match the previous entry's row_hash"
        elif entry.row_hash != compute_row_hash(_row_values(entry)):
            problem = "row_hash does not match the entry's contents (the entry was changed)"
        if problem:
            first_break = ChainBreak(entry.id, str(entry.public_id), entry.chain_seq, problem)
            break
        if anchor is not None and entry.chain_seq == anchor[0]:
            anchor_found = entry.row_hash == anchor[1]
            if not anchor_found:
                first_break = ChainBreak(entry.id, str(entry.public_id), entry.chain_seq, "does not match the anchor")
                break
        checked += 1
        expected_seq, expected_prev = entry.chain_seq + 1, entry.row_hash
    if first_break is None and not anchor_found:
        first_break = ChainBreak(0, "-", anchor[0], "the anchored entry is not in the chain (the chain was cut)")
    unsealed = AuditEntry.objects.filter(chain_seq__isnull=True).count()
    return VerifyResult(checked, expected_seq - 1, expected_prev, unsealed, first_break)
