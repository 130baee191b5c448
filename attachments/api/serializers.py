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


class AttachmentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = ChoiceField(choices=Kind.choices)
    description = serializers.CharField(allow_null=True, help_text="null for the receiver after a recall.")
    media_type = ChoiceField(choices=MediaType.choices, help_text="Decided from the content.")
    size = serializers.IntegerField(help_text="Bytes, as stored (images without their metadata).")
    sha256 = serializers.CharField(help_text="SHA-256 (hex) of the content as stored and served.")
    uploaded_by = AttachmentUploaderSerializer()
    created_at = serializers.DateTimeField()
    file_name = serializers.CharField(
        allow_null=True,
        help_text="The uploader's file name without any path, for display only; never used to store the file. "
        "null for the receiver after a recall.",
    )
    scan_status = ChoiceField(
        choices=ScanStatus.choices,
        help_text="`clean`: downloadable. `infected`: flagged by the malware scanner; the content was discarded "
        "and `content/` answers 404.",
    )


def attachment_representation(attachment: Attachment, *, withheld: bool = False) -> dict:
    """Metadata of one attachment; after a recall the receiver sees neither its file name nor its description."""
    return {
        "id": str(attachment.pk),
        "kind": attachment.kind,
        "description": None if withheld else attachment.description,
        "media_type": attachment.media_type,
        "size": attachment.size,
        "sha256": attachment.sha256,
        "uploaded_by": {"agency": attachment.uploaded_by_agency.code},
        "created_at": rfc3339(attachment.created_at),
        "file_name": None if withheld else attachment.file_name,
        "scan_status": attachment.scan_status,
    }
