"""The audit log in the Django admin: read-only (the database refuses changes anyway)."""

from __future__ import annotations

from django.contrib import admin

from audit.chain import HASHED_FIELDS
from audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = [
        "occurred_at",
        "agency_code",
        "client_name",
        "action",
        "object_type",
        "object_id",
        "outcome",
        "reason",
        "purpose",
        "chain_seq",
    ]
    list_filter = ["agency_code", "client_name", "action", "object_type", "outcome"]
    # Exact match: object ids are UUIDs or client ids, and an exact lookup uses the (object_type, object_id) index.
    search_fields = ["=object_id", "=request_id", "=public_id"]
    date_hierarchy = "occurred_at"
    ordering = ["-occurred_at", "-id"]
    show_full_result_count = False
    list_per_page = 100
    fields = [*HASHED_FIELDS, "row_hash"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
