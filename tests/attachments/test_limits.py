"""Size limit: 413 before reading a declared oversize body, and while streaming otherwise; memory stays flat."""

from __future__ import annotations

import hashlib
import io
import tracemalloc

import pytest

from attachments.models import Attachment
from attachments.uploads import BoundedTemporaryFileUploadHandler
from tests.attachments.conftest import BOUNDARY, upload

pytestmark = pytest.mark.django_db


LINE = b"0123456789 plain text line for size tests..\n"


def text_of(size: int) -> bytes:
    return (LINE * (size // len(LINE) + 1))[:size]


class GeneratedBody:
    """A WSGI input producing a multipart body with a text file of ``size`` bytes, never holding it whole."""

    def __init__(self, size: int):
        self.head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n'
            "Content-Type: text/plain\r\n\r\n"
        ).encode()
        self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.size = size
        self.length = len(self.head) + size + len(self.tail)
        self.position = 0

    def _slice(self, start: int, end: int) -> bytes:
        out = bytearray()
        head_end, body_end = len(self.head), len(self.head) + self.size
        if start < head_end:
            out += self.head[start : min(end, head_end)]
        lo, hi = max(start, head_end), min(end, body_end)
        if lo < hi:
            offset = (lo - head_end) % len(LINE)
            count = (hi - lo + offset) // len(LINE) + 2
            out += (LINE * count)[offset : offset + hi - lo]
        lo, hi = max(start, body_end), min(end, self.length)
        if lo < hi:
            out += self.tail[lo - body_end : hi - body_end]
        return bytes(out)

    def read(self, size: int = -1) -> bytes:
        end = self.length if size is None or size < 0 else min(self.length, self.position + size)
        data = self._slice(self.position, end)
        self.position = end
        return data

    def readline(self, size: int = -1) -> bytes:
        limit = 65536 if size is None or size < 0 else size
        window = self._slice(self.position, min(self.length, self.position + limit))
        cut = window.find(b"\n")
        line = window if cut == -1 else window[: cut + 1]
        self.position += len(line)
        return line


def _post(client, referral_id, body):
    return client.generic(
        "POST",
        f"/api/v1/referrals/{referral_id}/attachments/",
        b"",
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
        CONTENT_LENGTH=str(body.length),
        **{"wsgi.input": body},
    )


def post_generated(client, referral_id, size: int):
    """POST a generated upload, returning ``(response, peak bytes allocated while handling it)``.

    A first, unmeasured request of a size over any limit warms the path (modules imported and caches filled on
    first use), so the measure is the request's own memory, not the process's one-time costs.
    """
    _post(client, referral_id, GeneratedBody(64 * 1024 * 1024))
    body = GeneratedBody(size)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        before, _ = tracemalloc.get_traced_memory()
        response = _post(client, referral_id, body)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return response, peak - before


def test_declared_oversize_body_is_413_before_it_is_read(cbp, referral, settings, attachment_dir):
    settings.ATTACHMENT_MAX_BYTES = 256 * 1024
    response = upload(cbp, referral["id"], text_of(512 * 1024), name="big.txt")
    assert response.status_code == 413
    assert response.json()["type"].endswith("/payload-too-large")
    assert not Attachment.objects.exists()
    assert not [p for p in attachment_dir.rglob("*") if p.is_file()]


@pytest.mark.openapi_unchecked
def test_limit_is_enforced_while_streaming_with_bounded_memory(cbp, referral, settings, attachment_dir):
    # Within the Content-Length allowance for the form envelope, so only the streaming count can catch it.
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    response, peak = post_generated(cbp, referral["id"], 1024 * 1024 + 32 * 1024)
    assert response.status_code == 413, response.content
    assert not Attachment.objects.exists()
    assert not [p for p in attachment_dir.rglob("*") if p.is_file()]
    # The request body (1 MiB+) was never held at once: a few 64 KiB chunks at most.
    assert peak < 512 * 1024, peak


@pytest.mark.openapi_unchecked
def test_accepted_upload_streams_with_bounded_memory(cbp, referral, settings):
    settings.ATTACHMENT_MAX_BYTES = 8 * 1024 * 1024
    size = 4 * 1024 * 1024
    response, peak = post_generated(cbp, referral["id"], size)
    assert response.status_code == 201, response.json()["detail"]
    meta = response.json()
    assert meta["size"] == size
    assert meta["sha256"] == hashlib.sha256(text_of(size)).hexdigest()
    # Reading, checking, encrypting and storing 4 MiB never holds more than a few chunks at once.
    assert peak < 1024 * 1024, peak


def test_handler_holds_at_most_one_chunk_and_discards_its_file():
    handler = BoundedTemporaryFileUploadHandler(None, limit=200 * 1024)
    handler.new_file("file", "x.txt", "text/plain", None)
    temp_path = handler.file.temporary_file_path()
    chunk = b"x" * handler.chunk_size
    handler.receive_data_chunk(chunk, 0)
    handler.receive_data_chunk(chunk, len(chunk))
    handler.receive_data_chunk(chunk, 2 * len(chunk))
    with pytest.raises(Exception) as excinfo:
        handler.receive_data_chunk(chunk, 3 * len(chunk))
    assert excinfo.value.status_code == 413
    assert handler.peak_chunk == handler.chunk_size == 64 * 1024
    import os

    assert not os.path.exists(temp_path)


def test_exactly_the_limit_is_accepted(cbp, referral, settings):
    settings.ATTACHMENT_MAX_BYTES = 100_000
    response = upload(cbp, referral["id"], text_of(100_000), name="edge.txt")
    assert response.status_code == 201
    response = upload(cbp, referral["id"], text_of(100_001), name="edge.txt")
    assert response.status_code == 413


def test_handler_refuses_a_large_declared_length():
    handler = BoundedTemporaryFileUploadHandler(None, limit=1000)
    with pytest.raises(Exception) as excinfo:
        handler.handle_raw_input(io.BytesIO(), {}, 10_000_000, b"b")
    assert excinfo.value.status_code == 413
