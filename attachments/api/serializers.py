"""Attachment input and output shapes (explicit names, so OpenAPI components never collide)."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers
from rest_framework.exceptions import ErrorDetail

from attachments.models import Attachment, Kind, MediaType, ScanStatus
from referral_api.fields import ChoiceField
from referral_api.renderers import rfc3339

UPLOAD_FIELDS = frozenset({"file", "kind", "description", "signed_on"})
SUPPLEMENT_B_KINDS = (Kind.I914_SUPPLEMENT_B, Kind.I918_SUPPLEMENT_B)


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=False,
        help_text="The document. Its type is decided by its content: PDF, PNG, JPEG or plain UTF-8 text.",
    )
    kind = ChoiceField(
        choices=Kind.choices, help_text="`supplement_b` is deprecated: use `i914_supplement_b` or `i918_supplement_b`."
    )
    description = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    signed_on = serializers.DateField(
        required=False,
        input_formats=["iso-8601"],
        help_text="Date the Supplement B was signed (not in the future): required for `i914_supplement_b` and "
        "`i918_supplement_b`, refused for other kinds. An I-918 Supplement B is usable for six months after it "
        "(8 C.F.R. 214.14(c)(2)(i)); an older one is still accepted as a record.",
    )

    def validate(self, attrs):
        signed_on = attrs.get("signed_on")
        if signed_on is None and "signed_on" in getattr(self, "initial_data", {}):
            # An empty form field is a date that is not one (multipart forms send empty strings for "no value").
            raise serializers.ValidationError(
                {"signed_on": [ErrorDetail("Must be a date, e.g. 2026-11-30.", code="invalid")]}
            )
        if attrs["kind"] in SUPPLEMENT_B_KINDS:
            if signed_on is None:
                raise serializers.ValidationError(
                    {"signed_on": [ErrorDetail(f"Required for kind {attrs['kind']}.", code="required")]}
                )
            if signed_on > timezone.now().date():
                raise serializers.ValidationError(
                    {"signed_on": [ErrorDetail("Cannot be in the future.", code="invalid_date")]}
                )
        elif signed_on is not None:
            raise serializers.ValidationError(
                {"signed_on": [ErrorDetail("Only for i914_supplement_b and i918_supplement_b.", code="not_allowed")]}
            )
        return attrs


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
    signed_on = serializers.DateField(allow_null=True, help_text="Signature date of a Supplement B.")
    usable_until = serializers.DateField(
        allow_null=True,
        help_text="I-918 Supplement B only: the last day it can be filed (signed_on + 6 months, "
        "8 C.F.R. 214.14(c)(2)(i)); it may be in the past.",
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
        "signed_on": attachment.signed_on.isoformat() if attachment.signed_on else None,
        "usable_until": attachment.usable_until.isoformat() if attachment.usable_until else None,
    }
