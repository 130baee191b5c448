"""Records lifecycle: retention policies, legal holds, the tombstones of disposed referrals.

A referral is a federal record (domain.md, "Records and their end"): kept as long as its records schedule says,
counted from its terminal status, then destroyed beyond recovery. What stays is a tombstone: codes, agencies,
dates and the policy that disposed of it, so that statistics, the audit trail and the Privacy Act accounting
of disclosures stay whole.
"""

from __future__ import annotations

import uuid

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q
from django.utils import timezone

from referrals.fields import EncryptedTextField
from referrals.models import Referral


class RecordKind(models.TextChoices):
    REFERRAL = "referral", "Referral"


class RetentionPolicy(models.Model):
    """How long a kind of record is kept after it ended, and the records schedule item that says so.

    No policy for a referral type means keep forever. Changing ``days`` applies to every referral not yet
    disposed of (disposal reads the policy at the time it runs).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    record = models.CharField(max_length=20, choices=RecordKind.choices, default=RecordKind.REFERRAL)
    referral_type = models.CharField(max_length=40)
    days = models.PositiveIntegerField(help_text="Days after the terminal status; 0 disposes at once.")
    citation = models.CharField(max_length=200, help_text='The records schedule item, e.g. "DHS RCS N1-563-08-4".')
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "retention policies"
        constraints = [
            models.UniqueConstraint(fields=["record", "referral_type"], name="retention_policy_one_per_type"),
        ]

    def __str__(self) -> str:
        return f"{self.record} {self.referral_type}: {self.days} days ({self.citation})"


class LegalHold(models.Model):
    """A legal hold (litigation, investigation, oversight) on one referral: no disposal until released.

    Rows are kept after release, as the history of holds. ``matter`` may name a case: encrypted with the
    field-encryption keys (not the referral's data key, so it survives the referral's disposal).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="legal_holds")
    matter = EncryptedTextField()
    placed_at = models.DateTimeField(default=timezone.now)
    placed_by = models.CharField(max_length=150)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.CharField(max_length=150, blank=True, default="")

    class Meta:
        constraints = [
            # At most one active hold per referral: placing a second one is refused, not stacked.
            models.UniqueConstraint(
                fields=["referral"], condition=Q(released_at__isnull=True), name="legal_hold_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"legal hold {self.id} ({'released' if self.released_at else 'active'})"

    @property
    def active(self) -> bool:
        return self.released_at is None


class Disposal(models.Model):
    """The tombstone of a disposed referral: plain values only, enough for statistics, audit and accounting.

    ``a_number_indexes`` and ``person_ids`` keep the blind indexes (HMACs, never the A-number) and ids of the
    people the referral disclosed, so that ``disclosures_account`` still lists the disclosure (Privacy Act,
    5 U.S.C. 552a(c)(2): the accounting is kept for the life of the record or five years, whichever is longer).
    """

    referral = models.OneToOneField(Referral, on_delete=models.PROTECT, primary_key=True, related_name="disposal")
    reference = models.CharField(max_length=32)
    referral_type = models.CharField(max_length=40)
    sender_agency = models.CharField(max_length=16)
    receiver_agency = models.CharField(max_length=16)
    created_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True)
    final_status = models.CharField(max_length=20)
    disposed_at = models.DateTimeField(default=timezone.now)
    policy_id = models.UUIDField()
    policy_days = models.PositiveIntegerField()
    citation = models.CharField(max_length=200)
    person_ids = ArrayField(models.UUIDField(), default=list, blank=True)
    a_number_indexes = ArrayField(models.CharField(max_length=64), default=list, blank=True)

    class Meta:
        indexes = [
            GinIndex(fields=["a_number_indexes"], name="disposal_a_number_gin"),
            GinIndex(fields=["person_ids"], name="disposal_person_ids_gin"),
        ]

    def __str__(self) -> str:
        return f"tombstone of {self.reference}"


class PendingFileDeletion(models.Model):
    """An attachment object to delete from storage, written in the disposal's transaction.

    Storage is not transactional: the rows commit with the disposal, and the files are deleted once the run's
    batches have committed (and by every later run, until none is left), so a crash only delays the deletion.
    """

    storage_key = models.CharField(max_length=255, primary_key=True)
    referral_id = models.UUIDField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"pending deletion of {self.storage_key}"
