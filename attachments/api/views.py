"""Attachment endpoints under ``referrals/{id}/attachments/``.

Every view subclasses ``ReferralScopedView``: the referral is resolved once through ``referrals_visible_to`` (a
non-party gets 404 on every path and method) and refused access is audited the same way as on the referral itself.
"""

from __future__ import annotations

import base64

from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from attachments import services
from attachments.api.serializers import (
    PII_KINDS,
    UPLOAD_FIELDS,
    AttachmentSerializer,
    AttachmentUploadSerializer,
    attachment_representation,
)
from attachments.errors import ContentWithheld
from attachments.models import Kind, MediaType
from attachments.selectors import attachment_check_servable, attachment_of, attachments_of
from attachments.storage import iter_plaintext
from attachments.uploads import BoundedTemporaryFileUploadHandler, content_length_too_large, max_bytes, too_large
from audit.context import audit_context
from referral_api.deprecation import deprecation_use
from referral_api.pagination import KeysetPagination
from referral_api.permissions import has_scope
from referral_api.problems import InsufficientScope
from referrals.api.base import NOT_FOUND, PURPOSE, READ, WRITE, ReferralScopedView
from referrals.deprecations import SUPPLEMENT_B_KIND
from referrals.policies import referral_content_withheld

ATTACHMENT_NOT_FOUND = OpenApiResponse(
    description="No such referral or attachment, or your agency is not a party to the referral (`not-found`)."
)


class AttachmentAPIView(ReferralScopedView):
    """Resolves the referral once, with only the columns these routes need."""

    # The referral is resolved by the base; an attachment is looked up among that referral's only.

    def attachment(self):
        return attachment_of(referral_id=self.referral.pk, attachment_id=self.kwargs["attachment_id"])

    def withheld(self) -> bool:
        """After a recall the receiver keeps the attachments' existence, not their content, name or description."""
        return referral_content_withheld(referral=self.referral, side=self.side)


