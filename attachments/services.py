"""Writes on attachments: upload (check, clean, scan, encrypt, record) and key rotation of stored objects.

An upload's row, its audit row and its ``referral.attachment_added`` event are written in one transaction, with
the referral row locked (so no upload lands after the referral became terminal). The encrypted object is written
before that transaction; if the transaction fails, the object is deleted again.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import tempfile
import uuid
from collections.abc import Iterator
from typing import BinaryIO

from django.db import transaction

from agencies.models import Client
from attachments import scanning
from attachments.errors import InvalidTransition, NotAcceptedContent, ScannerUnavailable
from attachments.metadata import strip_metadata
from attachments.models import Attachment, MediaType, ScanStatus
from attachments.sniffing import Unsupported, sanitize_file_name, sniff_media_type
from attachments.storage import (
    CorruptObject,
    DataKeyDestroyed,
    delete_object,
    encrypt_to_storage,
    key_marker,
    reencrypt_object,
)
from audit.context import AuditContext
from audit.services import audit_record
from events.services import event_emit
from referrals.lifecycle import allowed_actions
from referrals.selectors import referral_side
from referrals.services import referral_lock_visible

logger = logging.getLogger("attachments")

ACCEPTED_MEDIA_TYPES = [m.value for m in MediaType]


def terminal_refusal(referral, agency, *, can_write: bool = True) -> InvalidTransition:
    """The refusal of an upload to a terminal referral, listing what the caller may still do (nothing, once
    terminal)."""
    return InvalidTransition(
        f"Attachments can be added only while a referral is open; it is {referral.status}.",
        allowed_actions=allowed_actions(
            status=referral.status, side=referral_side(referral, agency), can_write=can_write
        ),
    )


def _sha256_and_size(stream: BinaryIO) -> tuple[str, int]:
    stream.seek(0)
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(64 * 1024):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    return digest.hexdigest(), size


def _refuse_active_pdf(source: BinaryIO) -> None:
    """415 for a PDF with scripts, automatic or launch actions, embedded files or rich media (attachments/pdf.py)."""
    from attachments.pdf import ActivePdf, pdf_active_content

    try:
        found = pdf_active_content(source)
    except ActivePdf as exc:
        raise NotAcceptedContent(
            f"{exc} Send a PDF without active content.", accepted_media_types=ACCEPTED_MEDIA_TYPES
        ) from None
    if found:
        raise NotAcceptedContent(
            "PDFs with active content are refused; this one has: " + ", ".join(found) + ". "
            "Send it printed or flattened to a plain PDF (no JavaScript, automatic or launch actions, embedded "
            "files or rich media).",
            accepted_media_types=ACCEPTED_MEDIA_TYPES,
            active_content=found,
        )


@contextlib.contextmanager
def _cleaned(source: BinaryIO) -> Iterator[tuple[BinaryIO, str]]:
    """Yield ``(stream, media_type)``: the content as it will be stored (images without metadata)."""
    try:
        media_type = sniff_media_type(source)
    except Unsupported as exc:
        raise NotAcceptedContent(
            f"{exc} Accepted: PDF, PNG, JPEG and plain UTF-8 text, recognised by content.",
            accepted_media_types=ACCEPTED_MEDIA_TYPES,
        ) from None
    if media_type == MediaType.PDF:
        _refuse_active_pdf(source)
    if media_type not in (MediaType.PNG, MediaType.JPEG):
        source.seek(0)
        yield source, media_type
        return
    with tempfile.TemporaryFile() as stripped:
        try:
            strip_metadata(source, stripped, media_type)
        except Unsupported as exc:
            raise NotAcceptedContent(str(exc), accepted_media_types=ACCEPTED_MEDIA_TYPES) from None
        stripped.seek(0)
        yield stripped, media_type


def attachment_upload(
    *,
    referral_id,
    client: Client,
    kind: str,
    description: str,
    file_name: str | None,
    source: BinaryIO,
    context: AuditContext,
    signed_on=None,
) -> Attachment:
    """Check, clean, scan, encrypt and record an upload to a referral the caller's agency is a party to.

    Raises ``NotAcceptedContent``, ``ScannerUnavailable``, ``InvalidTransition`` (terminal referral) or
    ``NotVisible`` (``attachments.errors``).
    """
    attachment_id = uuid.uuid4()
    generation = 0
    with _cleaned(source) as (content, media_type):
        verdict = scanning.get_scanner().scan(content)
        content.seek(0)
        if verdict == scanning.ERROR:
            raise ScannerUnavailable(retry_after=30)
        if verdict == scanning.CLEAN:
            # Sealed under the referral's data key; a non-party learns nothing (the row insert below checks need to
            # know, and the object is deleted again if it refuses).
            storage_key, size, sha256, generation = encrypt_to_storage(
                content, referral_id=referral_id, attachment_id=attachment_id
            )
            scan_status = ScanStatus.CLEAN
        else:
            # Flagged content is discarded: only its description is kept, so it can never be served.
            storage_key = ""
            sha256, size = _sha256_and_size(content)
            scan_status = ScanStatus.INFECTED
    try:
        return _attachment_record(
            id=attachment_id,
            key_fingerprint=key_marker(generation) if storage_key else "dk",
            referral_id=referral_id,
            client=client,
            context=context,
            kind=kind,
            signed_on=signed_on,
            description=description,
            file_name=sanitize_file_name(file_name),
            media_type=media_type,
            size=size,
            sha256=sha256,
            scan_status=scan_status,
            storage_key=storage_key,
        )
    except BaseException:
        delete_object(storage_key)
        raise


@transaction.atomic
def _attachment_record(*, referral_id, client: Client, context: AuditContext, **fields) -> Attachment:
    referral = referral_lock_visible(referral_id=referral_id, agency=client.agency)
    if referral.is_terminal:
        raise terminal_refusal(referral, client.agency)
    attachment = Attachment.objects.create(
        referral=referral,
        uploaded_by_agency=client.agency,
        uploaded_by_client_id=client.client_id,
        **fields,
    )
    audit_record(action="attachment.uploaded", object_type="referral", object_id=str(referral.pk), context=context)
    # Events never carry PII: no file name, description or content.
    event_emit(
        event_type="referral.attachment_added",
        referral_id=referral.pk,
        reference=referral.reference,
        agency_codes=[referral.sender_agency.code, referral.receiver_agency.code],
        actor_agency=client.agency.code,
        data={
            "attachment_id": str(attachment.pk),
            "kind": attachment.kind,
            "media_type": attachment.media_type,
            "size": attachment.size,
            "scan_status": attachment.scan_status,
        },
    )
    return attachment


# --- data keys: re-encryption and the v1.0 format ---------------------------------------------------------
def _reencrypt_one(attachment_id, *, only_v1: bool) -> bool:
    new_key = ""
    try:
        with transaction.atomic():
            rows = Attachment.objects.select_for_update(skip_locked=True).filter(pk=attachment_id)
            if only_v1:
                rows = rows.exclude(key_fingerprint__startswith="dk")
            row = rows.first()
            if row is None:
                return False
            old_key = row.storage_key
            generation = 0
            if old_key:
                new_key, generation = reencrypt_object(old_key, referral_id=row.referral_id, attachment_id=row.pk)
            row.storage_key = new_key
            row.key_fingerprint = key_marker(generation) if new_key else "dk"
            row.save(update_fields=["storage_key", "key_fingerprint"])
            # Readers that already opened the old object finish reading it; it goes once the swap is committed.
            transaction.on_commit(lambda: delete_object(old_key))
    except BaseException:
        delete_object(new_key)
        raise
    return True


def attachments_reencrypt_referral(referral_id) -> int:
    """Re-seal one referral's stored objects under its current data key generation (``--reencrypt``)."""
    done = 0
    for attachment_id in (
        Attachment.objects.filter(referral_id=referral_id).exclude(storage_key="").values_list("id", flat=True)
    ):
        done += _reencrypt_one(attachment_id, only_v1=False)
    return done


def attachments_v1_count() -> int:
    """Stored objects still in the v1.0 format (Fernet chunks under the KEK)."""
    return Attachment.objects.exclude(key_fingerprint__startswith="dk").count()


def attachments_convert_v1(*, batch_size: int = 100) -> int:
    """Re-seal every v1.0 object under its referral's data key; return how many remain (logged, e.g. corrupt).

    Resumable: converted rows carry ``dk<generation>`` in ``key_fingerprint``, and only other rows are visited.
    """
    failed: set = set()
    while True:
        ids = list(
            Attachment.objects.exclude(key_fingerprint__startswith="dk")
            .exclude(pk__in=failed)
            .order_by("created_at", "id")
            .values_list("id", flat=True)[:batch_size]
        )
        if not ids:
            return len(failed)
        for attachment_id in ids:
            try:
                if not _reencrypt_one(attachment_id, only_v1=True):
                    failed.add(attachment_id)  # locked by a concurrent run, which will finish it
            except (CorruptObject, DataKeyDestroyed) as exc:
                failed.add(attachment_id)
                logger.error(
                    "attachment could not be converted",
                    extra={"attachment_id": str(attachment_id), "error": type(exc).__name__},
                )
