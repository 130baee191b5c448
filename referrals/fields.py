"""The v1.0 per-field encrypted types, now in the shared kernel (``referral_api.fields``).

Kept here because the historical migrations of this app import them from this path.
"""

from referral_api.fields import ENCRYPTED_FIELD_TYPES, EncryptedDateField, EncryptedJSONField, EncryptedTextField

__all__ = ["ENCRYPTED_FIELD_TYPES", "EncryptedDateField", "EncryptedJSONField", "EncryptedTextField"]
