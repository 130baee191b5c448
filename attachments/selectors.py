"""Reads on attachments. Callers pass a referral already resolved through ``referrals_visible_to``."""

from __future__ import annotations

from django.db.models import QuerySet

from attachments.errors import NotVisible
from attachments.models import Attachment


def attachments_of(*, referral_id) -> QuerySet[Attachment]:
    """Attachments of one referral, with what their representation needs (one query)."""
    return Attachment.objects.filter(referral_id=referral_id).select_related("uploaded_by_agency")


def attachment_of(*, referral_id, attachment_id) -> Attachment:
    """One attachment of a referral the caller may see, or raise ``NotVisible``."""
    attachment = attachments_of(referral_id=referral_id).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotVisible()
    return attachment
