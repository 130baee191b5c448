"""Moving sealed data between keys and formats: conversion from v1.0 and re-encryption under a fresh data key.

* ``legacy_convert_table``: v1.0 stored each sensitive field as its own Fernet token under the KEK (per-field
  columns). This reads those columns with SQL, a batch at a time in primary-key order, seals each row's values as
  one ciphertext under its referral's data key, and writes the sealed column and empties the old columns in one
  short transaction per batch. A row is done once its sealed column is set: an interrupted run is simply run again.
* ``referral_reencrypt``: seals every record of one referral (and, through the file hooks, its files) under a new
  data key generation, then destroys the older generations (for a suspected data-key compromise).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

import orjson
from django.db import connection, transaction

from referral_api import crypto
from referral_api.encryption import file_hooks, sealed_models
from referral_api.fields import SealedField
from referral_api.keystore import keyring
from referral_api.keystore.services import data_key_renew, data_key_retire_older

logger = logging.getLogger("referral_api.sealing")

__all__ = ["ConvertReport", "legacy_convert_table", "referral_reencrypt"]

TEXT, JSON, DATE = "text", "json", "date"


@dataclass
class ConvertReport:
    table: str
    rows_converted: int = 0
    rows_failed: int = 0
    rows_skipped_concurrent: int = 0


def _legacy_value(token: str | None, kind: str):
    if token is None:
        return None
    text = crypto.decrypt_text(token)
    if kind == JSON:
        return orjson.loads(text)
    if kind == DATE:
        return datetime.date.fromisoformat(text)
    return text


def legacy_convert_table(*, model, legacy: dict[str, tuple[str, str]], batch_size: int = 500,
                         after_batch=None) -> ConvertReport:  # fmt: skip
    """Seal the v1.0 per-field values of ``model`` (``legacy``: member -> (old column, text|json|date)).

    Resumable and idempotent: only rows whose sealed column is NULL and that still hold an old value are read.
    A value no configured key decrypts is logged (table, primary key; never the value) and its row left as it is.
    """
    # The sealed column that holds these members (a model may have several, e.g. a person's identity and basis).
    field: SealedField = next(
        f for f in model._meta.local_concrete_fields if isinstance(f, SealedField) and set(legacy) <= set(f.members)
    )
    opts = model._meta
    qn = connection.ops.quote_name
    table, pk = opts.db_table, opts.pk.column
    referral_column = opts.get_field(field.referral_attname.removesuffix("_id")).column
    members = list(legacy)
    columns = [legacy[m][0] for m in members]
    report = ConvertReport(table=table)
    pending = " OR ".join(f"{qn(c)} IS NOT NULL" for c in columns)
    select = (
        f"SELECT {qn(pk)}, {qn(referral_column)}, {', '.join(qn(c) for c in columns)} FROM {qn(table)} "  # noqa: S608 - names from model metadata
        f"WHERE {qn(field.column)} IS NULL AND ({pending}) AND {qn(pk)} > %s ORDER BY {qn(pk)} LIMIT %s"
    )
    after = None
    while True:
        with connection.cursor() as cursor:
            if after is None:
                cursor.execute(select.replace(f" AND {qn(pk)} > %s", ""), [batch_size])
            else:
                cursor.execute(select, [after, batch_size])
            rows = cursor.fetchall()
        if not rows:
            return report
        after = rows[-1][0]
        changes = []
        with keyring.scope():
            for row in rows:
                record_id, referral_id, tokens = row[0], row[1], row[2:]
                values = field.empty()
                try:
                    for member, token in zip(members, tokens, strict=True):
                        value = _legacy_value(token, legacy[member][1])
                        if value is not None or member not in field.lists:
                            values[member] = value
                except (crypto.InvalidToken, ValueError):
                    report.rows_failed += 1
                    logger.error("v1.0 value could not be decrypted", extra={"table": table, "pk": str(record_id)})
                    continue
                associated = crypto.aad(referral_id=referral_id, record=field.record, record_id=record_id)
                sealed = field.seal_values(values, referral_id=referral_id, associated=associated)
                changes.append((record_id, sealed))
            if changes:
                pk_cast = opts.pk.cast_db_type(connection)
                row_sql = f"(%s::{pk_cast}, %s::bytea)"
                cleared = ", ".join(f"{qn(c)} = NULL" for c in columns)
                sql = (
                    f"UPDATE {qn(table)} AS t SET {qn(field.column)} = v.sealed, {cleared} "  # noqa: S608
                    f"FROM (VALUES {', '.join([row_sql] * len(changes))}) AS v(pk, sealed) "
                    f"WHERE t.{qn(pk)} = v.pk AND t.{qn(field.column)} IS NULL"
                )
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute(sql, [p for change in changes for p in change])
                    report.rows_converted += cursor.rowcount
                    report.rows_skipped_concurrent += len(changes) - cursor.rowcount
        if after_batch is not None:
            after_batch(report)


def referral_reencrypt(referral_id) -> int:
    """Seal every record and file of one referral under a new data key generation; return the values rewritten.

    The new generation is created first; each table's rows are rewritten in one transaction, ``WHERE`` the blob
    is still the one read; files follow through the registered file hooks; then older generations are destroyed.
    An interrupted run leaves values under both generations, all readable; running again finishes it (a new
    generation each time, so nothing is ever left under a compromised key once a run completes).
    """
    generation, _key = data_key_renew(referral_id=referral_id)
    keyring.forget(referral_id)
    rewritten = 0
    with keyring.scope() as ring:
        for model, field in sealed_models():
            rows = list(
                model._default_manager.filter(**{field.referral_attname: referral_id})
                .exclude(**{f"{field.attname}__isnull": True})
                .values_list("pk", field.attname)
            )
            changes = []
            for pk, blob in rows:
                blob = bytes(blob)
                if crypto.sealed_generation(blob) == generation:
                    continue
                associated = crypto.aad(referral_id=referral_id, record=field.record, record_id=pk)
                values = field.open(blob, referral_id=referral_id, associated=associated)
                changes.append((pk, blob, field.seal_values(values, referral_id=referral_id, associated=associated)))
            assert all(crypto.sealed_generation(new) == generation for _pk, _old, new in changes if new)
            with transaction.atomic():
                for pk, old, new in changes:
                    rewritten += model._default_manager.filter(pk=pk, **{field.attname: old}).update(
                        **{field.attname: new}
                    )
        del ring
    for hook in file_hooks():
        rewritten += hook.reencrypt(referral_id)
    data_key_retire_older(referral_id=referral_id, generation=generation)
    keyring.forget(referral_id)
    return rewritten