class AttachmentListCreateView(AttachmentAPIView):
    required_scopes = {"GET": READ, "POST": WRITE}
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["attachments"],
        operation_id="referrals_attachments_list",
        summary="List a referral's attachments, newest first",
        parameters=[PURPOSE],
        responses={200: AttachmentSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request, pk):
        paginator = KeysetPagination()
        rows = paginator.paginate_queryset(attachments_of(referral_id=pk), request, view=self)
        self.audit("attachment.list_read")
        pii = has_scope(request, "pii:read")
        withheld = self.withheld()
        return paginator.get_paginated_response(
            [attachment_representation(a, pii=pii, withheld=withheld) for a in rows]
        )

    @extend_schema(
        tags=["attachments"], operation_id="referrals_attachments_create", summary="Upload an attachment",
        description=(
            "Either party may upload while the referral is not terminal (409 `invalid-transition` otherwise). "
            "Send `multipart/form-data` with exactly the fields `file`, `kind`, optionally `description`, and "
            "`signed_on` for a Supplement B (`i914_supplement_b`, `i918_supplement_b`: required, a date not in "
            "the future); any other field is a 400. The metadata of an `i918_supplement_b` adds `usable_until` "
            "(signed_on + 6 months). The kind `supplement_b` is deprecated (answered with `Deprecation`).\n\n"
            "The type is decided by the file's **content**, never its name or declared type: PDF (with a real PDF "
            "structure), PNG, JPEG or plain UTF-8 text (no NUL or other control characters, not HTML/XML). Anything "
            "else is 415 `unsupported-media-type`. Files over `ATTACHMENT_MAX_BYTES` (default 10 MiB) are 413 "
            "`payload-too-large`, refused as soon as the limit is passed.\n\n"
            "Metadata (EXIF with GPS position, XMP, IPTC, comments, text chunks) is removed from PNG and JPEG images "
            "before storage, so `size` and `sha256` describe the file as stored and served. The file name is kept "
            "for display only (path and control characters removed). The file is scanned for malware: a flagged "
            "file is recorded with `scan_status: infected` and its content is discarded (never served). If the "
            "scanner cannot answer, nothing is stored: 503 `service-unavailable` with `Retry-After`.\n\n"
            "Emits `referral.attachment_added` (id, kind, media type, size; never the name or content)."
        ),
        request={"multipart/form-data": AttachmentUploadSerializer},
        parameters=[PURPOSE],
        responses={
            201: AttachmentSerializer,
            400: OpenApiResponse(description="Missing, invalid, repeated or unknown form fields (`validation-error`)."),
            404: NOT_FOUND,
            409: OpenApiResponse(description="The referral is terminal (`invalid-transition`)."),
            413: OpenApiResponse(description="The file is larger than the limit (`payload-too-large`)."),
            415: OpenApiResponse(description="The content is not PDF, PNG, JPEG or plain UTF-8 text, or the request "
                                             "is not `multipart/form-data` (`unsupported-media-type`)."),
            503: OpenApiResponse(description="The malware scanner could not be reached; nothing was stored."),
        },
        examples=[OpenApiExample("Screening form", request_only=True, media_type="multipart/form-data",
                                 value={"file": "(binary)", "kind": "screening_form",
                                        "description": "Signed screening form"}),
                  OpenApiExample("U visa certification", request_only=True, media_type="multipart/form-data",
                                 value={"file": "(binary)", "kind": "i918_supplement_b",
                                        "description": "Signed I-918 Supplement B", "signed_on": "2026-11-30"})],
    )  # fmt: skip
    def post(self, request, pk):
        referral = self.referral
        if referral.is_terminal:
            raise services.terminal_refusal(referral, self.agency(), can_write=has_scope(request, "referrals:write"))
        # Refuse a declared oversize body before reading any of it; the handler enforces the limit while
        # streaming (a missing or false Content-Length does not get past it).
        if content_length_too_large(request.META):
            raise too_large()
        request._request.upload_handlers = [BoundedTemporaryFileUploadHandler(request._request, limit=max_bytes())]
        data = self._form(request)
        serializer = AttachmentUploadSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        if serializer.validated_data["kind"] == Kind.SUPPLEMENT_B:
            deprecation_use(request, SUPPLEMENT_B_KIND, field="kind")
        upload = serializer.validated_data["file"]
        try:
            attachment = services.attachment_upload(
                referral_id=referral.pk,
                client=self.client(),
                kind=serializer.validated_data["kind"],
                description=serializer.validated_data.get("description", ""),
                signed_on=serializer.validated_data.get("signed_on"),
                file_name=upload.name,
                source=upload.file,
                context=audit_context(request),
            )
        finally:
            upload.close()
        attachment = attachments_of(referral_id=referral.pk).get(pk=attachment.pk)
        response = Response(attachment_representation(attachment, pii=has_scope(request, "pii:read")), status=201)
        response["Location"] = request.build_absolute_uri(
            reverse("attachment-detail", args=[referral.pk, attachment.pk])
        )
        return response

    @staticmethod
    def _form(request) -> dict:
        """Return the form as a plain dict; unknown, repeated or misplaced fields are a 400."""
        form, files = request.POST, request.FILES
        errors = {}
        for name in set(form) | set(files):
            if name not in UPLOAD_FIELDS:
                errors[name] = ["Unknown field."]
            elif len(form.getlist(name)) + len(files.getlist(name)) > 1:
                errors[name] = ["Send this field once."]
        if "file" in form and "file" not in errors:
            errors["file"] = ["Send the file as a file part (with a filename), not as a text field."]
        for name in ("kind", "description", "signed_on"):
            if name in files and name not in errors:
                errors[name] = ["Send this as a text field, not a file."]
        if errors:
            for upload in files.values():
                upload.close()
            raise ValidationError(errors)
        data = {name: form[name] for name in form}
        if "file" in files:
            data["file"] = files["file"]
        return data


