"""Maximum rate of the two single-writer jobs: the audit sealer and the feed sequencer (docs/deployment.md).

Everything else in the service scales with app nodes and PostgreSQL; these two run one at a time (an advisory
lock each), so their rate caps how many audited acts and events per second the whole cluster can sustain
before the sealed head / the feed falls behind. Measured on a backlog: ``--rows`` unsealed audit rows and
unnumbered events are inserted, then the job is timed until it has caught up.

    python bench/single_writers.py --owner-url postgres://root@127.0.0.1:5432/postgres \
        [--app-url postgres://referral_api_app@127.0.0.1:6439/ra_capacity --pooling] [--rows 20000]

A fresh database ``ra_capacity`` is created (and dropped afterwards) on the owner's server.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = "ra_capacity"


def _with_db(url: str, name: str) -> str:
    parts = urllib.parse.urlparse(url)
    return urllib.parse.urlunparse(parts._replace(path=f"/{name}"))


def _admin(url: str, sql: str) -> None:
    import psycopg2

    conn = psycopg2.connect(_with_db(url, "postgres"))
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(sql)
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--owner-url", default="postgres://root@127.0.0.1:5432/postgres")
    parser.add_argument("--app-url", help="the app role's URL (default: referral_api_app on the owner's server)")
    parser.add_argument("--pooling", action="store_true", help="the app URL is a transaction-pooling PgBouncer")
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    owner = _with_db(args.owner_url, DB)
    parts = urllib.parse.urlparse(owner)
    app = (
        _with_db(args.app_url, DB)
        if args.app_url
        else urllib.parse.urlunparse(parts._replace(netloc=f"referral_api_app@{parts.hostname}:{parts.port or 5432}"))
    )
    _admin(args.owner_url, f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    _admin(args.owner_url, f'CREATE DATABASE "{DB}"')
    subprocess.run(["bash", str(ROOT / "scripts" / "ensure-app-role"), owner], check=True)
    env = {
        **os.environ,
        "DJANGO_DEBUG": "true",
        "DATABASE_OWNER_URL": owner,
        "DATABASE_URL": app,
        "DATABASE_TRANSACTION_POOLING": "true" if args.pooling else "false",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "referral_api.settings")
    import django

    django.setup()
    from django.db import connection
    from django.utils import timezone

    from audit.chain import audit_seal, audit_verify_chain
    from events.feed import feed_sequence

    results = {}
    try:
        now = timezone.now()
        with connection.cursor() as cursor:  # the backlog, inserted by the app role in one statement each
            cursor.execute(
                "INSERT INTO audit_auditentry (public_id, occurred_at, agency_code, client_id, client_name, action,"
                " object_type, object_id, outcome, request_id, source_ip, purpose)"
                " SELECT gen_random_uuid(), %s, 'CBP', 'c', 'CBP client', 'referral.read', 'referral',"
                " gen_random_uuid()::text, 'ok', 'r', '192.0.2.1', 'case review' FROM generate_series(1, %s)",
                [now, args.rows],
            )
            cursor.execute(
                "INSERT INTO events_event (id, type, occurred_at, referral_id, reference, agency_codes, actor_agency,"
                " data) SELECT gen_random_uuid(), 'referral.updated', %s + (g || ' microseconds')::interval, %s,"
                " 'REF-2026-000001', ARRAY['CBP','ICE'], 'CBP', '{}'::jsonb FROM generate_series(1, %s) g",
                [now, str(uuid.uuid4()), args.rows],
            )
        started = time.perf_counter()
        sealed = audit_seal()
        seal_s = time.perf_counter() - started
        assert sealed == args.rows, sealed
        assert audit_verify_chain().intact
        started = time.perf_counter()
        numbered = 0
        while True:
            n = feed_sequence(wait=True)
            numbered += n
            if n == 0:
                break
        sequence_s = time.perf_counter() - started
        assert numbered == args.rows, numbered
        results = {
            "rows": args.rows,
            "pooling": args.pooling,
            "audit_sealer_rows_per_s": round(args.rows / seal_s),
            "feed_sequencer_events_per_s": round(args.rows / sequence_s),
        }
    finally:
        connection.close()
        _admin(args.owner_url, f'DROP DATABASE IF EXISTS "{DB}" WITH (FORCE)')
    if args.json:
        print(json.dumps(results))
    else:
        print(
            f"audit sealer: {results['audit_sealer_rows_per_s']:,} rows/s; "
            f"feed sequencer: {results['feed_sequencer_events_per_s']:,} events/s "
            f"({args.rows:,} each, {'through PgBouncer' if args.pooling else 'direct'})"
        )


if __name__ == "__main__":
    main()
