#!/usr/bin/env python
"""Time a KEK rotation (rewrap) of N referrals' data keys, and the cost of the per-request key unwrap.

    DATABASE_URL=postgres://... python bench/rotation.py [--referrals 100000] [--batch-size 1000]

Uses the database ``DATABASE_URL`` names (migrated): inserts N wrapped data keys for random referral ids under the
current KEK, puts a new KEK in front (in this process only), runs ``data_keys_rewrap`` (what
``rotate_encryption_keys`` runs) and prints the time, then deletes the rows it added. Referral data is never
touched by a rewrap, so the size of records and files does not matter; only the key store's row count does.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "referral_api.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=1000)
    args = parser.parse_args()

    import django

    django.setup()
    from cryptography.fernet import Fernet
    from django.conf import settings
    from django.db import connection
    from django.utils import timezone

    from referral_api import crypto
    from referral_api.keystore.models import DataKey
    from referral_api.keystore.services import data_keys_rewrap, data_keys_unwrap

    with connection.cursor() as cursor:
        cursor.execute("SET statement_timeout = 0")
    ids = [uuid.uuid4() for _ in range(args.referrals)]
    started = time.perf_counter()
    now = timezone.now()
    for start in range(0, len(ids), 5000):
        rows = []
        for referral_id in ids[start : start + 5000]:
            kek_id, wrapped = crypto.wrap_data_key(crypto.new_data_key(), referral_id=referral_id, generation=1)
            rows.append(DataKey(referral_id=referral_id, generation=1, kek_id=kek_id, wrapped=wrapped, created_at=now))
        DataKey.objects.bulk_create(rows)
    print(f"seeded {len(ids)} wrapped data keys in {time.perf_counter() - started:.1f} s")
    try:
        page = ids[:200]
        timings = []
        for _ in range(20):
            t = time.perf_counter()
            data_keys_unwrap(page)
            timings.append(time.perf_counter() - t)
        print(f"unwrap of a 200-referral page (one query + 200 AES-GCM unwraps): best {min(timings) * 1000:.2f} ms")

        settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.FIELD_ENCRYPTION_KEYS]
        report = data_keys_rewrap(batch_size=args.batch_size)
        print(
            f"rewrapped {report.rewrapped} data keys in {report.seconds:.2f} s "
            f"({report.seconds_per_10k:.2f} s per 10,000 referrals; batch size {args.batch_size}); "
            f"failed {report.failed}, remaining {report.remaining}"
        )
    finally:
        for start in range(0, len(ids), 10_000):
            DataKey.objects.filter(referral_id__in=ids[start : start + 10_000]).delete()


if __name__ == "__main__":
    main()
