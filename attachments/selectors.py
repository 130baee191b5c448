"""Reads on attachments. Callers pass a referral already resolved through ``referrals_visible_to``."""

from __future__ import annotations

import datetime
import logging

from django.db.models import Exists, OuterRef, QuerySet

from attachments.errors import AttachmentCorrupt, ContentDiscarded, NotVisible
from attachments.models import Attachment
from attachments.storage import CorruptObject, verify_object
from referrals.deadlines import I918B_KIND, i918b_latest_signed_on

logger = logging.getLogger("attachments")


def attachments_of(*, referral_id) -> QuerySet[Attachment]:
    """Attachments of one referral, with what their representation needs (one query)."""
    return Attachment.objects.filter(referral_id=referral_id).select_related("uploaded_by_agency")


def attachment_of(*, referral_id, attachment_id) -> Attachment:
    """One attachment of a referral the caller may see, or raise ``NotVisible``."""
    attachment = attachments_of(referral_id=referral_id).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotVisible()
    return attachment


def attachment_check_servable(attachment: Attachment) -> None:
    """Raise unless the attachment's content may be served: ``ContentDiscarded`` for a file the malware scanner
    flagged, ``AttachmentCorrupt`` (logged) when the stored object does not decrypt or match its SHA-256.

    The whole object is read once before answering, so corrupt data is never sent, not even a first chunk.
    """
    if not attachment.downloadable:
        raise ContentDiscarded(scan_status=attachment.scan_status)
    try:
        verify_object(
            attachment.storage_key, sha256=attachment.sha256, size=attachment.size,
            referral_id=attachment.referral_id, attachment_id=attachment.pk,
        )  # fmt: skip
    except CorruptObject as exc:
        logger.error(
            "attachment failed its integrity check",
            extra={"attachment_id": str(attachment.pk), "referral_id": str(attachment.referral_id), "error": str(exc)},
        )
        raise AttachmentCorrupt() from None


def i918b_unusable_by(last_day: datetime.date) -> Exists:
    """The referral (``OuterRef("pk")``) holds an I-918 Supplement B whose usability ends by ``last_day``
    (8 C.F.R. 214.14(c)(2)(i): six months after signature; ``referrals.deadlines``)."""
    return Exists(
        Attachment.objects.filter(
            referral_id=OuterRef("pk"), kind=I918B_KIND, signed_on__lte=i918b_latest_signed_on(last_day)
        )
    )
