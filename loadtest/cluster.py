"""Cluster test (issue 19): the service as a cluster on loopback, under load, while parts of it are killed.

    make cluster-test            # = python loadtest/cluster.py [--users 50] [--time 5m] [--db ra_cluster]

PostgreSQL (DATABASE_URL's server; a fresh database --db, owned by DATABASE_URL's role, which runs migrate)
-> our own PgBouncer in transaction pooling mode -> two gunicorn app nodes (production settings, the app's
own login role) -> HAProxy (Debian's package) as the balancer; Redis (REDIS_URL's database); two Celery
workers and one beat. A bounded locust workload (mixed: creates with Idempotency-Key, reads, lists, actions,
feed polls; webhooks to a loopback receiver) runs through the balancer while this script SIGKILLs and
restarts app node A, worker 1, and PgBouncer. Then it checks and prints a table:

* 0 acknowledged writes lost or duplicated (every 201 in the database exactly once);
* idempotent retries across nodes replay the first answer (same key on A, then on B);
* a token revoked through node A is refused by node B within 1 s;
* the per-client rate limit is shared by both nodes (600/min in total, not per node);
* the feed shows every event exactly once, in order, with writers on both nodes;
* every webhook delivered (deduplicated by webhook-id);
* the audit chain verifies;
* 5xx only for requests in flight when a part was killed (counted), none otherwise.

Everything it starts listens on 127.0.0.1 and is stopped at the end (also on failure or Ctrl-C); the run is
bounded (locust --run-time, drain timeout). Not part of `make test`; see docs/reliability.md.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loadtest.harness import ROOT, VENV_BIN, Receiver, Stack, free_port, log, percentiles_from_csv

APP_ROLE = "referral_api_app"


def ensure_tool(name: str, package: str) -> str:
    found = shutil.which(name) or (f"/usr/sbin/{name}" if os.path.exists(f"/usr/sbin/{name}") else None)
    if found:
        return found
    log(f"{name} missing: apt-get install -y {package}")
    subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", package],
        check=True,
        capture_output=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    return shutil.which(name) or f"/usr/sbin/{name}"


class Cluster(Stack):
    """Stack with PgBouncer, two app nodes, HAProxy, two workers and a separate beat."""

    def __init__(self, *, database_url: str, db_name: str, redis_url: str, workdir: Path, node_workers: int):
        super().__init__(
            database_url=database_url,
            db_name=db_name,
            redis_url=redis_url,
            workdir=workdir,
            gunicorn_workers=node_workers,
        )
        parts = urlsplit(self.database_url)
        self.owner_url = self.database_url
        self.pgbouncer_port = free_port()
        self.pgbouncer_dir = workdir / "pgbouncer"
        self.node_ports = {"a": free_port(), "b": free_port()}
        self.stats_port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"  # HAProxy's port (Stack.port)
        self.env.update(
            {
                "DATABASE_OWNER_URL": self.owner_url,
                "DATABASE_URL": f"postgres://{APP_ROLE}@127.0.0.1:{self.pgbouncer_port}/{db_name}",
                "DATABASE_TRANSACTION_POOLING": "true",
                # The production limits: the rate-limit check below needs the real 600/min.
                "API_RATE_LIMIT": "600/min",
                "TOKEN_RATE_LIMIT": "600/min",
                "NUM_PROXIES": "1",  # HAProxy adds X-Forwarded-For
                "AUDIT_ANCHOR_INTERVAL_SECONDS": "30",
                "AUDIT_ANCHOR_LOCATION": str(workdir / "anchors"),
                "OAUTH_ISSUER": self.base_url,
                "ATTACHMENT_SCANNER": "attachments.scanning.AcceptAllScanner",
            }
        )
        self.pg_host, self.pg_port = parts.hostname or "127.0.0.1", parts.port or 5432
        self.events: list[dict] = []  # kills and restarts, with times

    # --- components ---------------------------------------------------------------------------------------
    def start_pgbouncer(self) -> None:
        subprocess.run(
            [
                "bash",
                str(ROOT / "scripts" / "pgbouncer"),
                "start",
                str(self.pgbouncer_dir),
                str(self.pgbouncer_port),
                self.pg_host,
                str(self.pg_port),
                self.pg["user"] or "root",
                APP_ROLE,
            ],
            check=True,
        )
        log(f"pgbouncer on 127.0.0.1:{self.pgbouncer_port} (transaction pooling)")

    def stop_pgbouncer(self, sig: int = signal.SIGTERM) -> None:
        pidfile = self.pgbouncer_dir / "pgbouncer.pid"
        if pidfile.exists():
            try:
                os.kill(int(pidfile.read_text().strip()), sig)
            except (ProcessLookupError, ValueError):
                pass
            for _ in range(50):
                try:
                    os.kill(int(pidfile.read_text().strip()), 0)
                except (ProcessLookupError, ValueError, FileNotFoundError):
                    break
                time.sleep(0.1)
            pidfile.unlink(missing_ok=True)

    def start_haproxy(self) -> None:
        haproxy = ensure_tool("haproxy", "haproxy")
        config = self.workdir / "haproxy.cfg"
        config.write_text(
            f"""global
    maxconn 4000
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 40s
    timeout queue 10s
    retries 3
    # A request that never reached a node (connection refused: the node is down) goes to the other one.
    retry-on conn-failure
    option redispatch
    option forwardfor
