"""Concurrent writers and a concurrent sealer never fork the chain; a late commit is sealed after earlier ones."""

from __future__ import annotations

import threading

import pytest
from django.db import connections, transaction

from audit.benchmark import run_benchmark
from audit.chain import audit_seal, audit_verify_chain
from audit.models import AuditEntry
from audit.services import audit_record

pytestmark = pytest.mark.django_db(transaction=True)


def _contiguous_chain() -> list[int]:
    return list(
        AuditEntry.objects.filter(chain_seq__isnull=False).order_by("chain_seq").values_list("chain_seq", flat=True)
    )


@pytest.mark.parametrize("mode", ["sealer", "lock"])
def test_concurrent_writers_and_sealer_never_fork_the_chain(mode):
    before = AuditEntry.objects.count()
    result = run_benchmark(mode=mode, threads=8, per_thread=15, work_ms=2, seal_interval=0.05)
    assert result.transactions == 120
    audit_seal()
    assert AuditEntry.objects.count() == before + 120
    assert not AuditEntry.objects.filter(chain_seq__isnull=True).exists()
    seqs = _contiguous_chain()
    assert seqs == list(range(1, len(seqs) + 1))  # no gap, no duplicate: one line, no fork
    verified = audit_verify_chain()
    assert verified.intact, verified.first_break
    assert verified.checked == len(seqs)


def test_concurrent_sealers_do_not_fork_the_chain():
    for i in range(300):
        audit_record(action="referral.read", object_type="referral", object_id=str(i))
    counts: list[int] = []

    def seal():
        try:
            counts.append(audit_seal(batch_size=25))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=seal) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(counts) == 300
    assert audit_verify_chain().intact


def test_a_row_committed_late_is_sealed_after_rows_committed_before_it():
    """A slow transaction takes its id first and commits last: it is chained last, not skipped or forked."""
    inserted, release = threading.Event(), threading.Event()
    slow_ids: list[int] = []

    def slow_request():
        try:
            with transaction.atomic():
                slow_ids.append(audit_record(action="referral.updated", object_type="referral", object_id="slow").pk)
                inserted.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_request)
    thread.start()
    assert inserted.wait(10)
    fast = audit_record(action="referral.read", object_type="referral", object_id="fast")
    assert fast.pk > slow_ids[0]
    assert audit_seal() == 1  # only the committed row; the slow one is invisible until it commits
    release.set()
    thread.join()
    assert audit_seal() == 1
    fast_seq, slow_seq = (AuditEntry.objects.get(pk=pk).chain_seq for pk in (fast.pk, slow_ids[0]))
    assert slow_seq == fast_seq + 1
    assert audit_verify_chain().intact
