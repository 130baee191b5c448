"""Archiving old segments of the audit chain: write them to a signed file, then remove exactly those entries.

The segment is a **prefix of the chain**: every sealed entry from the first kept one up to the last ``chain_seq``
whose entries all occurred before the cut-off (chain order is sealing order, so a straggler sealed after a
later entry stays for the next archive). The newest sealed entry is never archived: the chain's head stays in
the table, so the sealer continues from it.

Removal, in one transaction of the owner role (``DATABASE_OWNER_URL``, else the application's connection): the
``AuditArchive`` row is recorded first (the delete guard reads it), every monthly partition whose rows all lie in
the segment is dropped whole, and the segment's rest (a partial month, the default partition) is deleted with
``audit.archive_delete = on`` (the trigger lets only the owner delete, and only archived entries).
"""

from __future__ import annotations

import datetime
import hashlib
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass

import orjson
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit import archive_format
from audit.chain import HASHED_FIELDS, _canonical_value, audit_seal, chain_head
from audit.models import AuditEntry

PARTITION = re.compile(r"^audit_auditentry_(p\d{4}_\d{2}|default)$")
PARTITIONS_AHEAD_MONTHS = 3


class ArchiveError(Exception):
    """The archive could not be written or verified; nothing was removed."""


@dataclass(frozen=True)
class ArchiveResult:
    count: int
    first_seq: int | None
    last_seq: int | None
    partitions_dropped: list[str]
    rows_deleted: int
    path: str


def partitions_ensure(*, months_ahead: int = PARTITIONS_AHEAD_MONTHS, now: datetime.datetime | None = None) -> int:
    """Create the monthly partitions from this month to ``months_ahead`` months on (the owner's function)."""
    now = now or timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT audit_partitions_ensure(%s, %s)", [now, now + datetime.timedelta(days=31 * months_ahead)]
        )
        return cursor.fetchone()[0]


def partitions(cursor) -> list[tuple[str, datetime.datetime | None, datetime.datetime | None]]:
    """``(name, lower bound, upper bound)`` of each partition of the audit table (``None`` bounds: default)."""
    cursor.execute(
        """
        SELECT c.relname, pg_get_expr(c.relpartbound, c.oid)
          FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'public.audit_auditentry'::regclass
         ORDER BY c.relname
        """
    )
    found = []
    for name, bound in cursor.fetchall():
        match = re.search(r"FROM \('([^']+)'\) TO \('([^']+)'\)", bound or "")
        if match is None:
            found.append((name, None, None))
        else:
            lower, upper = (datetime.datetime.fromisoformat(v) for v in match.groups())
            found.append((name, lower, upper))
    return found


def archive_key() -> str:
    key = getattr(settings, "AUDIT_ARCHIVE_KEY", "") or ""
    if not key:
        raise ArchiveError(
            "AUDIT_ARCHIVE_KEY is not set: it must be 32 random bytes, base64url (see docs/records.md, "
            '"Audit archives", for a one-line way to make one).'
        )
    return key


def archive_public_key() -> bytes:
    """The Ed25519 public key of ``AUDIT_ARCHIVE_KEY`` (what auditors verify with)."""
    return archive_format.public_key_bytes(archive_format.signing_key(archive_key()))


def segment_end(*, before: datetime.datetime) -> tuple[int, int]:
    """``(first kept chain_seq, last chain_seq to archive)``: the chain prefix that occurred before ``before``."""
    head_seq, _ = chain_head()
    sealed = AuditEntry.objects.filter(chain_seq__isnull=False)
    first = sealed.order_by("chain_seq").values_list("chain_seq", flat=True).first()
    if first is None:
        return 0, 0
    blocker = sealed.filter(occurred_at__gte=before).order_by("chain_seq").values_list("chain_seq", flat=True).first()
    last = (blocker - 1) if blocker is not None else head_seq
    # The head stays in the table: the sealer continues the chain from it.
    return first, min(last, head_seq - 1)


def _entry_line(values: tuple) -> bytes:
    entry = dict(zip([*HASHED_FIELDS, "row_hash"], values, strict=True))
    entry = {name: _canonical_value(value) for name, value in entry.items()}
    return orjson.dumps(entry) + b"\n"


