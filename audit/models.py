"""The audit log: one append-only table, with plain values only (no foreign keys: it outlives every row)."""

from __future__ import annotations

import uuid

from django.db import models


class AuditEntry(models.Model):
    """One audited act: who (agency, client), what (action on an object), when, from where, why, and the outcome.

    Rows are inserted unsealed by the caller's transaction and sealed into the hash chain shortly after by
    ``audit.chain.audit_seal`` (``chain_seq``, ``prev_hash``, ``row_hash``). A database trigger refuses every
    UPDATE, DELETE and TRUNCATE, except the one-time sealing of an unsealed row (see docs/audit.md).
    """

    id = models.BigAutoField(primary_key=True)
    # The id shown outside the database (API, exports); the sequential id never leaves it.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    occurred_at = models.DateTimeField(db_index=True)
    agency_code = models.CharField(max_length=16, null=True, blank=True)
    client_id = models.CharField(max_length=255, null=True, blank=True)
    client_name = models.CharField(max_length=255, null=True, blank=True)
    action = models.CharField(max_length=64)
    object_type = models.CharField(max_length=32)
    object_id = models.CharField(max_length=255, null=True, blank=True)
    outcome = models.CharField(max_length=32)
    # A short machine code saying why an act was refused (``invalid_client``, ``http_404``); never free text.
    reason = models.CharField(max_length=64, null=True, blank=True)
    request_id = models.CharField(max_length=128, null=True, blank=True)
    source_ip = models.GenericIPAddressField(null=True, blank=True)
    purpose = models.CharField(max_length=200, null=True, blank=True)
    # Tamper evidence (see audit/chain.py): position in the chain, and SHA-256 over the canonical row and the
    # previous row's hash. NULL until the sealer has chained the row.
    chain_seq = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)
    row_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)

    class Meta:
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["object_type", "object_id", "occurred_at"], name="audit_object_time"),
            models.Index(fields=["agency_code", "occurred_at"], name="audit_agency_time"),
            # The sealer's work queue: only unsealed rows, so it stays tiny however long the log grows.
            models.Index(fields=["id"], condition=models.Q(chain_seq__isnull=True), name="audit_unsealed"),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.agency_code} {self.action} {self.object_type}"

    @property
    def is_sealed(self) -> bool:
        return self.row_hash is not None


class AuditArchive(models.Model):
    """One archived segment of the chain (``audit_archive``): entries ``first_seq`` to ``last_seq`` left the
    database for a signed file. Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE).

    The chain kept in the database continues from ``last_hash``: ``audit_verify`` starts there, and
    ``audit_verify --archive FILE`` checks a file against its manifest and, with ``--database``, against this row.
    """

    id = models.BigAutoField(primary_key=True)
    created_at = models.DateTimeField()
    before = models.DateTimeField()
    first_seq = models.BigIntegerField()
    last_seq = models.BigIntegerField(unique=True)
    entry_count = models.BigIntegerField()
    prev_hash = models.CharField(max_length=64)
    first_hash = models.CharField(max_length=64)
    last_hash = models.CharField(max_length=64)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    key_id = models.CharField(max_length=16)
    signature = models.CharField(max_length=128)

    def __str__(self) -> str:
        return f"audit archive {self.first_seq}-{self.last_seq}"
