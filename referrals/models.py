"""Referrals, the people and case they are about, their status history and notes.

Identifying fields of people and free text that can hold PII are encrypted at rest (referrals/fields.py);
no PII is indexed (blind indexes are HMACs) and no ``__str__`` shows any.
"""

from __future__ import annotations

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from agencies.models import Agency, Office, ReferralType
from referrals.codes import InformationSource, PersonRole, Priority, Sex
from referrals.fields import EncryptedDateField, EncryptedJSONField, EncryptedTextField


class Status(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    INFO_REQUESTED = "info_requested", "Information requested"
    IN_PROGRESS = "in_progress", "In progress"
    ON_HOLD = "on_hold", "On hold"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


TERMINAL_STATUSES = frozenset({Status.REJECTED, Status.COMPLETED, Status.WITHDRAWN})
EDITABLE_STATUSES = frozenset({Status.SUBMITTED, Status.ACKNOWLEDGED, Status.INFO_REQUESTED})
# A referral is overdue while the receiver has not yet answered it by its acknowledgement deadline.
AWAITING_ACKNOWLEDGEMENT = frozenset({Status.SUBMITTED})


class Referral(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Human-readable, from a PostgreSQL sequence (gaps allowed: a rolled-back create burns a number).
    reference = models.CharField(max_length=32, unique=True)
    referral_type = models.CharField(max_length=40, choices=ReferralType.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    priority = models.CharField(max_length=20, choices=Priority.choices)
    sender_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    sender_office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    sender_client_id = models.CharField(max_length=255)
    receiver_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    receiver_office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    external_reference = models.CharField(max_length=100, null=True, blank=True)
    # NULL only once the referral is disposed of (records.services): every ciphertext is then gone.
    summary = EncryptedTextField(null=True)
    narrative = EncryptedTextField(null=True, blank=True)
    trafficking_types = ArrayField(models.CharField(max_length=10), default=list, blank=True)
    indicators = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    consent_obtained = models.BooleanField(default=False)
    consent_obtained_at = models.DateTimeField(null=True, blank=True)
    consent_scope = EncryptedTextField(null=True, blank=True)
    related_referral = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="follow_ups"
    )
    # The referral this one was forwarded from (``forward``): the forwarding agency received ``parent``.
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    # The receiver's own case number (an HSI case, a USCIS receipt number): a code, not PII, so filterable.
    receiver_reference = models.CharField(max_length=100, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    acknowledge_by = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    involves_minor = models.BooleanField(default=False)
    hhs_notify_by = models.DateTimeField(null=True, blank=True)
    hhs_notified_at = models.DateTimeField(null=True, blank=True)
    assignee = EncryptedTextField(null=True, blank=True)
    outcome_code = models.CharField(max_length=40, null=True, blank=True)
    outcome = EncryptedTextField(null=True, blank=True)
    # A granted Continued Presence (28 C.F.R. 1100.35): its dates, and the reminder days already announced.
    continued_presence_effective_on = models.DateField(null=True, blank=True)
    continued_presence_expires_on = models.DateField(null=True, blank=True)
    # Set when an extension naming this grant is itself granted: the expiry deadline is then met.
    continued_presence_extended_at = models.DateTimeField(null=True, blank=True)
    continued_presence_reminders_sent = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True)
    # Records lifecycle (records/): a legal hold stops disposal; a disposed referral keeps only this row as its
    # tombstone (codes and dates for statistics), answers 410 to its parties and leaves every list.
    legal_hold = models.BooleanField(default=False)
    disposed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sender_agency", "external_reference"],
                condition=Q(external_reference__isnull=False),
                name="referral_external_reference_unique_per_sender",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="referral_version_positive"),
        ]
        indexes = [
            # Need-to-know lists: each party's referrals, newest first, by status (keyset on created_at, id).
            models.Index(fields=["sender_agency", "-created_at", "-id"], name="referral_sender_created"),
            models.Index(fields=["receiver_agency", "-created_at", "-id"], name="referral_receiver_created"),
            models.Index(fields=["sender_agency", "status", "-created_at"], name="referral_sender_status"),
            models.Index(fields=["receiver_agency", "status", "-created_at"], name="referral_receiver_status"),
            models.Index(fields=["-created_at", "-id"], name="referral_created"),
            models.Index(fields=["acknowledge_by"], condition=Q(status="submitted"), name="referral_awaiting_ack"),
            models.Index(fields=["receiver_agency", "receiver_reference"], name="referral_receiver_reference"),
            models.Index(
                fields=["continued_presence_expires_on"],
                condition=Q(continued_presence_expires_on__isnull=False),
                name="referral_cp_expires",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES

    @property
    def is_disposed(self) -> bool:
        return self.disposed_at is not None

    @property
    def overdue(self) -> bool:
        return self.status in AWAITING_ACKNOWLEDGEMENT and self.acknowledge_by <= timezone.now()


class Case(models.Model):
    """What a case referral knows of a trafficking case."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, primary_key=True, related_name="case")
    sender_case_number = EncryptedTextField(null=True, blank=True)
    title = EncryptedTextField(null=True, blank=True)
    locations = EncryptedJSONField(default=list)
    organizations = EncryptedJSONField(default=list)

    def __str__(self) -> str:
        return f"case of {self.referral_id}"


# What ``pii:read`` unlocks: masked (null) for callers without it, and then not even decrypted.
PERSON_IDENTIFYING_FIELDS = (
    "given_name", "family_name", "aliases", "date_of_birth", "a_number", "other_identifiers", "safe_contact",
    "location",
)  # fmt: skip


class Person(models.Model):
    """A person a referral is about. Identifying fields are encrypted; blind indexes allow duplicate hints."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="persons")
    position = models.PositiveSmallIntegerField()
    role = models.CharField(max_length=20, choices=PersonRole.choices)
    sex = models.CharField(max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    citizenships = ArrayField(models.CharField(max_length=2), default=list, blank=True)
    languages = ArrayField(models.CharField(max_length=2), default=list, blank=True)
    protected_1367 = models.BooleanField(default=False)
    minor_flag = models.BooleanField(default=False)
    is_minor = models.BooleanField(default=False)
    given_name = EncryptedTextField(null=True, blank=True)
    family_name = EncryptedTextField(null=True, blank=True)
    aliases = EncryptedJSONField(default=list)
    date_of_birth = EncryptedDateField(null=True, blank=True)
    a_number = EncryptedTextField(null=True, blank=True)
    other_identifiers = EncryptedJSONField(default=list)
    safe_contact = EncryptedJSONField(null=True, blank=True)
    location = EncryptedJSONField(null=True, blank=True)
    # HMAC-SHA256 under BLIND_INDEX_KEY (referral_api.crypto.blind_index): equality only, no plaintext.
    a_number_index = models.CharField(max_length=64, null=True, blank=True, db_index=True)
    name_dob_index = models.CharField(max_length=64, null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "position"], name="person_position_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.role} #{self.position + 1}"


class StatusEvent(models.Model):
    """One change of status: from, to, who, when, why. Append-only."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="status_events")
    action = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, choices=Status.choices, null=True, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    actor_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    actor_client_id = models.CharField(max_length=255)
    actor_client_name = models.CharField(max_length=255)
    reason_code = models.CharField(max_length=40, null=True, blank=True)
    reason = EncryptedTextField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["referral", "created_at", "id"], name="status_event_referral_time")]

    def __str__(self) -> str:
        return f"{self.from_status} -> {self.to_status}"


class Note(models.Model):
    """An append-only note from either party, with the source of its information (8 U.S.C. 1367(a)(1))."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notes")
    author_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    author_client_id = models.CharField(max_length=255)
    author_client_name = models.CharField(max_length=255)
    body = EncryptedTextField()
    information_source = models.CharField(max_length=30, choices=InformationSource.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["referral", "created_at", "id"], name="note_referral_time")]

    def __str__(self) -> str:
        return f"note {self.id}"


class IdempotencyRecord(models.Model):
    """A client's Idempotency-Key: the request's fingerprint and the resulting resource, never the body."""

    class State(models.TextChoices):
        IN_PROGRESS = "in_progress"
        DONE = "done"

    id = models.BigAutoField(primary_key=True)
    client_id = models.CharField(max_length=255)
    key = models.CharField(max_length=255)
    fingerprint = models.CharField(max_length=64)
    state = models.CharField(max_length=20, choices=State.choices, default=State.IN_PROGRESS)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    resource_id = models.UUIDField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["client_id", "key"], name="idempotency_key_unique")]

    def __str__(self) -> str:
        return f"idempotency record {self.pk}"
