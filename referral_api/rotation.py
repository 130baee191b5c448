"""Key rotation: rewrap every data key under the newest key-encryption key, and re-encrypt what the KEKs encrypt
directly; or, for a suspected data-key compromise, re-encrypt referrals under fresh data keys.

``settings.FIELD_ENCRYPTION_KEYS`` lists KEKs newest first; every listed key unwraps, only the first wraps.
After a new KEK is put in front, ``encryption_keys_rotate``:

* rewraps each referral's data key (``referral_api.keystore.services.data_keys_rewrap``): 60 bytes per referral,
  no data is decrypted or re-encrypted, so the cost does not grow with the size of the records or files;
* re-encrypts the ``bytea`` columns apps registered as KEK columns (``referral_api.encryption``: webhook
  signing secrets, Fernet tokens under the KEK).

How the column part stays safe on a live database:

* Raw column values are read and written with SQL, never through the model fields, table by table in primary-key
  order, a batch at a time (keyset on the key).
* A value is done when the newest key alone decrypts it. There is no progress table: a run that stops midway is
  simply started again; it skips what is done and never encrypts twice.
* Each batch is written in one short transaction, one ``UPDATE ... FROM (VALUES ...)`` per column, and each row
  is written only ``WHERE column = <the token read>``: a value changed concurrently is never overwritten.
* A value that no listed key decrypts is logged (table, column, primary key; never the value), counted as
  failed and left as it is; the rest of the run goes on.

``referrals_reencrypt`` (``--reencrypt``) seals each referral's records and files under a new data key
generation (``referral_api.sealing.referral_reencrypt``) and destroys the older generations.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import connection, models, transaction

from referral_api import crypto
from referral_api.encryption import file_hooks, kek_columns
from referral_api.keystore import keyring
from referral_api.keystore.models import DataKey
from referral_api.keystore.services import RewrapReport, data_keys_rewrap
from referral_api.sealing import referral_reencrypt

logger = logging.getLogger("referral_api.rotation")

DEFAULT_BATCH_SIZE = 500

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "EncryptedColumn",
    "EncryptedTable",
    "RotationReport",
    "TableReport",
    "encrypted_tables",
    "encryption_keys_rotate",
    "is_under_newest_key",
    "referrals_reencrypt",
    "table_reencrypt",
]


@dataclass(frozen=True)
class EncryptedColumn:
    """One column of Fernet tokens under the KEKs: ``binary`` for ``bytea`` (``encrypt_str``), else text."""

    name: str
    field: str
    binary: bool = False


@dataclass(frozen=True)
class EncryptedTable:
    """A table with encrypted columns, and its primary key (the keyset the rotation walks)."""

    label: str
    table: str
    pk: str
    pk_cast: str
    columns: tuple[EncryptedColumn, ...]


@dataclass
class TableReport:
    """What a rotation did (or, in a dry run, would do) to one table."""

    label: str
    table: str
    rows_scanned: int = 0
    rows_reencrypted: int = 0
    values_reencrypted: int = 0
    values_failed: int = 0
    # Values changed by a concurrent write between read and update: left as written (newest key).
    values_skipped_concurrent: int = 0


@dataclass
class RotationReport:
    dry_run: bool
    data_keys: RewrapReport = field(default_factory=RewrapReport)
    tables: list[TableReport] = field(default_factory=list)
    # Stored files still in the v1.0 format (Fernet under the KEK): the KEK cannot go until they are converted.
    files_v1: int = 0

    @property
    def values_failed(self) -> int:
        return sum(t.values_failed for t in self.tables)

    @property
    def complete(self) -> bool:
        return (
            self.values_failed == 0 and self.data_keys.failed == 0 and self.data_keys.remaining == 0
            and self.files_v1 == 0
        )  # fmt: skip


# --- discovery -----------------------------------------------------------------------------------------------
def encrypted_tables() -> list[EncryptedTable]:
    """Every table with registered KEK columns (``referral_api.encryption``), in a stable order."""
    by_model: dict[type[models.Model], list[str]] = {}
    for model, name in kek_columns():
        by_model.setdefault(model, []).append(name)
    tables: dict[str, EncryptedTable] = {}
    for model, names in by_model.items():
        opts = model._meta
        tables[opts.db_table] = EncryptedTable(
            label=opts.label,
            table=opts.db_table,
            pk=opts.pk.column,
            pk_cast=opts.pk.cast_db_type(connection),
            columns=tuple(EncryptedColumn(name=opts.get_field(n).column, field=n, binary=True) for n in names),
        )
    return [tables[name] for name in sorted(tables)]


# --- the newest key ------------------------------------------------------------------------------------------
@lru_cache(maxsize=4)
def _fernet(key: str) -> Fernet:
    return Fernet(key.strip().encode("ascii"))


def is_under_newest_key(token: bytes | str) -> bool:
    """Return whether the first key of ``FIELD_ENCRYPTION_KEYS`` alone decrypts ``token``."""
    if isinstance(token, str):
        token = token.encode("ascii", "replace")
    try:
        _fernet(settings.FIELD_ENCRYPTION_KEYS[0]).decrypt(bytes(token))
    except InvalidToken:
        return False
    return True


def _rotate(token, binary: bool):
    # Looked up on the module at call time, so a test can make it fail midway.
    if binary:
        return crypto.reencrypt_bytes(bytes(token))
    return crypto.reencrypt_text(token)


# --- one table -----------------------------------------------------------------------------------------------
def _read_batch(table: EncryptedTable, after, batch_size: int) -> list[tuple]:
    qn = connection.ops.quote_name
    columns = ", ".join(qn(c.name) for c in table.columns)
    where = f" WHERE {qn(table.pk)} > %s" if after is not None else ""
    sql = f"SELECT {qn(table.pk)}, {columns} FROM {qn(table.table)}{where} ORDER BY {qn(table.pk)} LIMIT %s"  # noqa: S608 - names from model metadata
    with connection.cursor() as cursor:
        cursor.execute(sql, [after, batch_size] if after is not None else [batch_size])
        return cursor.fetchall()


def _write_column(table: EncryptedTable, column: EncryptedColumn, changes: list[tuple]) -> set:
    """``UPDATE`` one column of a batch where it still holds the token read; return the keys written."""
    qn = connection.ops.quote_name
    value_cast = "bytea" if column.binary else "text"
    row = f"(%s::{table.pk_cast}, %s::{value_cast}, %s::{value_cast})"
    sql = (
        f"UPDATE {qn(table.table)} AS t SET {qn(column.name)} = v.new "  # noqa: S608 - names from model metadata
        f"FROM (VALUES {', '.join([row] * len(changes))}) AS v(pk, old, new) "
        f"WHERE t.{qn(table.pk)} = v.pk AND t.{qn(column.name)} = v.old "
        f"RETURNING t.{qn(table.pk)}"
    )
    params = [param for change in changes for param in change]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {r[0] for r in cursor.fetchall()}


def table_reencrypt(
    table: EncryptedTable,
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
    after_batch: Callable[[TableReport], None] | None = None,
) -> TableReport:
    """Re-encrypt one table's values still under an older key, ``batch_size`` rows per transaction."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    report = TableReport(label=table.label, table=table.table)
    after = None
    while True:
        rows = _read_batch(table, after, batch_size)
        if not rows:
            return report
        after = rows[-1][0]
        report.rows_scanned += len(rows)
        changes: dict[EncryptedColumn, list[tuple]] = {}
        for row in rows:
            pk = row[0]
            for column, raw in zip(table.columns, row[1:], strict=True):
                if raw is None:
                    continue
                token = bytes(raw) if column.binary else raw
                if is_under_newest_key(token):
                    continue
                try:
                    new = _rotate(token, column.binary)
                except (InvalidToken, ValueError):
                    report.values_failed += 1
                    logger.error(
                        "encrypted value could not be decrypted with any key",
                        extra={"table": table.table, "column": column.name, "pk": str(pk)},
                    )
                    continue
                changes.setdefault(column, []).append((pk, token, new))
        if dry_run:
            todo = {pk for pairs in changes.values() for pk, _old, _new in pairs}
            report.rows_reencrypted += len(todo)
            report.values_reencrypted += sum(len(pairs) for pairs in changes.values())
        elif changes:
            written: set = set()
            with transaction.atomic():
                for column, pairs in changes.items():
                    done = _write_column(table, column, pairs)
                    written |= done
                    report.values_reencrypted += len(done)
                    report.values_skipped_concurrent += len(pairs) - len(done)
            report.rows_reencrypted += len(written)
        if after_batch is not None:
            after_batch(report)


