"""Reading the audit log."""

from __future__ import annotations

from django.db.models import QuerySet

from audit.models import AuditEntry


def audit_entries_for_object(*, object_type: str, object_id: str) -> QuerySet[AuditEntry]:
    """Return the audit rows about one object (e.g. a referral), newest first.

    Ordered by ``(-occurred_at, -public_id)``: unique, so keyset pagination works, and a cursor built from it
    carries no sequential id.

    The caller decides who may see them (need to know): this only narrows by object.
    """
    return AuditEntry.objects.filter(object_type=object_type, object_id=str(object_id)).order_by(
        "-occurred_at", "-public_id"
    )
