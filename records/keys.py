"""The referral data keys, seen from disposal: destroying a referral's key is what makes it unreadable everywhere.

Each referral's sensitive data is sealed under its own data key, kept wrapped in the key store
(``referral_api.keystore``, on ``KEYSTORE_DATABASE_URL`` when set). Destroying the wrapped key crypto-shreds every
copy of the ciphertexts, in backups of the main database too, because no backup of the main database holds the key.
"""

from __future__ import annotations

import uuid

from django.db import transaction
from django.utils import timezone

from referral_api.keystore.models import DataKey
from referral_api.keystore.routers import keystore_alias


def data_keys_destroy(*, referral_ids: list) -> int:
    """Destroy every data key of ``referral_ids`` (idempotent); return how many referrals had a live key.

    The batch form of ``referral_api.keystore.services.data_key_destroy``, with the same result: every generation's
    wrapped key overwritten with NULL, and a tombstone row for a referral that never had a key, so that no key can
    be made for it later. Three queries for a whole disposal batch instead of three per referral. When the key
    store is the main database this joins the caller's transaction; otherwise it commits on its own, before the
    caller's disposal commits (a crash between the two leaves the key destroyed and the disposal to redo).
    """
    ids = {uuid.UUID(str(i)) for i in referral_ids}
    if not ids:
        return 0
    now = timezone.now()
    alias = keystore_alias()
    with transaction.atomic(using=alias):
        live = set(
            DataKey.objects.using(alias)
            .filter(referral_id__in=ids, destroyed_at__isnull=True)
            .values_list("referral_id", flat=True)
            .distinct()
        )
        DataKey.objects.using(alias).filter(referral_id__in=ids, destroyed_at__isnull=True).update(
            wrapped=None, kek_id="", destroyed_at=now
        )
        known = set(DataKey.objects.using(alias).filter(referral_id__in=ids).values_list("referral_id", flat=True))
        DataKey.objects.using(alias).bulk_create(
            [DataKey(referral_id=i, generation=1, wrapped=None, destroyed_at=now) for i in ids - known],
            ignore_conflicts=True,
        )
    return len(live)
