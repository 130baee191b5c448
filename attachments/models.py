"""Documents attached to a referral. The bytes live encrypted in the ``attachments`` storage under a random key;
this row holds what is known about them (type decided by content, size, SHA-256 of the plaintext, scan result)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from agencies.models import Agency
from referral_api.fields import SealedField
from referrals.models import Referral


class Kind(models.TextChoices):
    I914_SUPPLEMENT_B = "i914_supplement_b", "Form I-914 Supplement B (T visa declaration)"
    I918_SUPPLEMENT_B = "i918_supplement_b", "Form I-918 Supplement B (U visa certification)"
    # Deprecated (api-contract.md v1.1): it did not say which form; use one of the two kinds above.
    SUPPLEMENT_B = "supplement_b", "Supplement B (deprecated: use i914_supplement_b or i918_supplement_b)"
    SCREENING_FORM = "screening_form", "Screening form"
    IDENTITY_DOCUMENT = "identity_document", "Identity document"
    PHOTO = "photo", "Photo"
    CORRESPONDENCE = "correspondence", "Correspondence"
    OTHER = "other", "Other"


class MediaType(models.TextChoices):
    PDF = "application/pdf", "PDF"
    PNG = "image/png", "PNG"
    JPEG = "image/jpeg", "JPEG"
    TEXT = "text/plain", "Plain UTF-8 text"


class ScanStatus(models.TextChoices):
    CLEAN = "clean", "No threat found; the content can be downloaded"
    INFECTED = "infected", "Flagged as malicious; the content was discarded and is never served"


class Attachment(models.Model):
    """One uploaded document. Never edited; re-encryption replaces ``storage_key`` and ``key_fingerprint``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.PROTECT, related_name="attachments")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Free text and the uploader's file name may name a person: both are encrypted like any other PII field.
    sealed = SealedField(members=("description", "file_name"))
    media_type = models.CharField(max_length=40, choices=MediaType.choices)
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    uploaded_by_client_id = models.CharField(max_length=255)
    scan_status = models.CharField(max_length=16, choices=ScanStatus.choices)
    # Random object name in the attachments storage ("" when nothing is stored, e.g. infected content).
    storage_key = models.CharField(max_length=255, blank=True, default="")
    # First 8 hex digits of SHA-256 over the key that encrypted the stored object (see attachments_reencrypt).
    key_fingerprint = models.CharField(max_length=8, blank=True, default="")
    # Date the Supplement B was signed (i914_supplement_b, i918_supplement_b); see referrals.deadlines.
    signed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["referral", "created_at", "id"], name="attachment_referral_time"),
            models.Index(fields=["key_fingerprint"], name="attachment_key_fingerprint"),
        ]

    def __str__(self) -> str:
        return f"attachment {self.id}"

    @property
    def usable_until(self):
        """Last day an I-918 Supplement B can be filed (8 C.F.R. 214.14(c)(2)(i)); ``None`` for other kinds."""
        from referrals.deadlines import i918b_usable_until

        return i918b_usable_until(kind=self.kind, signed_on=self.signed_on)

    @property
    def downloadable(self) -> bool:
        return self.scan_status == ScanStatus.CLEAN and bool(self.storage_key)