# --- everything ----------------------------------------------------------------------------------------------
def encryption_keys_rotate(
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
    after_batch: Callable[[TableReport], None] | None = None,
) -> RotationReport:
    """Rewrap every data key and re-encrypt every KEK column under the newest KEK; return what was done.

    Safe to run again at any time (resumes; does nothing once everything is under the newest KEK).
    """
    report = RotationReport(dry_run=dry_run)
    report.data_keys = data_keys_rewrap(batch_size=max(batch_size, 1), dry_run=dry_run)
    for table in encrypted_tables():
        report.tables.append(table_reencrypt(table, batch_size=batch_size, dry_run=dry_run, after_batch=after_batch))
    report.files_v1 = sum(hook.legacy_count() for hook in file_hooks())
    logger.info(
        "encryption key rotation finished",
        extra={
            "dry_run": dry_run,
            "data_keys_rewrapped": report.data_keys.rewrapped,
            "data_keys_failed": report.data_keys.failed,
            "values_reencrypted": sum(t.values_reencrypted for t in report.tables),
            "values_failed": report.values_failed,
        },
    )
    return report


@dataclass
class ReencryptReport:
    referrals: int = 0
    values: int = 0
    failed: int = 0


def referrals_reencrypt(*, before, batch_size: int = 100, dry_run: bool = False) -> ReencryptReport:
    """Re-encrypt every referral whose current data key was created before ``before`` under a fresh data key.

    Resumable: a referral done by an earlier run with the same ``before`` has a newer key and is skipped.
    """
    report = ReencryptReport()
    after = None
    while True:
        live = DataKey.objects.filter(destroyed_at__isnull=True)
        newest = live.filter(created_at__lt=before).exclude(
            referral_id__in=live.filter(created_at__gte=before).values("referral_id")
        )
        if after is not None:
            newest = newest.filter(referral_id__gt=after)
        ids = list(newest.order_by("referral_id").values_list("referral_id", flat=True).distinct()[:batch_size])
        if not ids:
            return report
        after = ids[-1]
        for referral_id in ids:
            if dry_run:
                report.referrals += 1
                continue
            try:
                with keyring.scope():
                    report.values += referral_reencrypt(referral_id)
                report.referrals += 1
            except Exception:
                report.failed += 1
                logger.exception("referral could not be re-encrypted", extra={"referral_id": str(referral_id)})
