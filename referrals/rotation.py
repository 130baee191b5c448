"""Key rotation: re-encrypt every stored value under the newest field-encryption key.

``settings.FIELD_ENCRYPTION_KEYS`` lists keys newest first; every listed key decrypts, only the first encrypts.
After a new key is put in front, ``encryption_keys_rotate`` rewrites every value still under an older key, so
the old key can then be removed (procedure: docs/privacy.md, "Rotating a key").

What is visited:

* every concrete field of every installed model that is one of ``referrals.fields.ENCRYPTED_FIELD_TYPES``
  (text columns holding Fernet tokens), found through ``apps.get_models()``;
* ``bytea`` columns an app declares in ``<app>/rotation.py`` as ``ENCRYPTED_BINARY_FIELDS`` (webhook secrets);
* stored attachment objects, through ``attachments.services.attachments_reencrypt``.

How it stays safe on a live database:

* Raw column values are read and written with SQL, never through the model fields (which would decrypt and
  re-encrypt every value on save), table by table in primary-key order, a batch at a time (keyset on the key).
* A value is done when the newest key alone decrypts it. There is no progress table: a run that stops midway
  (crash, deploy, Ctrl-C) is simply started again; it skips what is done and never encrypts twice
  (``MultiFernet.rotate`` decrypts before it encrypts, so even a repeated rotate yields one layer).
* Each batch is written in one short transaction, one ``UPDATE ... FROM (VALUES ...)`` per column, and each row
  is written only ``WHERE column = <the token read>``. A value changed by a concurrent request in between
  (already under the newest key, since the application encrypts with it) is left as it is, never overwritten
  with an older plaintext. Rows are locked only for the length of that one UPDATE.
* A value that no listed key decrypts is logged (table, column, primary key; never the value), counted as
  failed and left as it is; the rest of the run goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import import_module

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.conf import settings
from django.db import connection, models, transaction
from django.utils.module_loading import module_has_submodule

from referral_api import crypto
from referrals.fields import ENCRYPTED_FIELD_TYPES

logger = logging.getLogger("referrals.rotation")

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
    "table_reencrypt",
]


@dataclass(frozen=True)
class EncryptedColumn:
    """One column of Fernet tokens: ``binary`` for ``bytea`` (``encrypt_str``), else text (``encrypt_text``)."""

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
    tables: list[TableReport] = field(default_factory=list)
    # Attachment objects re-encrypted (dry run: still under an older key), and those left behind (corrupt).
    attachments_reencrypted: int = 0
    attachments_remaining: int = 0

    @property
    def values_failed(self) -> int:
        return sum(t.values_failed for t in self.tables)

    @property
    def complete(self) -> bool:
        return self.values_failed == 0 and self.attachments_remaining == 0


# --- discovery -----------------------------------------------------------------------------------------------
def _binary_fields() -> dict[type[models.Model], list[str]]:
    """``ENCRYPTED_BINARY_FIELDS`` declared in each installed app's ``rotation`` module."""
    found: dict[type[models.Model], list[str]] = {}
    for app_config in apps.get_app_configs():
        if not module_has_submodule(app_config.module, "rotation"):
            continue
        module = import_module(f"{app_config.name}.rotation")
        for label, name in getattr(module, "ENCRYPTED_BINARY_FIELDS", ()):
            model = apps.get_model(label)
            model._meta.get_field(name)  # fail loudly on a stale declaration
            found.setdefault(model, []).append(name)
    return found


def encrypted_tables() -> list[EncryptedTable]:
    """Every table holding encrypted values, with its encrypted columns, in a stable order."""
    binary = _binary_fields()
    tables: dict[str, EncryptedTable] = {}
    for model in apps.get_models():
        opts = model._meta
        if opts.proxy or not opts.managed:
            continue
        columns = [
            EncryptedColumn(name=f.column, field=f.name)
            for f in opts.local_concrete_fields
            if isinstance(f, ENCRYPTED_FIELD_TYPES)
        ]
        columns += [EncryptedColumn(name=opts.get_field(n).column, field=n, binary=True) for n in binary.get(model, [])]
        if not columns or opts.db_table in tables:
            continue
        tables[opts.db_table] = EncryptedTable(
            label=opts.label,
            table=opts.db_table,
            pk=opts.pk.column,
            pk_cast=opts.pk.cast_db_type(connection),
            columns=tuple(columns),
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
def _attachments(*, batch_size: int, dry_run: bool, report: RotationReport) -> None:
    if not apps.is_installed("attachments"):
        return
    from attachments.models import Attachment
    from attachments.services import attachments_reencrypt
    from attachments.storage import key_fingerprint

    if not dry_run:
        report.attachments_reencrypted = attachments_reencrypt(batch_size=batch_size)
    remaining = Attachment.objects.exclude(key_fingerprint=key_fingerprint()).count()
    if dry_run:
        report.attachments_reencrypted = remaining
    else:
        report.attachments_remaining = remaining


def encryption_keys_rotate(
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
    after_batch: Callable[[TableReport], None] | None = None,
) -> RotationReport:
    """Re-encrypt every stored value and attachment under the newest key; return what was done, per table.

    Safe to run again at any time (resumes; does nothing once every value is under the newest key).
    """
    report = RotationReport(dry_run=dry_run)
    # Attachments first: their rows' file name and description are re-saved under the newest key there.
    _attachments(batch_size=batch_size, dry_run=dry_run, report=report)
    for table in encrypted_tables():
        report.tables.append(table_reencrypt(table, batch_size=batch_size, dry_run=dry_run, after_batch=after_batch))
    logger.info(
        "encryption key rotation finished",
        extra={
            "dry_run": dry_run,
            "values_reencrypted": sum(t.values_reencrypted for t in report.tables),
            "values_failed": report.values_failed,
            "attachments_reencrypted": report.attachments_reencrypted,
            "attachments_remaining": report.attachments_remaining,
        },
    )
    return report
