from __future__ import annotations

from django.db import connection


def all_audit_text() -> str:
    """Every value of every audit row, as one string (to search it for canaries)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT string_agg(to_jsonb(a)::text, E'\\n') FROM audit_auditentry a")
        return cursor.fetchone()[0] or ""
