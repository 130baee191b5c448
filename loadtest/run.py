"""Load test: boot the API as in production on loopback and drive it with locust, then check the database.

    python loadtest/run.py [--users 20] [--time 60s] [--clients-per-agency 3] [--db referral_api_loadtest]

Uses DATABASE_URL's PostgreSQL server (a fresh database named by --db is created, migrated and seeded) and
REDIS_URL's Redis database (flushed). Boots gunicorn with production settings (DJANGO_DEBUG=false, generated
secrets) and a Celery worker with beat, subscribes a loopback webhook receiver for every agency, runs locust
headless for a bounded time, then asserts: zero 5xx, and every referral answered 201 stored exactly once with
its status event, audit row and outbox event. Prints the figures (and writes them as JSON under --workdir).
Not part of `make test`; see docs/reliability.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loadtest.harness import Receiver, Stack, integrity_failures, log, percentiles_from_csv, require_tools


def arguments(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--time", default="60s", help="locust run time, e.g. 60s")
    parser.add_argument("--clients-per-agency", type=int, default=3)
    parser.add_argument("--gunicorn-workers", type=int, default=3)
    parser.add_argument("--db", default=os.environ.get("LOADTEST_DB", "referral_api_loadtest"))
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", "postgres://127.0.0.1:5432/postgres"))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"))
    parser.add_argument("--workdir", type=Path, default=Path(".data/loadtest"))
    parser.add_argument("--drain-timeout", type=float, default=120, help="seconds to wait for webhook deliveries")
    return parser


def drain(stack: Stack, receiver: Receiver, results: Path, timeout: float) -> dict:
    """Wait until every delivery has succeeded (the worker and its sweeper retry), then verify."""
    deadline = time.monotonic() + timeout
    while True:
        report = stack.verify(results)
        pending = report["deliveries_total"] - report["deliveries"].get("succeeded", 0)
        if pending == 0 or time.monotonic() > deadline:
            break
        time.sleep(2)
    report["webhooks_received_unique"] = receiver.unique()
    report["webhooks_received_duplicates"] = receiver.duplicates()
    return report


def print_figures(title: str, figures: dict) -> None:
    print(f"\n=== {title} ===")
    for key, value in figures.items():
        if key != "by_name":
            print(f"{key:32} {value}")
    if "by_name" in figures:
        print("\nper request (n, p50 ms, p95 ms):")
        for name, row in sorted(figures["by_name"].items()):
            print(f"  {name:52} {row['n']:7} {row['p50']:6} {row['p95']:6}")


def main() -> int:
    args = arguments(__doc__.splitlines()[0]).parse_args()
    require_tools()
    workdir = args.workdir.resolve()
    stack = Stack(
        database_url=args.database_url, db_name=args.db, redis_url=args.redis_url, workdir=workdir,
        gunicorn_workers=args.gunicorn_workers,
    )  # fmt: skip
    receiver = Receiver()
    results = workdir / "results.json"
    try:
        clients = stack.set_up(args.clients_per_agency)
        stack.start_api()
        stack.start_worker()
        stack.subscribe(clients, receiver)
        locust = stack.locust(users=args.users, spawn_rate=args.spawn_rate, run_time=args.time, out=results)
        locust.wait()
        log("load done; waiting for webhook deliveries to drain")
        tally = json.loads(results.read_text())
        report = drain(stack, receiver, results, args.drain_timeout)
    finally:
        stack.stop()
        receiver.stop()
    figures = percentiles_from_csv(workdir / "locust")
    server_errors = sum(n for status, n in tally["status"].items() if status.startswith("5"))
    summary = {
        "command": " ".join(["python", "loadtest/run.py", *sys.argv[1:]]),
        "users": args.users,
        "duration": args.time,
        "clients": len(clients),
        **{k: v for k, v in figures.items() if k != "by_name"},
        "status_codes": tally["status"],
        "server_errors_5xx": server_errors,
        "client_retries": tally["retries"],
        **report,
    }
    print_figures("load test", {**summary, "by_name": figures["by_name"]})
    (workdir / "loadtest-summary.json").write_text(json.dumps({**summary, "by_name": figures["by_name"]}, indent=2))
    failures = []
    if server_errors:
        failures.append(f"{server_errors} answers were 5xx: {tally['server_errors'][:3]}")
    failures += integrity_failures(report)
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        return 1
    print("\nOK: zero 5xx; every acknowledged referral stored once with its status event, audit row and outbox event")
    return 0


if __name__ == "__main__":
    sys.exit(main())
