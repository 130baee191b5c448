"""Fault test: the load of run.py while PostgreSQL restarts and a Celery worker is killed.

    python loadtest/faults.py [--users 20] [--time 90s] [--pg-cluster main] [--db referral_api_faults]

During the load: at --db-restart-at seconds PostgreSQL is restarted
(``pg_ctlcluster --skip-systemctl-redirect <version> <cluster> restart``); at --kill-worker-at seconds the Celery
worker (and its pool and beat) is killed with SIGKILL and a new one is started --worker-down seconds later.
Asserts: every 5xx during the outage is a 503 problem+json (never a 500 or a trace); the API recovers by itself
(readyz answers 200 again without anything being restarted); nothing acknowledged is lost; every event is
delivered afterwards (unique webhook-ids at the loopback receiver = deliveries in the database).

--pg-cluster names the cluster that serves DATABASE_URL. Restarting a shared cluster interrupts everything else
using it: on a shared machine, give the run a cluster of its own (see docs/reliability.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loadtest.harness import Receiver, Stack, integrity_failures, log, percentiles_from_csv, require_tools
from loadtest.run import arguments, drain, print_figures


def pg_version(cluster: str) -> str:
    for version in sorted(Path("/etc/postgresql").iterdir(), reverse=True):
        if (version / cluster).exists():
            return version.name
    raise SystemExit(f"no PostgreSQL cluster named {cluster!r} under /etc/postgresql")


class ReadinessWatch(threading.Thread):
    """Polls /readyz every 0.25 s; records when it stopped and started answering 200."""

    def __init__(self, stack: Stack):
        super().__init__(daemon=True)
        self.stack = stack
        self.samples: list[tuple[float, int]] = []
        self.stop_flag = threading.Event()

    def run(self):
        while not self.stop_flag.is_set():
            try:
                status = self.stack.request("GET", "/readyz", timeout=2)[0]
            except OSError:
                status = 0
            self.samples.append((time.monotonic(), status))
            time.sleep(0.25)

    def outages(self) -> list[float]:
        """Lengths in seconds of each stretch of non-200 answers."""
        spans, start = [], None
        for at, status in self.samples:
            if status != 200 and start is None:
                start = at
            elif status == 200 and start is not None:
                spans.append(round(at - start, 2))
                start = None
        if start is not None:
            spans.append(float("inf"))
        return spans


def main() -> int:
    parser = arguments(__doc__.splitlines()[0])
    parser.set_defaults(time="90s", db="referral_api_faults")
    parser.add_argument("--pg-cluster", default="main")
    parser.add_argument("--db-restart-at", type=float, default=20)
    parser.add_argument("--kill-worker-at", type=float, default=45)
    parser.add_argument("--worker-down", type=float, default=10)
    args = parser.parse_args()
    require_tools()
    version = pg_version(args.pg_cluster)
    workdir = args.workdir.resolve()
    stack = Stack(
        database_url=args.database_url, db_name=args.db, redis_url=args.redis_url, workdir=workdir,
        gunicorn_workers=args.gunicorn_workers,
    )  # fmt: skip
    receiver = Receiver()
    results = workdir / "results.json"
    watch = ReadinessWatch(stack)
    timeline = []
    try:
        clients = stack.set_up(args.clients_per_agency)
        stack.start_api()
        stack.start_worker("worker")
        stack.subscribe(clients, receiver)
        started = time.monotonic()
        locust = stack.locust(users=args.users, spawn_rate=args.spawn_rate, run_time=args.time, out=results)
        watch.start()

        def at(seconds: float):
            time.sleep(max(0.0, started + seconds - time.monotonic()))
            return round(time.monotonic() - started, 1)

        t = at(args.db_restart_at)
        log(f"t={t}s: restarting PostgreSQL cluster {version}/{args.pg_cluster}")
        restart = subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, args.pg_cluster, "restart"],
            capture_output=True, text=True,
        )  # fmt: skip
        timeline.append({"t": t, "event": "postgresql restart", "rc": restart.returncode})
        timeline.append({"t": round(time.monotonic() - started, 1), "event": "postgresql back"})
        t = at(args.kill_worker_at)
        log(f"t={t}s: SIGKILL to the Celery worker (pool and beat with it)")
        stack.kill("worker")
        timeline.append({"t": t, "event": "worker killed"})
        t = at(args.kill_worker_at + args.worker_down)
        stack.start_worker("worker2")
        timeline.append({"t": t, "event": "new worker started"})
        locust.wait()
        watch.stop_flag.set()
        log("load done; waiting for webhook deliveries to drain")
        tally = json.loads(results.read_text())
        report = drain(stack, receiver, results, args.drain_timeout)
    finally:
        watch.stop_flag.set()
        stack.stop()
        receiver.stop()
    figures = percentiles_from_csv(workdir / "locust")
    status = tally["status"]
    five_hundreds = {code: n for code, n in status.items() if code.startswith("5")}
    not_problem_503 = [
        e for e in tally["server_errors"] if e["status"] != 503 or "service-unavailable" not in e["body"]
    ]
    summary = {
        "command": " ".join(["python", "loadtest/faults.py", *sys.argv[1:]]),
        "users": args.users,
        "duration": args.time,
        "timeline": timeline,
        "readyz_outages_s": watch.outages(),
        **{k: v for k, v in figures.items() if k != "by_name"},
        "status_codes": status,
        "connection_errors": status.get("0", 0),
        "client_retries": tally["retries"],
        "client_gave_up": tally["gave_up"],
        **report,
    }
    print_figures("fault test", summary)
    (workdir / "faults-summary.json").write_text(json.dumps({**summary, "by_name": figures["by_name"]}, indent=2))
    failures = []
    if set(five_hundreds) - {"503"}:
        failures.append(f"5xx other than 503: {five_hundreds}; first: {tally['server_errors'][:3]}")
    if not_problem_503:
        failures.append(f"a 5xx answer was not a 503 service-unavailable problem: {not_problem_503[:2]}")
    if float("inf") in summary["readyz_outages_s"]:
        failures.append("the API did not recover by itself (readyz never answered 200 again)")
    failures += integrity_failures(report)
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        return 1
    print(
        "\nOK: outage answered with 503 problems, recovered by itself, nothing acknowledged lost, every event delivered"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
