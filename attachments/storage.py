"""Encrypted attachment objects in ``storages["attachments"]`` (any Django storage backend).

Object layout (``PRA2``): the 4-byte magic ``PRA2``, then the plaintext in 64 KiB chunks, each sealed on its own
with AES-256-GCM under the data key of the attachment's referral (``referral_api.crypto.seal``) and prefixed by
its length (4 bytes, big-endian). Each chunk's associated data names the referral, the attachment and the chunk's
position, so a chunk cannot be moved to another position, object or referral; the SHA-256 of the whole plaintext,
kept on the row, catches a dropped or appended chunk. Destroying the referral's data key makes every object of
it unreadable (crypto-shredding). Reading and writing hold one chunk at a time, so memory stays flat.

Objects written by v1.0 (``PRA1``: chunks as Fernet tokens under the KEK) are still read, and are converted to
``PRA2`` by ``attachments.services.attachments_convert_v1`` (migration ``attachments.0003``).

Object names are random (``ab/<uuid hex>``): nothing a client sends ever becomes part of a path.
"""

from __future__ import annotations

import hashlib
import tempfile
import uuid
from collections.abc import Iterator
from typing import BinaryIO

from django.core.files import File
from django.core.files.storage import storages

from referral_api import crypto
from referral_api.keystore import keyring
from referral_api.keystore.services import DataKeyDestroyed, DataKeyUnavailable

MAGIC_V1 = b"PRA1"
MAGIC = b"PRA2"
PLAINTEXT_CHUNK = 64 * 1024
# A sealed or Fernet chunk of 64 KiB is at most about 87 KiB; anything much larger is corrupt framing.
MAX_TOKEN = 256 * 1024
RECORD = "attachments.attachment.file"


class CorruptObject(Exception):
    """A stored object cannot be decrypted, is framed wrongly, or does not match its recorded SHA-256."""


def attachment_storage():
    return storages["attachments"]


def key_marker(generation: int) -> str:
    """What ``Attachment.key_fingerprint`` holds for an object sealed under data key ``generation``."""
    return f"dk{generation}"


def _new_name() -> str:
    name = uuid.uuid4().hex
    return f"{name[:2]}/{name}"


def _save(tmp: BinaryIO) -> str:
    tmp.seek(0)
    return attachment_storage().save(_new_name(), File(tmp))


def _write_token(out: BinaryIO, token: bytes) -> None:
    out.write(len(token).to_bytes(4, "big"))
    out.write(token)


def _associated(referral_id, attachment_id, index: int) -> bytes:
    return crypto.aad(referral_id=referral_id, record=RECORD, record_id=attachment_id) + f"|{index}".encode()


def _write_sealed(chunks, *, referral_id, attachment_id) -> tuple[str, int]:
    generation, key = keyring.current().for_write(referral_id)
    with tempfile.TemporaryFile() as tmp:
        tmp.write(MAGIC)
        for index, chunk in enumerate(chunks):
            associated = _associated(referral_id, attachment_id, index)
            _write_token(tmp, crypto.seal(chunk, data_key=key, generation=generation, associated=associated))
        return _save(tmp), generation


def encrypt_to_storage(source: BinaryIO, *, referral_id, attachment_id) -> tuple[str, int, str, int]:
    """Seal ``source`` from its start into a new object under the referral's data key.

    Returns ``(name, plaintext size, sha256 hex, data key generation)``.
    """
    source.seek(0)
    digest = hashlib.sha256()
    size = 0

    def chunks():
        nonlocal size
        while chunk := source.read(PLAINTEXT_CHUNK):
            digest.update(chunk)
            size += len(chunk)
            yield chunk

    # The spooled file holds ciphertext only; it lets any storage backend (file system, S3, ...) take a File.
    name, generation = _write_sealed(chunks(), referral_id=referral_id, attachment_id=attachment_id)
    return name, size, digest.hexdigest(), generation


def _tokens(stored: BinaryIO) -> Iterator[bytes]:
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


def _open(name: str) -> BinaryIO:
    try:
        return attachment_storage().open(name, "rb")
    except (OSError, ValueError) as exc:
        raise CorruptObject(f"object missing: {type(exc).__name__}") from exc


def _plaintext(stored: BinaryIO, *, referral_id, attachment_id, keys) -> Iterator[bytes]:
    magic = stored.read(len(MAGIC))
    if magic == MAGIC_V1:
        for token in _tokens(stored):
            try:
                yield crypto.decrypt_bytes(token)
            except crypto.InvalidToken:
                raise CorruptObject("a chunk failed authentication") from None
        return
    if magic != MAGIC:
        raise CorruptObject("unknown object format")
    for index, token in enumerate(_tokens(stored)):
        try:
            key = keys(crypto.sealed_generation(token))
            yield crypto.open_sealed(token, data_key=key, associated=_associated(referral_id, attachment_id, index))
        except (crypto.InvalidTag, ValueError, DataKeyUnavailable):
            raise CorruptObject("a chunk failed authentication") from None


def _key_lookup(referral_id):
    ring = keyring.current()
    return lambda generation: ring.for_read(referral_id, generation)


def iter_plaintext(name: str, *, referral_id, attachment_id) -> Iterator[bytes]:
    """Yield the decrypted chunks of a stored object (``CorruptObject`` if it cannot be read).

    The referral's data key is looked up when called (within the request), not when the stream is consumed.
    """
    stored = _open(name)
    keys = _key_lookup(referral_id)

    def stream():
        with stored:
            yield from _plaintext(stored, referral_id=referral_id, attachment_id=attachment_id, keys=keys)

    return stream()


def verify_object(name: str, *, sha256: str, size: int, referral_id, attachment_id) -> None:
    """Decrypt a whole object without keeping it; raise ``CorruptObject`` unless it matches size and SHA-256."""
    digest = hashlib.sha256()
    total = 0
    for chunk in iter_plaintext(name, referral_id=referral_id, attachment_id=attachment_id):
        digest.update(chunk)
        total += len(chunk)
    if total != size or digest.hexdigest() != sha256:
        raise CorruptObject("plaintext does not match its recorded SHA-256")


def reencrypt_object(name: str, *, referral_id, attachment_id) -> tuple[str, int]:
    """Write a copy of object ``name`` (either format) sealed under the referral's current data key generation.

    Returns ``(new name, generation)``. Raises ``DataKeyDestroyed`` for a disposed referral.
    """
    with _open(name) as stored:
        chunks = _plaintext(stored, referral_id=referral_id, attachment_id=attachment_id, keys=_key_lookup(referral_id))
        return _write_sealed(chunks, referral_id=referral_id, attachment_id=attachment_id)


def delete_object(name: str) -> None:
    if name:
        attachment_storage().delete(name)


__all__ = [
    "CorruptObject",
    "DataKeyDestroyed",
    "delete_object",
    "encrypt_to_storage",
    "iter_plaintext",
    "key_marker",
    "reencrypt_object",
    "verify_object",
]
