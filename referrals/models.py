"""Referrals, the people and case they are about, their status history and notes.

Identifying fields of people and free text that can hold PII are sealed at rest under the referral's own data
key, one ciphertext per record (``referral_api.fields.SealedField``); no PII is indexed (blind indexes are HMACs)
and no ``__str__`` shows any.
"""

from __future__ import annotations

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils import timezone

from agencies.models import Agency, Office, ReferralType
from referral_api.fields import SealedField
from referrals.codes import (
    CitizenOrLpr,
    DisclosureException,
    HhsNotificationMethod,
    InformationSource,
    PersonRole,
    Priority,
    ProtectionBasis,
    Sex,
)


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
    RECALLED = "recalled", "Recalled (sent in error)"


TERMINAL_STATUSES = frozenset({Status.REJECTED, Status.COMPLETED, Status.WITHDRAWN, Status.RECALLED})
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
    trafficking_types = ArrayField(models.CharField(max_length=10), default=list, blank=True)
    indicators = ArrayField(models.CharField(max_length=40), default=list, blank=True)
    consent_obtained = models.BooleanField(default=False)
    consent_obtained_at = models.DateTimeField(null=True, blank=True)
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
    # When the sender's officers encountered the people: the HHS clock and the age of each person run from it.
    encountered_at = models.DateTimeField(default=timezone.now)
    # HHS child notice (22 U.S.C. 7105(b)(1)(G)): required, due by, and the record of the notification.
    hhs_required = models.BooleanField(default=False)
    hhs_notify_by = models.DateTimeField(null=True, blank=True)
    hhs_notified_at = models.DateTimeField(null=True, blank=True)
    hhs_method = models.CharField(max_length=20, choices=HhsNotificationMethod.choices, null=True, blank=True)
    hhs_request_number = models.CharField(max_length=64, null=True, blank=True)
    hhs_notified_by = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    hhs_overdue_notified_at = models.DateTimeField(null=True, blank=True)
    outcome_code = models.CharField(max_length=40, null=True, blank=True)
    # The referral's own text, read together: one ciphertext under its data key.
    sealed = SealedField(members=("summary", "narrative", "consent_scope", "assignee", "outcome"), referral="id")
    # A granted Continued Presence (28 C.F.R. 1100.35): its dates, and the reminder days already announced.
    continued_presence_effective_on = models.DateField(null=True, blank=True)
    continued_presence_expires_on = models.DateField(null=True, blank=True)
    # Set when an extension naming this grant is itself granted: the expiry deadline is then met.
    continued_presence_extended_at = models.DateTimeField(null=True, blank=True)
    continued_presence_reminders_sent = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True)
    # Records lifecycle (records/): a legal hold stops disposal; a disposed referral keeps only this row as its
    # tombstone (codes and dates for statistics; its sealed text is NULL and its data key destroyed), answers 410
    # to its parties and leaves every list.
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
            # Disposal's work queue (records.services): ended and not yet disposed of, oldest first per type.
            models.Index(
                fields=["referral_type", "closed_at"],
                condition=Q(closed_at__isnull=False, disposed_at__isnull=True),
                name="referral_disposal_due",
            ),
            # The HHS notice job's work queue (referrals.deadlines): required, unrecorded, by due time.
            models.Index(
                fields=["hhs_notify_by"],
                condition=Q(hhs_required=True, hhs_notified_at__isnull=True),
                name="referral_hhs_unrecorded",
            ),
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

    @property
    def hhs_overdue(self) -> bool:
        """A required HHS notice not recorded by its due time (a notice recorded late is no longer overdue)."""
        return (
            self.hhs_required
            and self.hhs_notified_at is None
            and self.hhs_notify_by is not None
            and self.hhs_notify_by <= timezone.now()
        )


class Case(models.Model):
    """What a case referral knows of a trafficking case."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, primary_key=True, related_name="case")
    sealed = SealedField(
        members=("sender_case_number", "title", "locations", "organizations"), lists=("locations", "organizations")
    )

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
    # BCP 47 tags in canonical form (RFC 5646 §4.5; 35 characters is the length §4.4.1 asks to support).
    languages = ArrayField(models.CharField(max_length=35), default=list, blank=True)
    interpreter_needed = models.BooleanField(default=False)
    us_citizen_or_lpr = models.CharField(max_length=10, choices=CitizenOrLpr.choices, default=CitizenOrLpr.UNKNOWN)
    protected_1367 = models.BooleanField(default=False)
    protection_basis = models.CharField(max_length=20, choices=ProtectionBasis.choices, null=True, blank=True)
    protection_ends_on = models.DateField(null=True, blank=True)
    # The 1367(b) exception relied on to disclose this person to an agency not marked to receive it.
    disclosure_exception = models.CharField(max_length=20, choices=DisclosureException.choices, null=True, blank=True)
    # The authority for it (a court order, the officer's purpose): free text, sealed on its own so that reading
    # the basis (shown to both parties, with or without pii:read) never decrypts the identifying fields.
    sealed_basis = SealedField(members=("disclosure_authority",))
    disclosure_waiver_signed_on = models.DateField(null=True, blank=True)
    minor_flag = models.BooleanField(default=False)
    is_minor = models.BooleanField(default=False)
    # The identifying fields (PERSON_IDENTIFYING_FIELDS), read together: one ciphertext under the referral's key.
    # Without pii:read the column is deferred, so it is neither read nor decrypted.
    sealed = SealedField(
        members=PERSON_IDENTIFYING_FIELDS, dates=("date_of_birth",), lists=("aliases", "other_identifiers")
    )
    # HMAC-SHA256 under the newest of BLIND_INDEX_KEYS (referral_api.crypto.blind_index): equality only, no plaintext.
    a_number_index = models.CharField(max_length=64, null=True, blank=True, db_index=True)
    name_dob_index = models.CharField(max_length=64, null=True, blank=True, db_index=True)
    # Which blind-index key the two digests are under (referrals.indexes.index_key_id; "" = before v1.1).
    index_key_id = models.CharField(max_length=16, blank=True, default="")

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
    sealed = SealedField(members=("reason",))
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
    sealed = SealedField(members=("body",))
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


class ReferenceCounter(models.Model):
    """The last reference number given to a sending agency in a year: references are numbered per sender
    (``REF-CBP-2026-000042``), so a sender learns nothing about how many referrals other agencies made."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="reference_counter_agency_year")]

    def __str__(self) -> str:
        return f"reference counter {self.agency_id} {self.year}"
