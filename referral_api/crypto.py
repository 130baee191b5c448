"""Encryption primitives of the shared kernel: key-encryption keys, data keys, sealed records, blind indexes.

The key hierarchy (docs/privacy.md, "Key hierarchy"):

* **Key-encryption keys (KEKs)** come from ``settings.FIELD_ENCRYPTION_KEYS`` (url-safe base64 of 32 bytes,
  the same values that were Fernet keys, newest first). Each is turned into an AES-256 key with HKDF-SHA256
  (RFC 5869) under its own ``info`` label, so the value that still serves as a Fernet key for the webhook secrets
  never encrypts anything else directly. A KEK is named by ``kek_id``: 16 hex digits of a SHA-256 over the derived
  key (a fingerprint, never the key).
* **Data keys**: 32 random bytes per referral (and per *generation*, renewed by ``--reencrypt``), stored only
  wrapped (AES-256-GCM under a KEK, with the referral id and generation as associated data) in the key store
  (``referral_api.keystore``).
* **Sealed values**: AES-256-GCM (``cryptography``'s ``AESGCM``, NIST SP 800-38D) under a data key. The format is
  ``0x01 | generation (4 bytes, big-endian) | nonce (12 random bytes) | ciphertext | tag (16 bytes)``; the
  associated data is the header plus what the value is and whose (``aad``: the referral id, the record type and
  its id), so a ciphertext copied to another record or referral fails authentication.

Fernet (``encrypt_bytes`` and friends) stays for values that belong to no referral (webhook signing secrets) and to
read the per-field format written before data keys existed (``referrals.migrations.0003``/``0004``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

__all__ = [
    "SEALED_FORMAT",
    "InvalidTag",
    "InvalidToken",
    "Kek",
    "aad",
    "blind_index",
    "blind_indexes",
    "decrypt_bytes",
    "decrypt_str",
    "decrypt_text",
    "encrypt_bytes",
    "encrypt_str",
    "encrypt_text",
    "kek_by_id",
    "keks",
    "new_data_key",
    "newest_kek",
    "open_sealed",
    "reencrypt_bytes",
    "reencrypt_text",
    "seal",
    "sealed_generation",
    "unwrap_data_key",
    "wrap_data_key",
]

SEALED_FORMAT = 1
NONCE_BYTES = 12
_HEADER = 5  # format byte + generation
_KEK_INFO = b"partner-referral-api/kek/v1"


# --- Fernet: values that belong to no referral, and the per-field format of v1.0 ------------------------------
@lru_cache(maxsize=4)
def _multifernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
    try:
        return MultiFernet([Fernet(key.strip().encode("ascii")) for key in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must hold url-safe base64 32-byte keys.") from exc


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


# --- key-encryption keys ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Kek:
    """One key-encryption key: its public fingerprint and its AES-256-GCM cipher."""

    kek_id: str
    cipher: AESGCM


@lru_cache(maxsize=16)
def _derive(key: str) -> Kek:
    try:
        material = base64.urlsafe_b64decode(key.strip().encode("ascii"))
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must hold url-safe base64 32-byte keys.") from exc
    if len(material) != 32:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS must hold url-safe base64 32-byte keys.")
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEK_INFO).derive(material)
    kek_id = hashlib.sha256(b"kek-id\x00" + derived).hexdigest()[:16]
    return Kek(kek_id=kek_id, cipher=AESGCM(derived))


def keks() -> list[Kek]:
    """The key-encryption keys of ``FIELD_ENCRYPTION_KEYS``, newest first."""
    if not settings.FIELD_ENCRYPTION_KEYS:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEYS is empty.")
    return [_derive(key) for key in settings.FIELD_ENCRYPTION_KEYS]


def newest_kek() -> Kek:
    """The KEK new data keys are wrapped under (the first of ``FIELD_ENCRYPTION_KEYS``)."""
    return keks()[0]


def kek_by_id(kek_id: str) -> Kek | None:
    """The configured KEK with this fingerprint, or ``None`` (removed from the configuration)."""
    return next((kek for kek in keks() if kek.kek_id == kek_id), None)


def _wrap_aad(referral_id, generation: int) -> bytes:
    return f"data-key|{referral_id}|{generation}".encode()


def new_data_key() -> bytes:
    """32 random bytes from the operating system's CSPRNG: an AES-256 data key."""
    return AESGCM.generate_key(bit_length=256)