def _write(path: str, *, first: int, last: int, before: datetime.datetime, key: str) -> dict:
    """Write entries ``first``..``last`` and the signed manifest to ``path`` (atomically); return the manifest."""
    private = archive_format.signing_key(key)
    public = archive_format.public_key_bytes(private)
    rows = (
        AuditEntry.objects.filter(chain_seq__gte=first, chain_seq__lte=last)
        .order_by("chain_seq")
        .values_list(*HASHED_FIELDS, "row_hash")
    )
    digest = hashlib.sha256()
    count = 0
    first_entry = last_entry = None
    tmp = f"{path}.partial"
    with open(tmp, "wb") as out:
        for values in rows.iterator(chunk_size=5000):
            line = _entry_line(values)
            digest.update(line)
            out.write(line)
            count += 1
            entry = orjson.loads(line)
            first_entry = first_entry or entry
            last_entry = entry
        if count != last - first + 1:
            raise ArchiveError(f"expected {last - first + 1} entries from chain_seq {first}, found {count}")
        manifest = {
            "format": archive_format.FORMAT,
            "canonical_version": archive_format.CANONICAL_VERSION,
            "created_at": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
            "before": before.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "first_seq": first,
            "last_seq": last,
            "count": count,
            "prev_hash": first_entry["prev_hash"],
            "first_hash": first_entry["row_hash"],
            "last_hash": last_entry["row_hash"],
            "entries_sha256": digest.hexdigest(),
            "algorithm": "Ed25519",
            "public_key": archive_format.b64url(public),
            "key_id": archive_format.key_id(public),
        }
        manifest["signature"] = archive_format.b64url(private.sign(archive_format.manifest_bytes(manifest)))
        out.write(orjson.dumps({"manifest": {k: v for k, v in manifest.items() if k != "signature"},
                                "signature": manifest["signature"]}) + b"\n")  # fmt: skip
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)
    return manifest


@contextmanager
def owner_cursor():
    """A cursor of the schema owner in one transaction: ``DATABASE_OWNER_URL`` if it is set, else the app's own."""
    owner_url = getattr(settings, "DATABASE_OWNER_URL", "") or ""
    if not owner_url:
        with transaction.atomic(), connection.cursor() as cursor:
            yield cursor
        return
    from urllib.parse import unquote

    import environ
    import psycopg2

    config = environ.Env.db_url_config(owner_url)
    conn = psycopg2.connect(
        dbname=config["NAME"], user=config.get("USER") or None, password=config.get("PASSWORD") or None,
        host=unquote(config.get("HOST") or "") or None, port=config.get("PORT") or None,
    )  # fmt: skip
    try:
        with conn, conn.cursor() as cursor:  # one transaction: committed on success, rolled back on error
            yield cursor
    finally:
        conn.close()


def _remove(*, manifest: dict, path: str, file_sha256: str, before: datetime.datetime) -> tuple[list[str], int]:
    """Record the archive, drop the partitions it covers whole, delete the rest of its entries; one transaction."""
    first, last = manifest["first_seq"], manifest["last_seq"]
    dropped: list[str] = []
    with owner_cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditarchive (created_at, before, first_seq, last_seq, entry_count, prev_hash, "
            "first_hash, last_hash, file_name, file_sha256, key_id, signature) "
            "VALUES (now(), %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [before, first, last, manifest["count"], manifest["prev_hash"], manifest["first_hash"],
             manifest["last_hash"], os.path.basename(path)[:255], file_sha256, manifest["key_id"],
             manifest["signature"]],
        )  # fmt: skip
        removed = 0
        for name, _lower, upper in partitions(cursor):
            if upper is None or upper > before or not PARTITION.match(name):
                continue
            # Whole only if every row is in the segment (no unsealed row, no straggler sealed after the segment).
            cursor.execute(
                f'SELECT count(*) FILTER (WHERE chain_seq IS NULL OR chain_seq > %s), count(*) FROM "{name}"',  # noqa: S608 - name checked against PARTITION
                [last],
            )
            outside, total = cursor.fetchone()
            if outside == 0:
                cursor.execute(f'DROP TABLE "{name}"')
                dropped.append(name)
                removed += total
        cursor.execute("SET LOCAL audit.archive_delete = 'on'")
        cursor.execute("DELETE FROM audit_auditentry WHERE chain_seq >= %s AND chain_seq <= %s", [first, last])
        deleted = cursor.rowcount
        cursor.execute("SET LOCAL audit.archive_delete = 'off'")
        if removed + deleted != manifest["count"]:
            # Exactly the archived entries leave the database, or nothing does (the transaction rolls back).
            raise ArchiveError(f"{removed + deleted} entries would be removed, the archive holds {manifest['count']}")
    return dropped, deleted


def audit_archive(*, before: datetime.datetime, path: str) -> ArchiveResult:
    """Archive the sealed chain prefix that occurred before ``before`` to ``path``, then remove it from the table."""
    key = archive_key()
    if os.path.exists(path):
        raise ArchiveError(f"{path} exists already: archives are never overwritten.")
    audit_seal()
    first, last = segment_end(before=before)
    if first == 0 or last < first:
        return ArchiveResult(0, None, None, [], 0, path)
    manifest = _write(path, first=first, last=last, before=before, key=key)
    # Read the file back and verify it exactly as an auditor would, before anything is removed.
    report = archive_format.verify_archive(path, public_key=archive_public_key())
    if not report.ok:
        raise ArchiveError("the written archive does not verify: " + "; ".join(report.problems))
    with open(path, "rb") as handle:
        file_sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
    dropped, deleted = _remove(manifest=manifest, path=path, file_sha256=file_sha256, before=before)
    return ArchiveResult(manifest["count"], first, last, dropped, deleted, path)
