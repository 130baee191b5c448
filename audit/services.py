"""Writing the audit log. Callers pass plain values; rows are written in the caller's transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone

from audit.context import AuditContext
from audit.models import AuditEntry


def audit_record(
    *,
    action: str,
    object_type: str,
    object_id: str | None,
    outcome: str = "success",
    context: AuditContext | None = None,
    agency_code: str | None = None,
    client_id: str | None = None,
    client_name: str | None = None,
    occurred_at: datetime.datetime | None = None,
) -> AuditEntry:
    """Append one audit row (NIST SP 800-53 AU-3: what, when, where, source, outcome, identity)."""
    return audit_record_many(
        action=action,
        object_type=object_type,
        object_ids=[object_id],
        outcome=outcome,
        context=context,
        agency_code=agency_code,
        client_id=client_id,
        client_name=client_name,
        occurred_at=occurred_at,
    )[0]


def audit_record_many(
    *,
    action: str,
    object_type: str,
    object_ids: Iterable[str | None],
    outcome: str = "success",
    context: AuditContext | None = None,
    agency_code: str | None = None,
    client_id: str | None = None,
    client_name: str | None = None,
    occurred_at: datetime.datetime | None = None,
) -> list[AuditEntry]:
    """Append one audit row per object id in a single INSERT (e.g. each row of a list page)."""
    context = context or AuditContext()
    when = occurred_at or timezone.now()
    rows = [
        AuditEntry(
            occurred_at=when,
            agency_code=agency_code or context.agency_code,
            client_id=client_id or context.client_id,
            client_name=client_name or context.client_name,
            action=action,
            object_type=object_type,
            object_id=None if object_id is None else str(object_id),
            outcome=outcome,
            request_id=context.request_id,
            source_ip=context.source_ip,
            purpose=context.purpose,
        )
        for object_id in object_ids
    ]
    if not rows:
        return []
    return AuditEntry.objects.bulk_create(rows)
