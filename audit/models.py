"""The audit log: one append-only table, with plain values only (no foreign keys: it outlives every row)."""

from __future__ import annotations

from django.db import models


class AuditEntry(models.Model):
    id = models.BigAutoField(primary_key=True)
    occurred_at = models.DateTimeField(db_index=True)
    agency_code = models.CharField(max_length=16, null=True, blank=True)
    client_id = models.CharField(max_length=255, null=True, blank=True)
    client_name = models.CharField(max_length=255, null=True, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=32)
    object_id = models.CharField(max_length=255, null=True, blank=True)
    outcome = models.CharField(max_length=32)
    request_id = models.CharField(max_length=128, null=True, blank=True)
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    purpose = models.CharField(max_length=200, null=True, blank=True)
    # Tamper evidence (see audit/chain.py): SHA-256 over the canonical row and the previous row's hash.
    prev_hash = models.CharField(max_length=64, null=True, blank=True)
    row_hash = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["object_type", "object_id", "occurred_at"], name="audit_object_time"),
            models.Index(fields=["agency_code", "occurred_at"], name="audit_agency_time"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.agency_code} {self.action} {self.object_type}"