frontend api
    bind 127.0.0.1:{self.port}
    default_backend nodes
backend nodes
    balance roundrobin
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1
    default-server inter 1s fall 2 rise 2
    server a 127.0.0.1:{self.node_ports["a"]} check
    server b 127.0.0.1:{self.node_ports["b"]} check
frontend stats
    bind 127.0.0.1:{self.stats_port}
    stats enable
    stats uri /stats
"""
        )
        self._spawn("haproxy", [haproxy, "-db", "-f", str(config)])
        log(f"haproxy on {self.base_url} -> nodes a:{self.node_ports['a']} b:{self.node_ports['b']}")

    def start_node(self, name: str) -> None:
        cmd = [
            str(VENV_BIN / "gunicorn"),
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "-b",
            f"127.0.0.1:{self.node_ports[name]}",
            "-w",
            str(self.gunicorn_workers),
            "--threads",
            "4",
            "referral_api.wsgi:application",
        ]
        self._spawn(f"node-{name}", cmd)
        self.wait_ready_at(f"http://127.0.0.1:{self.node_ports[name]}")

    def start_worker(self, name: str = "worker") -> subprocess.Popen:
        cmd = [
            str(VENV_BIN / "celery"),
            "-A",
            "referral_api",
            "worker",
            "-l",
            "warning",
            "-c",
            "2",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"{name}-{uuid.uuid4().hex[:4]}@%h",
        ]
        return self._spawn(name, cmd)

    def start_beat(self) -> None:
        cmd = [
            str(VENV_BIN / "celery"),
            "-A",
            "referral_api",
            "beat",
            "-l",
            "warning",
            "--schedule",
            str(self.workdir / "celerybeat-schedule"),
        ]
        self._spawn("beat", cmd)

    def kill_group(self, name: str) -> None:
        process = self.processes.get(name)
        if process and process.poll() is None:
            try:
                os.killpg(os.getpgid(process.pid), signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=10)

    def stop(self) -> None:
        for name in list(self.processes):
            process = self.processes[name]
            if process.poll() is None:
                try:
                    os.killpg(os.getpgid(process.pid), signal.SIGTERM)
                except ProcessLookupError:
                    pass
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(os.getpgid(process.pid), signal.SIGKILL)
                except ProcessLookupError:
                    pass
        self.stop_pgbouncer()

    def wait_ready_at(self, base: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(base + "/readyz", timeout=2) as response:
                    if response.status == 200:
                        return
            except (OSError, urllib.error.HTTPError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{base} did not become ready in {timeout} s; see {self.workdir}")

    def wait_ready(self, timeout: float = 60) -> None:
        self.wait_ready_at(self.base_url, timeout)

    # --- set-up -------------------------------------------------------------------------------------------
    def set_up_cluster(self, clients_per_agency: int) -> list[dict]:
        self.fresh_database()
        subprocess.run(["bash", str(ROOT / "scripts" / "ensure-app-role"), self.owner_url, APP_ROLE], check=True)
        subprocess.run(
            [str(VENV_BIN / "celery"), "-A", "referral_api", "purge", "-f"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            check=False,
        )
        self.start_pgbouncer()
        log("migrate (as the owner, direct), seed_agencies, clients")
        self.manage("migrate", "--noinput")
        self.manage("seed_agencies")
        script = (
            "import json\nfrom agencies.services import client_create\nout = []\n"
            f"for agency in ('CBP', 'ICE', 'USCIS'):\n    for n in range({clients_per_agency} + 1):\n"
            "        issued = client_create(agency_code=agency, name=f'cluster {agency} {n}', scopes="
            "'referrals:read referrals:write pii:read events:read webhooks:manage'.split())\n"
            "        out.append({'agency': agency, 'client_id': issued.client.client_id,"
            " 'client_secret': issued.client_secret})\nprint(json.dumps(out))\n"
        )
        clients = json.loads(self.manage("shell", "-c", script).strip().splitlines()[-1])
        # One spare client per agency for the checks (rate limit, revocation); the rest drive the load.
        self.spare = {c["agency"]: c for c in clients[:: clients_per_agency + 1]}
        load = [c for c in clients if c not in self.spare.values()]
        (self.workdir / "clients.json").write_text(json.dumps(load))
        log(f"{len(load)} load clients, {len(self.spare)} spare")
        return load

    # --- HTTP on a given node -----------------------------------------------------------------------------
    def node_url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.node_ports[name]}"

    def http(self, base: str, method: str, path: str, *, body=None, token=None, headers=None, form=None):
        data, all_headers = None, dict(headers or {})
        if body is not None:
            data, all_headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(base + path, data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(request, timeout=20) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def token_at(self, base: str, client: dict) -> str:
        import base64

        basic = base64.b64encode(f"{client['client_id']}:{client['client_secret']}".encode()).decode()
        status, content = self.http(
            base,
            "POST",
            "/oauth/token/",
            form={"grant_type": "client_credentials"},
            headers={"Authorization": f"Basic {basic}"},
        )
        assert status == 200, (status, content[:300])
        return json.loads(content)["access_token"]

    def haproxy_served(self) -> dict[str, int]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.stats_port}/stats;csv", timeout=5) as response:
            lines = response.read().decode().splitlines()
        header = lines[0].lstrip("# ").split(",")
        served = {}
        for line in lines[1:]:
            row = dict(zip(header, line.split(","), strict=False))
            if row.get("pxname") == "nodes" and row.get("svname") in ("a", "b"):
                served[row["svname"]] = int(row.get("stot") or 0)
        return served


# --- the faults ---------------------------------------------------------------------------------------------
def chaos(cluster: Cluster, started: float, stop: threading.Event, schedule: dict) -> None:
    """Kill and restart one app node, one worker and PgBouncer, at fixed offsets into the load."""

    def at(offset: float) -> bool:
        while time.time() < started + offset:
            if stop.wait(0.2):
                return False
        return True

    def event(what: str, killed: float, back: float) -> None:
        cluster.events.append({"what": what, "killed_at": killed, "back_at": back})
        log(f"{what}: down {back - killed:.1f} s")

    if at(schedule["node"]):
        killed = time.time()
        cluster.kill_group("node-a")
        log("SIGKILL app node a (gunicorn master and workers)")
        if not at(schedule["node"] + 15):
            return
        cluster.start_node("a")
        event("app node a killed (SIGKILL) and restarted", killed, time.time())
    if at(schedule["worker"]):
        killed = time.time()
        cluster.kill_group("worker-1")
        log("SIGKILL celery worker 1 (and its pool)")
        if not at(schedule["worker"] + 15):
            return
        cluster.start_worker("worker-1")
        event("celery worker 1 killed (SIGKILL) and restarted", killed, time.time())
    if at(schedule["pgbouncer"]):
        killed = time.time()
        cluster.stop_pgbouncer(signal.SIGKILL)
        log("SIGKILL pgbouncer")
        time.sleep(2)
        cluster.start_pgbouncer()
        event("pgbouncer killed (SIGKILL) and restarted", killed, time.time())


# --- the checks ---------------------------------------------------------------------------------------------
def person() -> dict:
    # Not imported from loadtest/locustfile.py: importing locust here patches the threads this script uses.
    return {
        "role": "victim", "given_name": "Ana", "family_name": "Chen", "date_of_birth": "1999-04-01",
        "sex": "female", "citizenships": ["HN"], "languages": ["es"], "a_number": "A" + str(uuid.uuid4().int)[:9],
        "safe_contact": {"phone": "+15555550100", "instructions": "text only", "do_not_contact": False},
        "location": {"city": "San Diego", "state": "CA", "country": "US"}, "protected_1367": False,
    }  # fmt: skip


def check_idempotency_across_nodes(cluster: Cluster, client: dict, pairs: int = 10) -> tuple[bool, str]:
    tokens = {n: cluster.token_at(cluster.node_url(n), client) for n in ("a", "b")}
    mismatches = 0
    for _ in range(pairs):
        body = {
            "referral_type": "victim_assistance",
            "receiver": {"agency": "ICE", "office": "VAP"},
            "priority": "routine",
            "external_reference": f"IDEM-{uuid.uuid4().hex[:16]}",
            "summary": "Adult encountered with indicators of labor trafficking",
            "narrative": "Debt to a recruiter.",
            "trafficking_types": ["labor"],
            "indicators": ["debt_bondage"],
            "persons": [person()],
            "case": None,
            "consent": {"obtained": True, "obtained_at": "2026-11-28T18:00:00Z", "scope": "share"},
            "related_referral": None,
        }
        key = {"Idempotency-Key": str(uuid.uuid4())}
        first = cluster.http(
            cluster.node_url("a"), "POST", "/api/v1/referrals/", body=body, token=tokens["a"], headers=key
        )
        again = cluster.http(
            cluster.node_url("b"), "POST", "/api/v1/referrals/", body=body, token=tokens["b"], headers=key
        )
        if first[0] != 201 or again[0] != first[0] or json.loads(again[1])["id"] != json.loads(first[1])["id"]:
            mismatches += 1
    return mismatches == 0, f"{pairs} keys sent to node a then node b: {pairs - mismatches} replayed the first answer"


def check_revocation(cluster: Cluster, client: dict) -> tuple[bool, str]:
    import base64

    token = cluster.token_at(cluster.node_url("b"), client)
    status, _ = cluster.http(cluster.node_url("b"), "GET", "/api/v1/me/", token=token)  # warms node b's cache
    assert status == 200, status
    basic = base64.b64encode(f"{client['client_id']}:{client['client_secret']}".encode()).decode()
    status, _ = cluster.http(
        cluster.node_url("a"),
        "POST",
        "/oauth/revoke_token/",
        form={"token": token},
        headers={"Authorization": f"Basic {basic}"},
    )
    revoked_at = time.monotonic()  # the revocation has been answered: from now on the token must fail
    if status != 200:
        return False, f"revocation through node a answered {status}"
    accepted_after = 0
    while time.monotonic() - revoked_at < 5:
        sent = time.monotonic() - revoked_at
        status, _ = cluster.http(cluster.node_url("b"), "GET", "/api/v1/me/", token=token)
        if status == 401:
            # Within 1 s: the first request node b refused was sent at most 1 s after the revocation was answered.
            return sent <= 1.0, (
                f"node b refused the token in a request sent {sent * 1000:.0f} ms after node a answered the "
                f"revocation ({accepted_after} accepted before that)"
            )
        accepted_after += 1
        time.sleep(0.05)
    return False, "node b still accepted the token 5 s after its revocation through node a"


def check_rate_limit(cluster: Cluster, client: dict, total: int = 1300) -> tuple[bool, str]:
    tokens = {n: cluster.token_at(cluster.node_url(n), client) for n in ("a", "b")}

    def one(i: int) -> tuple[str, int]:
        node = "ab"[i % 2]
        return node, cluster.http(cluster.node_url(node), "GET", "/api/v1/me/", token=tokens[node])[0]

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, range(total)))
    elapsed = time.monotonic() - started
    ok = {n: sum(1 for node, status in results if node == n and status == 200) for n in "ab"}
    limited = sum(1 for _, status in results if status == 429)
    allowed = ok["a"] + ok["b"]
    passed = 590 <= allowed <= 630 and ok["a"] > 0 and ok["b"] > 0 and elapsed < 60
    return passed, (
        f"{total} requests in {elapsed:.0f} s alternating nodes: {allowed} allowed (a {ok['a']}, b {ok['b']}), "
        f"{limited} answered 429"
    )


def check_feed(cluster: Cluster, client: dict) -> tuple[bool, str]:
    token = cluster.token_at(cluster.base_url, client)
    seen: list[str] = []
    after = None
    while True:
        path = "/api/v1/events/?page_size=100" + (f"&after={after}" if after else "")
        status, content = cluster.http(cluster.base_url, "GET", path, token=token)
        if status == 429:
            time.sleep(1)
            continue
        assert status == 200, (status, content[:300])
        page = json.loads(content)
        items = page.get("results", page if isinstance(page, list) else [])
        if not items:
            break
        seen += [item["id"] for item in items]
        after = items[-1]["id"]
    out = cluster.manage("shell", "-c", FEED_DB_SCRIPT.replace("AGENCY", client["agency"]))
    expected = json.loads(out.strip().splitlines()[-1])
    in_order = seen == expected["ids_in_position_order"]
    unique = len(seen) == len(set(seen))
    return in_order and unique and len(seen) == expected["count"], (
        f"{len(seen)} events paged for {client['agency']} through the balancer; {expected['count']} in the "
        f"database; duplicates {len(seen) - len(set(seen))}; same order as the positions: {in_order}"
    )


FEED_DB_SCRIPT = """
import json
from events.feed import feed_sequence
from events.models import Event
feed_sequence(wait=True)
rows = Event.objects.filter(agency_codes__contains=['AGENCY']).order_by('position')
ids = [str(i) for i in rows.values_list('id', flat=True)]
print(json.dumps({'count': len(ids), 'ids_in_position_order': ids,
                  'unnumbered': Event.objects.filter(position__isnull=True).count()}))
