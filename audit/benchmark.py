"""Measure the two ways of chaining the audit log under concurrent writers (``manage.py audit_benchmark``).

* ``lock``: each writer takes ``pg_advisory_xact_lock``, reads the head and inserts its row already chained.
  The lock is held until the writer's transaction commits, so every audited transaction in the service runs
  one at a time from its audit write to its commit.
* ``sealer``: writers insert unsealed rows with no lock; one sealer chains committed rows every
  ``seal_interval`` seconds (what ``audit.tasks.audit_seal`` / ``manage.py audit_seal --watch`` do).

Each simulated request is one transaction: the audit write, then ``work_ms`` of further work in the same
transaction (the rest of a request: status event, outbox row, commit), as referral services do.
"""

from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass

from django.db import connection, connections, transaction
from django.utils import timezone

from audit.chain import SEAL_LOCK_KEY, audit_seal, chain_head, compute_row_hash
from audit.context import AuditContext
from audit.models import AuditEntry
from audit.services import audit_record

_CONTEXT = AuditContext(
    request_id="benchmark", source_ip="192.0.2.1", purpose="benchmark", agency_code="BENCH", client_id="bench"
)


@dataclass
class BenchmarkResult:
    mode: str
    threads: int
    transactions: int
    work_ms: float
    seconds: float
    latencies_ms: list[float]
    max_unsealed_age_s: float

    @property
    def throughput(self) -> float:
        return self.transactions / self.seconds if self.seconds else 0.0

    def percentile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0

    def row(self) -> str:
        return (
            f"| {self.mode} | {self.threads} | {self.work_ms:g} | {self.transactions} | {self.throughput:.0f} | "
            f"{statistics.median(self.latencies_ms):.1f} | {self.percentile(0.95):.1f} | {self.percentile(0.99):.1f} | "
            f"{self.max_unsealed_age_s:.2f} |"
        )


HEADER = (
    "| mode | threads | work in txn (ms) | transactions | txn/s | p50 (ms) | p95 (ms) | p99 (ms) | "
    "max seal lag (s) |\n|---|---|---|---|---|---|---|---|---|"
)


def _write_chained_under_lock() -> None:
    """The ``lock`` design: chain the row at insert time, under one advisory lock held until commit."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK_KEY])
    seq, prev = chain_head()
    entry = AuditEntry(
        occurred_at=timezone.now(),
        agency_code=_CONTEXT.agency_code,
        client_id=_CONTEXT.client_id,
        action="referral.read",
        object_type="referral",
        object_id="benchmark",
        outcome="success",
        request_id=_CONTEXT.request_id,
        source_ip=_CONTEXT.source_ip,
        purpose=_CONTEXT.purpose,
        chain_seq=seq + 1,
        prev_hash=prev,
    )
    entry.row_hash = compute_row_hash({name: getattr(entry, name) for name in _hashed_fields()})
    entry.save(force_insert=True)


def _hashed_fields():
    from audit.chain import HASHED_FIELDS

    return HASHED_FIELDS


def _write_unsealed() -> None:
    audit_record(action="referral.read", object_type="referral", object_id="benchmark", context=_CONTEXT)


def run_benchmark(
    *, mode: str, threads: int, per_thread: int, work_ms: float, seal_interval: float = 1.0
) -> BenchmarkResult:
    """Run ``threads`` writers of ``per_thread`` transactions each; return throughput and latencies."""
    if mode not in ("lock", "sealer"):
        raise ValueError("mode is 'lock' or 'sealer'")
    write = _write_chained_under_lock if mode == "lock" else _write_unsealed
    latencies: list[float] = []
    lock = threading.Lock()
    errors: list[BaseException] = []
    done = threading.Event()
    max_lag = 0.0

    def writer():
        mine = []
        try:
            for _ in range(per_thread):
                started = time.perf_counter()
                with transaction.atomic():
                    write()
                    if work_ms:
                        with connection.cursor() as cursor:
                            cursor.execute("SELECT pg_sleep(%s)", [work_ms / 1000])
                mine.append((time.perf_counter() - started) * 1000)
        except BaseException as exc:  # noqa: BLE001 - reported by the caller
            errors.append(exc)
        finally:
            connections.close_all()
            with lock:
                latencies.extend(mine)

    def sealer():
        nonlocal max_lag
        try:
            while not done.is_set():
                oldest = (
                    AuditEntry.objects.filter(chain_seq__isnull=True)
                    .order_by("id")
                    .values_list("occurred_at", flat=True)
                    .first()
                )
                if oldest is not None:
                    max_lag = max(max_lag, (timezone.now() - oldest).total_seconds())
                audit_seal()
                done.wait(seal_interval)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=writer) for _ in range(threads)]
    seal_thread = threading.Thread(target=sealer) if mode == "sealer" else None
    started = time.perf_counter()
    if seal_thread:
        seal_thread.start()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    done.set()
    if seal_thread:
        seal_thread.join()
    if errors:
        raise errors[0]
    return BenchmarkResult(mode, threads, threads * per_thread, work_ms, elapsed, latencies, max_lag)
