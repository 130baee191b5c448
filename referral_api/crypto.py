"""Symmetric encryption at rest: Fernet (AES-128-CBC + HMAC-SHA256) over ``settings.FIELD_ENCRYPTION_KEYS``.

Keys are listed newest first: new ciphertext uses the first key, and every listed key can still decrypt, so a
key is rotated by putting a new one in front, re-encrypting (``manage.py rotate_encryption_keys``), then
dropping the old one.
"""

from __future__ import annotations

from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = ["InvalidToken", "decrypt_bytes", "decrypt_str", "encrypt_bytes", "encrypt_str", "reencrypt_bytes"]


@lru_cache(maxsize=4)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
    try:
        return MultiFernet([Fernet(key.strip().encode("ascii")) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must hold url-safe base64 32-byte Fernet keys.") from exc


def _cipher() -> MultiFernet:
    # Read the setting on every call (cached per key list) so tests and rotations see a changed setting.
    return _multifernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt_bytes(plaintext: bytes) -> bytes:
    """Return the Fernet token of ``plaintext`` under the newest key."""
    return _cipher().encrypt(bytes(plaintext))


def decrypt_bytes(token: bytes) -> bytes:
    """Return the plaintext of a token made under any listed key; ``InvalidToken`` if none fits."""
    return _cipher().decrypt(bytes(token))


def reencrypt_bytes(token: bytes) -> bytes:
    """Return ``token`` re-encrypted under the newest key (for key rotation)."""
    return _cipher().rotate(bytes(token))


def encrypt_str(plaintext: str) -> bytes:
    """Return the Fernet token of a UTF-8 string."""
    return encrypt_bytes(plaintext.encode("utf-8"))


def decrypt_str(token: bytes) -> str:
    """Return the string encrypted by ``encrypt_str``."""
    return decrypt_bytes(token).decode("utf-8")
