"""Reads on attachments. Callers pass a referral already resolved through ``referrals_visible_to``."""

from __future__ import annotations

from django.db.models import QuerySet

from attachments.models import Attachment


def attachments_of(*, referral_id) -> QuerySet[Attachment]:
    """Attachments of one referral, with what their representation needs (one query)."""
    return Attachment.objects.filter(referral_id=referral_id).select_related("uploaded_by_agency")
