"""Celery tasks of the audit log."""

from __future__ import annotations

from celery import shared_task

from audit import chain


@shared_task(name="audit.tasks.audit_seal", ignore_result=True)
def audit_seal() -> int:
    """Chain the audit rows committed since the last run (skips at once if another sealer is running)."""
    return chain.audit_seal(wait=False)


@shared_task(name="audit.tasks.audit_partitions_ensure", ignore_result=True)
def audit_partitions_ensure() -> int:
    """Create the audit table's monthly partitions for the coming months (through the owner's function)."""
    from audit.archive import partitions_ensure

    return partitions_ensure()
