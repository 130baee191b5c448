#!/usr/bin/env python
"""Time the disposal of many referrals (docs/performance.md, "Disposal of 100,000 referrals").

    python -m bench.disposal                        # 100,000 referrals, database ra_records_disposal_bench
    python -m bench.disposal --referrals 10000 --batch-size 500

Creates a fresh database (``--database-url``), migrates, seeds the agencies, then writes ``--referrals`` completed
CBP -> ICE victim_assistance referrals, each with one person, one note and two status events, through the models
(so every sensitive column holds a real ciphertext, and each referral has its data key in the key store), closed
a year ago. Sets a zero-day retention policy and times ``records_dispose`` (every step of the real job: tombstones,
content deletion, data key destruction, audit rows, ``referral.disposed`` events). Prints one JSON line.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import time
import urllib.parse
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def fresh_database(url: str) -> None:
    import psycopg2

    parts = urllib.parse.urlparse(url)
    name = parts.path.lstrip("/")
    admin = psycopg2.connect(
        host=parts.hostname, port=parts.port or 5432, user=parts.username, password=parts.password, dbname="postgres"
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def seed(total: int, chunk: int = 2000) -> float:
    from django.db import transaction

    from agencies.models import Agency
    from referral_api import crypto
    from referral_api.keystore.models import DataKey
    from referrals.models import Note, Person, Referral, Status, StatusEvent

    cbp, ice = Agency.objects.get(code="CBP"), Agency.objects.get(code="ICE")
    closed = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=365)
    started = time.monotonic()
    for lo in range(0, total, chunk):
        with transaction.atomic():
            referrals = []
            for i in range(lo, min(lo + chunk, total)):
                referrals.append(
                    Referral(
                        id=uuid.uuid4(), reference=f"BENCH-{i:07d}", referral_type="victim_assistance",
                        status=Status.COMPLETED, priority="routine", sender_agency=cbp, sender_client_id="bench",
                        receiver_agency=ice, summary="Adult encountered at a port of entry",
                        narrative="Reports a debt owed to a recruiter.", consent_obtained=True,
                        consent_scope="share with VAP", created_at=closed - datetime.timedelta(days=30),
                        updated_at=closed, acknowledge_by=closed, acknowledged_at=closed, accepted_at=closed,
                        closed_at=closed, outcome_code="services_provided", outcome="Shelter found.",
                    )
                )  # fmt: skip
            # Data keys made and wrapped here and written in one INSERT (data_key_get_or_create does one each).
            wrapped = [(r.id, *crypto.wrap_data_key(crypto.new_data_key(), referral_id=r.id, generation=1))
                       for r in referrals]  # fmt: skip
            DataKey.objects.bulk_create(
                [DataKey(referral_id=rid, generation=1, kek_id=kek_id, wrapped=blob) for rid, kek_id, blob in wrapped]
            )
            Referral.objects.bulk_create(referrals)
            Person.objects.bulk_create(
                [
                    Person(
                        referral=r, position=0, role="victim", sex="female", citizenships=["HN"], languages=["es"],
                        given_name="Maria", family_name="Lopez", aliases=["Mari"], a_number="A123456789",
                        date_of_birth=datetime.date(1999, 4, 1), safe_contact={"phone": "+15555550100"},
                        location={"city": "San Diego"}, a_number_index="0" * 64,
                    )
                    for r in referrals
                ]
            )  # fmt: skip
            Note.objects.bulk_create(
                [
                    Note(referral=r, author_agency=ice, author_client_id="bench", author_client_name="bench",
                         body="Prefers a female interviewer.", information_source="victim")
                    for r in referrals
                ]
            )  # fmt: skip
            StatusEvent.objects.bulk_create(
                [
                    StatusEvent(referral=r, action=action, from_status=src, to_status=dst, actor_agency=ice,
                                actor_client_id="bench", actor_client_name="bench", reason=reason)
                    for r in referrals
                    for action, src, dst, reason in (("create", None, "submitted", None),
                                                     ("complete", "accepted", "completed", "Shelter found."))
                ]
            )  # fmt: skip
        print(f"  seeded {min(lo + chunk, total):,} ({time.monotonic() - started:.0f} s)", file=sys.stderr)
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--referrals", type=int, default=100_000)
    parser.add_argument("--batch-size", type=int, default=200)
    parser.add_argument("--database-url", default="postgres://root@127.0.0.1:5432/ra_records_disposal_bench")
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    args = parser.parse_args()

    fresh_database(args.database_url)
    os.environ.update({"DATABASE_URL": args.database_url, "DJANGO_DEBUG": "true", "CELERY_TASK_ALWAYS_EAGER": "true"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "referral_api.settings")
    sys.path.insert(0, ROOT)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from records.services import records_dispose, retention_policy_set

    call_command("migrate", verbosity=0)
    call_command("seed_agencies", verbosity=0)
    seeded_in = seed(args.referrals)
    with connection.cursor() as cursor:
        for table in ("referrals_referral", "referrals_person", "referrals_note", "referrals_statusevent"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    retention_policy_set(referral_type="victim_assistance", days=0, citation="bench", actor="bench")
    started = time.monotonic()
    results = records_dispose(batch_size=args.batch_size)
    elapsed = time.monotonic() - started
    assert len(results) == args.referrals and all(r.disposed for r in results)
    print(
        json.dumps(
            {
                "referrals": args.referrals,
                "batch_size": args.batch_size,
                "seed_seconds": round(seeded_in, 1),
                "dispose_seconds": round(elapsed, 1),
                "seconds_per_10000": round(elapsed / args.referrals * 10_000, 1),
                "referrals_per_second": round(args.referrals / elapsed, 1),
                "load_average": os.getloadavg(),
                "cpus": os.cpu_count(),
            }
        )
    )
    connection.close()
    if not args.keep:
        parts = urllib.parse.urlparse(args.database_url)
        import psycopg2

        admin = psycopg2.connect(host=parts.hostname, port=parts.port or 5432, user=parts.username, dbname="postgres")
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{parts.path.lstrip("/")}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    main()
