"""The key store's API: get or create a referral's data key, destroy it (crypto-shredding), rewrap under a new KEK.

Each function runs on the key store's own database (``keystore_alias()``: ``KEYSTORE_DATABASE_URL``, else the
main one). When that is the main database, a call made inside a transaction joins it (a referral created in a
rolled-back transaction leaves no key); when it is a separate database, the call commits on its own, so a
rolled-back create leaves an unused key behind, which holds nothing and is harmless.

Plain data keys are returned to the caller and never stored or cached here; the per-request cache is
``referral_api.keystore.keyring``.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connections, transaction
from django.utils import timezone

from referral_api import crypto
from referral_api.keystore.models import DataKey
from referral_api.keystore.routers import keystore_alias

__all__ = [
    "DataKeyDestroyed",
    "DataKeyUnavailable",
    "RewrapReport",
    "data_key_destroy",
    "data_key_get_or_create",
    "data_key_is_destroyed",
    "data_key_renew",
    "data_key_retire_older",
    "data_keys_rewrap",
    "data_keys_unwrap",
]


class DataKeyDestroyed(Exception):
    """The referral's data key was destroyed (the referral was disposed of): its data can never be read again."""


class DataKeyUnavailable(Exception):
    """No configured KEK unwraps the referral's data key (a KEK was removed too early), or it was tampered with."""


def _table() -> str:
    return connections[keystore_alias()].ops.quote_name(DataKey._meta.db_table)


def _insert(referral_id, generation: int) -> bytes | None:
    """Insert a new wrapped key for ``(referral_id, generation)``; return it, or ``None`` if that row exists."""
    key = crypto.new_data_key()
    kek_id, wrapped = crypto.wrap_data_key(key, referral_id=referral_id, generation=generation)
    with connections[keystore_alias()].cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_table()} (referral_id, generation, kek_id, wrapped, created_at) "  # noqa: S608 - table name from model metadata
            "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (referral_id, generation) DO NOTHING RETURNING id",
            [referral_id, generation, kek_id, wrapped, timezone.now()],
        )
        return key if cursor.fetchone() else None


def _unwrap(row) -> bytes:
    """``row``: a data key row (a ``DataKey`` or a named row with its columns)."""
    try:
        return crypto.unwrap_data_key(
            bytes(row.wrapped), kek_id=row.kek_id, referral_id=row.referral_id, generation=row.generation
        )
    except crypto.InvalidTag:
        raise DataKeyUnavailable(str(row.referral_id)) from None


def data_keys_unwrap(referral_ids: Iterable) -> dict[uuid.UUID, dict[int, bytes] | None]:
    """Unwrap every live data key of these referrals in **one query**.

    Returns ``{referral_id: {generation: data key}}``; ``None`` for a referral whose keys were destroyed;
    referrals without any key are absent. Raises ``DataKeyUnavailable`` if a key cannot be unwrapped.
    """
    ids = {uuid.UUID(str(i)) for i in referral_ids}
    if not ids:
        return {}
    found: dict[uuid.UUID, dict[int, bytes] | None] = {}
    newest: dict[uuid.UUID, int] = {}
    # Named rows, not model instances: a page of 50 referrals unwraps 50 keys, and only these columns are read.
    rows = (
        DataKey.objects.filter(referral_id__in=ids)
        .order_by("referral_id", "generation")
        .values_list("referral_id", "generation", "kek_id", "wrapped", "destroyed_at", named=True)
    )
    for row in rows:
        newest[row.referral_id] = row.generation
        if row.destroyed_at is not None:
            found.setdefault(row.referral_id, {})
            continue
        found.setdefault(row.referral_id, {})[row.generation] = _unwrap(row)
    for referral_id, generation in newest.items():
        keys = found[referral_id]
        if keys is not None and generation not in keys:
            found[referral_id] = None  # the newest generation is a tombstone: destroyed
    return found


def data_key_get_or_create(*, referral_id) -> tuple[int, bytes]:
    """Return ``(generation, data key)`` of the referral's current data key, creating generation 1 if none exists.

    Raises ``DataKeyDestroyed`` once the key was destroyed: a disposed referral never gets a new key.
    One query for a new referral (``INSERT ... ON CONFLICT DO NOTHING``), two for an existing one.
    """
    key = _insert(referral_id, 1)
    if key is not None:
        return 1, key
    keys = data_keys_unwrap([referral_id]).get(uuid.UUID(str(referral_id)))
    if not keys:
        raise DataKeyDestroyed(str(referral_id))
    generation = max(keys)
    return generation, keys[generation]


def data_key_is_destroyed(*, referral_id) -> bool:
    """Whether the referral's data key was destroyed (``data_key_destroy``)."""
    rows = DataKey.objects.filter(referral_id=referral_id).order_by("-generation")
    newest = rows.values_list("destroyed_at", flat=True).first()
    return newest is not None


