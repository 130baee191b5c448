"""The referral data keys, seen from disposal: destroying a referral's key is what makes it unreadable everywhere.

Each referral's sensitive data is sealed under its own data key, kept wrapped in the key store
(``referral_api.keystore``, on ``KEYSTORE_DATABASE_URL`` when set). Destroying the wrapped key crypto-shreds every
copy of the ciphertexts, in backups of the main database too, because no backup of the main database holds the key.
"""

from __future__ import annotations

from referral_api.keystore.services import data_key_destroy


def data_keys_destroy(*, referral_ids: list) -> int:
    """Destroy the data keys of ``referral_ids`` in the key store (idempotent); return how many were live."""
    return sum(1 for referral_id in referral_ids if data_key_destroy(referral_id=referral_id))