class AttachmentDetailView(AttachmentAPIView):
    required_scopes = READ

    @extend_schema(
        tags=["attachments"],
        operation_id="referrals_attachments_retrieve",
        summary="Read an attachment's metadata",
        parameters=[PURPOSE],
        responses={200: AttachmentSerializer, 404: ATTACHMENT_NOT_FOUND},
    )
    def get(self, request, pk, attachment_id):
        attachment = self.attachment()
        self.audit("attachment.read")
        return Response(
            attachment_representation(attachment, pii=has_scope(request, "pii:read"), withheld=self.withheld())
        )


class AttachmentContentView(AttachmentAPIView):
    required_scopes = READ

    def perform_content_negotiation(self, request, force=False):
        # The body is the file, in its own type: any Accept header is served (errors stay problem+json).
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        tags=["attachments"], operation_id="referrals_attachments_content", summary="Download an attachment",
        description=(
            "The file as stored, with `Content-Type` set to the type decided from its content, "
            "`Content-Disposition: attachment` (the display file name, RFC 6266), `X-Content-Type-Options: nosniff` "
            "and `Repr-Digest` (RFC 9530, the SHA-256 in `sha256`). The stored object is decrypted and checked "
            "against its SHA-256 before the first byte is sent: a mismatch is a 500 `server-error` and nothing is "
            "served. A file flagged by the malware scanner is never served (404 `not-found`; its metadata shows "
            "`scan_status: infected`). Every download is audited. The content of `identity_document`, `photo`, "
            "`supplement_b`, `i914_supplement_b` and `i918_supplement_b` attachments identifies a person: it needs "
            "`pii:read` too (403 `insufficient-scope` otherwise)."
        ),
        parameters=[
            PURPOSE,
            OpenApiParameter("Content-Disposition", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200],
                             description='`attachment; filename="..."` (plus `filename*` for non-ASCII names).'),
            OpenApiParameter("X-Content-Type-Options", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200],
                             description="`nosniff`."),
            OpenApiParameter("Repr-Digest", OpenApiTypes.STR, OpenApiParameter.HEADER, response=[200],
                             description="`sha-256=:<base64>:` of the body (RFC 9530)."),
        ],
        responses={
            **{(200, m.value): OpenApiResponse(OpenApiTypes.BINARY, description="The file.") for m in MediaType},
            403: OpenApiResponse(description="The attachment's kind identifies a person and the token lacks "
                                             "`pii:read`, or lacks `referrals:read` (`insufficient-scope`); or the "
                                             "sender recalled the referral, so its attachments are withheld from the "
                                             "receiver (`permission-denied`)."),
            404: OpenApiResponse(description="No such attachment, not a party, or the file was flagged as malicious "
                                             "(`not-found`)."),
            500: OpenApiResponse(description="The stored file failed its integrity check (`server-error`)."),
        },
    )  # fmt: skip
    def get(self, request, pk, attachment_id):
        if self.withheld():
            raise ContentWithheld()
        attachment = self.attachment()
        if attachment.kind in PII_KINDS and not has_scope(request, "pii:read"):
            # Identity documents, photos and Supplement B forms identify the person: their content is PII.
            raise InsufficientScope([*READ, "pii:read"])
        attachment_check_servable(attachment)
        self.audit("attachment.downloaded")
        content_type = attachment.media_type
        if content_type == MediaType.TEXT:
            content_type += "; charset=utf-8"
        chunks = iter_plaintext(attachment.storage_key, referral_id=attachment.referral_id, attachment_id=attachment.pk)
        response = StreamingHttpResponse(chunks, content_type=content_type)
        response["Content-Length"] = str(attachment.size)
        response["Content-Disposition"] = content_disposition_header(True, attachment.file_name)
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Repr-Digest"] = "sha-256=:" + base64.b64encode(bytes.fromhex(attachment.sha256)).decode() + ":"
        response["ETag"] = f'"{attachment.sha256}"'
        return response
