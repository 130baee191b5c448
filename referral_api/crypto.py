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

__all__ = [
    "InvalidToken",
    "blind_index",
    "decrypt_bytes",
    "decrypt_str",
    "decrypt_text",
    "encrypt_bytes",
    "encrypt_str",
    "encrypt_text",
    "reencrypt_bytes",
    "reencrypt_text",
]


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


def encrypt_text(plaintext: str) -> str:
    """Return the Fernet token of a string as ASCII text (for text columns)."""
    return encrypt_bytes(plaintext.encode("utf-8")).decode("ascii")


def decrypt_text(token: str) -> str:
    """Return the string encrypted by ``encrypt_text``."""
    return decrypt_bytes(token.encode("ascii")).decode("utf-8")


def reencrypt_text(token: str) -> str:
    """Return a text token re-encrypted under the newest key (same plaintext)."""
    return reencrypt_bytes(token.encode("ascii")).decode("ascii")


def blind_index(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of a normalised value under ``BLIND_INDEX_KEY``: equal inputs match, the input stays hidden.

    ``purpose`` separates index domains (an A-number hash never equals a name hash of the same text).
    """
    import hashlib
    import hmac

    key = settings.BLIND_INDEX_KEY.encode("utf-8")
    return hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()
