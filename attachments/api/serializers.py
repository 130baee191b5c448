"""Attachment input and output shapes (explicit names, so OpenAPI components never collide)."""

from __future__ import annotations

from rest_framework import serializers

from attachments.models import Attachment, Kind, MediaType, ScanStatus
from referral_api.fields import ChoiceField
from referral_api.renderers import rfc3339

UPLOAD_FIELDS = frozenset({"file", "kind", "description"})


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=False,
        help_text="The document. Its type is decided by its content: PDF, PNG, JPEG or plain UTF-8 text.",
    )
    kind = ChoiceField(choices=Kind.choices)
    description = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class AttachmentUploaderSerializer(serializers.Serializer):
    agency = serializers.CharField(help_text="Code of the agency that uploaded the file.")


# Kinds whose content identifies a person: downloading them needs ``pii:read`` (403 ``insufficient-scope``
# otherwise). Named as strings so kinds added later (the Supplement B forms) are covered the day they exist.
PII_KINDS = frozenset({"identity_document", "photo", "supplement_b", "i914_supplement_b", "i918_supplement_b"})


class AttachmentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = ChoiceField(choices=Kind.choices)
    description = serializers.CharField(
        allow_null=True,
        help_text="Free text from the uploader; `null` (masked) without `pii:read`, and for the receiver after a "
        "recall.",
    )
    media_type = ChoiceField(choices=MediaType.choices, help_text="Decided from the content.")
    size = serializers.IntegerField(help_text="Bytes, as stored (images without their metadata).")
    sha256 = serializers.CharField(help_text="SHA-256 (hex) of the content as stored and served.")
    uploaded_by = AttachmentUploaderSerializer()
    created_at = serializers.DateTimeField()
    file_name = serializers.CharField(
        allow_null=True,
        help_text="The uploader's file name without any path, for display only; never used to store the file. "
        "`null` (masked) without `pii:read` (names and descriptions often carry a person's name), and for the "
        "receiver after a recall.",
    )
    masked = serializers.BooleanField(
        help_text="`true` when `file_name` and `description` are withheld (no `pii:read`, or recalled)."
    )
    scan_status = ChoiceField(
        choices=ScanStatus.choices,
        help_text="`clean`: downloadable. `infected`: flagged by the malware scanner; the content was discarded "
        "and `content/` answers 404.",
    )


def attachment_representation(attachment: Attachment, *, pii: bool, withheld: bool = False) -> dict:
    """The attachment's metadata; without ``pii`` (the caller's ``pii:read``), and for the receiver after a
    recall (``withheld``), its file name and description are ``null`` and ``masked`` is true."""
    shown = pii and not withheld
    return {
        "id": str(attachment.pk),
        "kind": attachment.kind,
        "description": attachment.description if shown else None,
        "media_type": attachment.media_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "uploaded_by": {"agency": attachment.uploaded_by_agency.code},
        "created_at": rfc3339(attachment.created_at),
        "file_name": attachment.file_name if shown else None,
        "scan_status": attachment.scan_status,
        "masked": not shown,
    }
