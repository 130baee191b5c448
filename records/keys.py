"""The referral data keys, seen from disposal: destroying a referral's key is what makes it unreadable everywhere.

Each referral's sensitive data is encrypted under its own data key, kept wrapped in the key store
(``KEYSTORE_DATABASE_URL``). Destroying the wrapped key crypto-shreds every copy of the ciphertexts, in
backups too, because no backup of the main database holds the key.
"""

from __future__ import annotations


def data_keys_destroy(*, referral_ids: list) -> int:
    """Destroy the data keys of ``referral_ids`` in the key store; return how many existed."""
    return 0