"""


def classify_5xx(times: list, events: list[dict], grace: float = 3.0) -> tuple[int, int, list]:
    during, outside = 0, []
    for stamp, status, name in times:
        if any(e["killed_at"] - 0.5 <= stamp <= e["back_at"] + grace for e in events):
            during += 1
        else:
            outside.append([round(stamp, 1), status, name])
    return during, len(outside), outside[:5]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--time", default="5m")
    parser.add_argument("--clients-per-agency", type=int, default=6)
    parser.add_argument("--node-workers", type=int, default=2, help="gunicorn workers per app node (4 threads each)")
    parser.add_argument("--db", default="ra_cluster")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_OWNER_URL")
        or os.environ.get("DATABASE_URL", "postgres://root@127.0.0.1:5432/postgres"),
    )
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15"))
    parser.add_argument("--workdir", type=Path, default=Path(".data/cluster"))
    parser.add_argument("--drain-timeout", type=float, default=180)
    args = parser.parse_args()
    seconds = {"s": 1, "m": 60}[args.time[-1]] * float(args.time[:-1])
    schedule = {"node": seconds * 0.2, "worker": seconds * 0.4, "pgbouncer": seconds * 0.6}
    workdir = args.workdir.resolve()
    shutil.rmtree(workdir, ignore_errors=True)
    ensure_tool("pgbouncer", "pgbouncer")
    cluster = Cluster(
        database_url=args.database_url,
        db_name=args.db,
        redis_url=args.redis_url,
        workdir=workdir,
        node_workers=args.node_workers,
    )
    receiver = Receiver()
    results = workdir / "results.json"
    rows: list[tuple[str, bool, str]] = []
    stop = threading.Event()
    try:
        clients = cluster.set_up_cluster(args.clients_per_agency)
        cluster.start_node("a")
        cluster.start_node("b")
        cluster.start_haproxy()
        cluster.wait_ready()
        cluster.start_worker("worker-1")
        cluster.start_worker("worker-2")
        cluster.start_beat()
        cluster.subscribe(clients, receiver)
        started = time.time()
        locust = cluster.locust(users=args.users, spawn_rate=args.spawn_rate, run_time=args.time, out=results)
        faults = threading.Thread(target=chaos, args=(cluster, started, stop, schedule), daemon=True)
        faults.start()
        try:
            locust.wait(timeout=seconds + 120)
        except subprocess.TimeoutExpired:
            locust.kill()
            raise
        stop.set()
        faults.join(timeout=60)
        log("load done; checks")
        tally = json.loads(results.read_text())
        served = cluster.haproxy_served()

        # The checks that send traffic of their own come first (their events and webhooks are counted below).
        rows.append(
            (
                "idempotent retries across nodes replay the first answer",
                *check_idempotency_across_nodes(cluster, cluster.spare["CBP"]),
            )
        )
        rows.append(
            (
                "token revoked via node a refused by node b within 1 s",
                *check_revocation(cluster, cluster.spare["USCIS"]),
            )
        )
        rows.append(
            (
                "per-client rate limit shared by both nodes (600/min total)",
                *check_rate_limit(cluster, cluster.spare["ICE"]),
            )
        )
        # Writes: every 201 stored exactly once (loadtest/verify.py), once every webhook is drained.
        deadline = time.monotonic() + args.drain_timeout
        while True:
            report = cluster.verify(results)
            pending = report["deliveries_total"] - report["deliveries"].get("succeeded", 0)
            if pending == 0 or time.monotonic() > deadline:
                break
            time.sleep(3)
        lost_or_dup = report["lost"] + report["duplicate_external_references"]
        rows.append(
            (
                "0 acknowledged writes lost or duplicated",
                lost_or_dup == 0,
                f"{report['acknowledged']} referrals answered 201: lost {report['lost']}, duplicated "
                f"{report['duplicate_external_references']}; missing status event/audit/outbox "
                f"{report['missing_status_event']}/{report['missing_audit']}/{report['missing_outbox_event']}",
            )
        )
        feed_ok, feed_detail = check_feed(cluster, clients[1])
        both = served.get("a", 0) > 0 and served.get("b", 0) > 0
        rows.append(
            (
                "feed: every event once, in order, writers on both nodes",
                feed_ok and both,
                f"{feed_detail}; balancer sent a {served.get('a')} / b {served.get('b')} requests",
            )
        )
        received, duplicates = receiver.unique(), receiver.duplicates()
        rows.append(
            (
                "every webhook delivered (dedup by webhook-id)",
                pending == 0 and received == report["deliveries_total"],
                f"{report['deliveries_total']} deliveries, {received} distinct webhook-ids received, "
                f"{duplicates} redelivered duplicates, {pending} pending",
            )
        )
        verify = subprocess.run(
            [sys.executable, "manage.py", "audit_verify"], cwd=ROOT, env=cluster.env, capture_output=True, text=True
        )
        rows.append(("audit chain verifies", verify.returncode == 0, (verify.stdout or verify.stderr).strip()[-200:]))
        during, outside, examples = classify_5xx(tally.get("server_error_times", []), cluster.events)
        rows.append(
            (
                "5xx only for requests in flight on a killed part",
                outside == 0,
                f"{during} during the {len(cluster.events)} kills (counted), {outside} otherwise {examples}",
            )
        )
    finally:
        stop.set()
        cluster.stop()
        receiver.stop()
    figures = percentiles_from_csv(workdir / "locust")
    summary = {
        "command": "make cluster-test  # python " + " ".join(["loadtest/cluster.py", *sys.argv[1:]]),
        "users": args.users,
        "duration": args.time,
        **{k: v for k, v in figures.items() if k != "by_name"},
        "status_codes": tally["status"],
        "client_retries": tally["retries"],
        "events": cluster.events,
        "checks": [{"check": c, "passed": p, "detail": d} for c, p, d in rows],
    }
    (workdir / "cluster-summary.json").write_text(json.dumps({**summary, "by_name": figures["by_name"]}, indent=2))
    print(
        f"\nload: {figures['requests']} requests, {figures['rps']} req/s, p50 {figures['p50_ms']} ms, "
        f"p95 {figures['p95_ms']} ms, p99 {figures['p99_ms']} ms; status codes {tally['status']}"
    )
    for event in cluster.events:
        print(
            f"fault: {event['what']} at +{event['killed_at'] - started:.0f} s, back after "
            f"{event['back_at'] - event['killed_at']:.1f} s"
        )
    print("\n| check | result | measured |\n| --- | --- | --- |")
    for check, passed, detail in rows:
        print(f"| {check} | {'PASS' if passed else 'FAIL'} | {detail} |")
    failed = [c for c, p, _ in rows if not p]
    print(f"\n{len(rows) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed or len(rows) < 8 else 0


if __name__ == "__main__":
    sys.exit(main())
