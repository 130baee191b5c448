"""Model fields encrypted at rest with the field-encryption keys (see referral_api/crypto.py).

The database holds only Fernet tokens: a ``pg_dump`` shows no plaintext. Values cannot be filtered or indexed
(use a blind index for equality). ``None`` stays NULL; every other value, including ``""``, ``[]`` and ``{}``,
is encrypted and round-trips exactly.
"""

from __future__ import annotations

import datetime

import orjson
from django.db import models

from referral_api.crypto import decrypt_text, encrypt_text


class EncryptedTextField(models.TextField):
    """A string stored encrypted."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt_text(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return decrypt_text(value)


class EncryptedJSONField(models.TextField):
    """A JSON value (list, dict, string, number, bool) stored encrypted."""

    def get_prep_value(self, value):
        if value is None:
            return None
        return encrypt_text(orjson.dumps(value).decode("utf-8"))

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return orjson.loads(decrypt_text(value))

    def to_python(self, value):
        return value

    def value_to_string(self, obj):
        return orjson.dumps(self.value_from_object(obj)).decode("utf-8")


class EncryptedDateField(models.TextField):
    """A date stored encrypted (ISO 8601 text inside the ciphertext)."""

    def get_prep_value(self, value):
        if value is None:
            return None
        if isinstance(value, datetime.date):
            value = value.isoformat()
        return encrypt_text(str(value))

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return datetime.date.fromisoformat(decrypt_text(value))

    def to_python(self, value):
        if value is None or isinstance(value, datetime.date):
            return value
        return datetime.date.fromisoformat(value)


ENCRYPTED_FIELD_TYPES = (EncryptedTextField, EncryptedJSONField, EncryptedDateField)