def wrap_data_key(data_key: bytes, *, referral_id, generation: int, kek: Kek | None = None) -> tuple[str, bytes]:
    """Return ``(kek_id, nonce | AES-256-GCM(data key))``, bound to the referral id and generation."""
    kek = kek or newest_kek()
    nonce = os.urandom(NONCE_BYTES)
    return kek.kek_id, nonce + kek.cipher.encrypt(nonce, data_key, _wrap_aad(referral_id, generation))


def unwrap_data_key(wrapped: bytes, *, kek_id: str, referral_id, generation: int) -> bytes:
    """Return the data key wrapped by ``wrap_data_key``; ``InvalidTag`` if its KEK is gone or it was tampered."""
    kek = kek_by_id(kek_id)
    if kek is None:
        raise InvalidTag()
    wrapped = bytes(wrapped)
    return kek.cipher.decrypt(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], _wrap_aad(referral_id, generation))


# --- sealed values ---------------------------------------------------------------------------------------------
def aad(*, referral_id, record: str, record_id) -> bytes:
    """Associated data of a sealed value: whose it is (referral), what it is (record type) and which (its id)."""
    return f"{referral_id}|{record}|{record_id}".encode()


def seal(plaintext: bytes, *, data_key: AESGCM, generation: int, associated: bytes) -> bytes:
    """Encrypt ``plaintext`` under a data key (AES-256-GCM), bound to ``associated`` and to its own header."""
    header = bytes([SEALED_FORMAT]) + generation.to_bytes(4, "big")
    nonce = os.urandom(NONCE_BYTES)
    return header + nonce + data_key.encrypt(nonce, plaintext, header + associated)


def sealed_generation(blob: bytes) -> int:
    """The data-key generation a sealed value was made under (``ValueError`` if it is not a sealed value)."""
    blob = bytes(blob)
    if len(blob) < _HEADER + NONCE_BYTES + 16 or blob[0] != SEALED_FORMAT:
        raise ValueError("not a sealed value")
    return int.from_bytes(blob[1:_HEADER], "big")


def open_sealed(blob: bytes, *, data_key: AESGCM, associated: bytes) -> bytes:
    """Decrypt a sealed value; ``InvalidTag`` if the key, the associated data or any byte is wrong."""
    blob = bytes(blob)
    sealed_generation(blob)
    header, nonce, body = blob[:_HEADER], blob[_HEADER : _HEADER + NONCE_BYTES], blob[_HEADER + NONCE_BYTES :]
    return data_key.decrypt(nonce, body, header + associated)


# --- blind indexes ---------------------------------------------------------------------------------------------
def _index_keys() -> list[str]:
    keys = list(getattr(settings, "BLIND_INDEX_KEYS", None) or [])
    if not keys:
        raise ImproperlyConfigured("BLIND_INDEX_KEYS is empty.")
    return keys


def _hmac(key: str, value: str, purpose: str) -> str:
    return hmac.new(key.encode("utf-8"), f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


def blind_index(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 of a normalised value under the newest ``BLIND_INDEX_KEYS`` key (what is stored).

    ``purpose`` separates index domains (an A-number hash never equals a name hash of the same text).
    """
    return _hmac(_index_keys()[0], value, purpose)


def blind_indexes(value: str, *, purpose: str) -> list[str]:
    """The digests of a value under every listed blind-index key, newest first (what a lookup matches)."""
    return [_hmac(key, value, purpose) for key in _index_keys()]
