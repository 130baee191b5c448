"""A bounded upload handler: file parts go to a temporary file as they arrive, and the request stops with 413 as
soon as more than ``ATTACHMENT_MAX_BYTES`` of file data has been received. The body is never held in memory."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import TemporaryFileUploadHandler

from referral_api.problems import PayloadTooLarge

# Room for the multipart envelope (boundaries, part headers, ``kind`` and ``description``) over the file itself.
FORM_OVERHEAD_BYTES = 64 * 1024


def max_bytes() -> int:
    return settings.ATTACHMENT_MAX_BYTES


def too_large() -> PayloadTooLarge:
    return PayloadTooLarge(f"Attachments are limited to {max_bytes()} bytes.")


def content_length_too_large(meta) -> bool:
    """Return whether the declared body length already rules the upload out (checked before reading it)."""
    try:
        length = int(meta.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > max_bytes() + FORM_OVERHEAD_BYTES


class BoundedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Stream file parts to disk in chunks (``chunk_size``), counting; over the limit, discard and raise 413."""

    def __init__(self, request=None, *, limit: int | None = None):
        super().__init__(request)
        self.limit = max_bytes() if limit is None else limit
        self.received = 0  # over every file part of the request
        self.peak_chunk = 0  # largest piece held at once (tests assert it stays one chunk)

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        if content_length and content_length > self.limit + FORM_OVERHEAD_BYTES:
            raise too_large()
        return super().handle_raw_input(input_data, META, content_length, boundary, encoding)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        self.peak_chunk = max(self.peak_chunk, len(raw_data))
        if self.received > self.limit:
            self.file.close()  # a NamedTemporaryFile: closing deletes it
            raise too_large()
        return super().receive_data_chunk(raw_data, start)