def data_key_destroy(*, referral_id) -> bool:
    """Destroy every generation of the referral's data key (crypto-shredding); idempotent.

    The wrapped keys are overwritten with NULL and a tombstone row stays (a referral that never had a key gets
    one), so later writes fail with ``DataKeyDestroyed`` instead of starting a new key. Returns ``True`` if a
    live key was destroyed by this call. Everything sealed under the key, in this database and in every
    backup of it, is unreadable once no copy of the wrapped key remains: the key store's own backups must expire
    (docs/privacy.md, "Why the key store is separate").
    """
    now = timezone.now()
    with transaction.atomic(using=keystore_alias()):
        destroyed = DataKey.objects.filter(referral_id=referral_id, destroyed_at__isnull=True).update(
            wrapped=None, kek_id="", destroyed_at=now
        )
        if not DataKey.objects.filter(referral_id=referral_id).exists():
            DataKey.objects.create(referral_id=referral_id, generation=1, wrapped=None, destroyed_at=now)
    return destroyed > 0


def data_key_renew(*, referral_id) -> tuple[int, bytes]:
    """Create the next generation of a referral's data key (for re-encryption); return it."""
    while True:
        keys = data_keys_unwrap([referral_id]).get(uuid.UUID(str(referral_id)), {})
        if keys is None:
            raise DataKeyDestroyed(str(referral_id))
        generation = max(keys, default=0) + 1
        key = _insert(referral_id, generation)
        if key is not None:
            return generation, key


def data_key_retire_older(*, referral_id, generation: int) -> int:
    """Destroy the generations before ``generation`` once nothing is sealed under them any more."""
    return DataKey.objects.filter(referral_id=referral_id, generation__lt=generation, destroyed_at__isnull=True).update(
        wrapped=None, kek_id="", destroyed_at=timezone.now()
    )


@dataclass
class RewrapReport:
    """What ``data_keys_rewrap`` did: keys rewrapped, keys no KEK opens, and the seconds it took."""

    rewrapped: int = 0
    failed: int = 0
    remaining: int = 0
    seconds: float = 0.0

    @property
    def seconds_per_10k(self) -> float:
        return self.seconds / self.rewrapped * 10_000 if self.rewrapped else 0.0


def data_keys_rewrap(*, batch_size: int = 1000, dry_run: bool = False, after_batch=None) -> RewrapReport:
    """Rewrap every live data key not under the newest KEK (no data is re-encrypted); resumable.

    Walks the key store by id (keyset), ``batch_size`` keys per short transaction; each key is written only
    ``WHERE kek_id = <the one read>``, so a concurrent rewrap or destroy is never overwritten. A key no configured
    KEK opens is counted in ``failed`` and left as it is.
    """
    report = RewrapReport()
    started = time.perf_counter()
    newest = crypto.newest_kek()
    alias = keystore_alias()
    after = 0
    failed: set[int] = set()
    while True:
        rows = list(
            DataKey.objects.filter(destroyed_at__isnull=True, id__gt=after)
            .exclude(kek_id=newest.kek_id)
            .order_by("id")
            .values_list("id", "referral_id", "generation", "kek_id", "wrapped")[:batch_size]
        )
        if not rows:
            break
        after = rows[-1][0]
        changes = []
        for pk, referral_id, generation, kek_id, wrapped in rows:
            try:
                key = crypto.unwrap_data_key(
                    bytes(wrapped), kek_id=kek_id, referral_id=referral_id, generation=generation
                )
            except crypto.InvalidTag:
                failed.add(pk)
                continue
            _, new = crypto.wrap_data_key(key, referral_id=referral_id, generation=generation, kek=newest)
            changes.append((pk, kek_id, new))
        if dry_run:
            report.rewrapped += len(changes)
        elif changes:
            row = "(%s::bigint, %s::varchar, %s::bytea)"
            sql = (
                f"UPDATE {_table()} AS t SET kek_id = %s, wrapped = v.new, rewrapped_at = now() "  # noqa: S608
                f"FROM (VALUES {', '.join([row] * len(changes))}) AS v(id, old_kek, new) "
                "WHERE t.id = v.id AND t.kek_id = v.old_kek AND t.destroyed_at IS NULL"
            )
            with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
                cursor.execute(sql, [newest.kek_id, *[p for change in changes for p in change]])
                report.rewrapped += cursor.rowcount
        if after_batch is not None:
            after_batch(report)
    report.failed = len(failed)
    report.remaining = (
        DataKey.objects.filter(destroyed_at__isnull=True).exclude(kek_id=newest.kek_id).count() if not dry_run else 0
    )
    report.seconds = time.perf_counter() - started
    return report
