"""Encrypted attachment objects in ``storages["attachments"]`` (any Django storage backend).

Object layout: the 4-byte magic ``PRA1``, then the plaintext in 64 KiB chunks, each encrypted as its own Fernet
token under the newest field-encryption key and prefixed by the token's length (4 bytes, big-endian). Reading
and writing hold one chunk at a time, so memory stays flat whatever the file size. Fernet authenticates each
chunk; the SHA-256 of the whole plaintext, kept on the row, catches dropped, reordered or swapped chunks.

Object names are random (``ab/<uuid hex>``): nothing a client sends ever becomes part of a path.
"""

from __future__ import annotations

import hashlib
import tempfile
import uuid
from collections.abc import Iterator
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages

from referral_api.crypto import InvalidToken, decrypt_bytes, encrypt_bytes, reencrypt_bytes

MAGIC = b"PRA1"
PLAINTEXT_CHUNK = 64 * 1024
# A Fernet token of a 64 KiB chunk is about 87 KiB; anything much larger is corrupt framing.
MAX_TOKEN = 256 * 1024


class CorruptObject(Exception):
    """A stored object cannot be decrypted, is framed wrongly, or does not match its recorded SHA-256."""


def attachment_storage():
    return storages["attachments"]


def key_fingerprint(key: str | None = None) -> str:
    """Return the first 8 hex digits of SHA-256 over a key (default: the newest field-encryption key)."""
    key = key if key is not None else settings.FIELD_ENCRYPTION_KEYS[0]
    return hashlib.sha256(key.strip().encode("ascii")).hexdigest()[:8]


def _new_name() -> str:
    name = uuid.uuid4().hex
    return f"{name[:2]}/{name}"


def _save(tmp: BinaryIO) -> str:
    tmp.seek(0)
    return attachment_storage().save(_new_name(), File(tmp))


def _write_token(out: BinaryIO, token: bytes) -> None:
    out.write(len(token).to_bytes(4, "big"))
    out.write(token)


def encrypt_to_storage(source: BinaryIO) -> tuple[str, int, str]:
    """Encrypt ``source`` from its start into a new object; return ``(name, plaintext size, sha256 hex)``."""
    source.seek(0)
    digest = hashlib.sha256()
    size = 0
    # The spooled file holds ciphertext only; it lets any storage backend (file system, S3, ...) take a File.
    with tempfile.TemporaryFile() as tmp:
        tmp.write(MAGIC)
        while chunk := source.read(PLAINTEXT_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            _write_token(tmp, encrypt_bytes(chunk))
        name = _save(tmp)
    return name, size, digest.hexdigest()


def _tokens(stored: BinaryIO) -> Iterator[bytes]:
    if stored.read(len(MAGIC)) != MAGIC:
        raise CorruptObject("unknown object format")
    while True:
        prefix = stored.read(4)
        if not prefix:
            return
        if len(prefix) != 4:
            raise CorruptObject("truncated length prefix")
        length = int.from_bytes(prefix, "big")
        if not 0 < length <= MAX_TOKEN:
            raise CorruptObject("bad token length")
        token = stored.read(length)
        if len(token) != length:
            raise CorruptObject("truncated token")
        yield token


def iter_plaintext(name: str) -> Iterator[bytes]:
    """Yield the decrypted chunks of a stored object (``CorruptObject`` if it cannot be read)."""
    try:
        stored = attachment_storage().open(name, "rb")
    except (OSError, ValueError) as exc:
        raise CorruptObject(f"object missing: {type(exc).__name__}") from exc
    with stored:
        for token in _tokens(stored):
            try:
                yield decrypt_bytes(token)
            except InvalidToken:
                raise CorruptObject("a chunk failed authentication") from None


def verify_object(name: str, *, sha256: str, size: int) -> None:
    """Decrypt a whole object without keeping it; raise ``CorruptObject`` unless it matches size and SHA-256."""
    digest = hashlib.sha256()
    total = 0
    for chunk in iter_plaintext(name):
        digest.update(chunk)
        total += len(chunk)
    if total != size or digest.hexdigest() != sha256:
        raise CorruptObject("plaintext does not match its recorded SHA-256")


def reencrypt_object(name: str) -> str:
    """Write a copy of object ``name`` re-encrypted under the newest key; return the new object's name."""
    try:
        stored = attachment_storage().open(name, "rb")
    except (OSError, ValueError) as exc:
        raise CorruptObject(f"object missing: {type(exc).__name__}") from exc
    with stored, tempfile.TemporaryFile() as tmp:
        tmp.write(MAGIC)
        for token in _tokens(stored):
            try:
                _write_token(tmp, reencrypt_bytes(token))
            except InvalidToken:
                raise CorruptObject("a chunk failed authentication") from None
        return _save(tmp)


def delete_object(name: str) -> None:
    if name:
        attachment_storage().delete(name)
