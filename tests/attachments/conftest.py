"""Attachment fixtures: multipart bodies built by hand (so names and parts are exactly what a client sends),
sample files of each accepted type, a private storage directory, and a stub clamd."""

from __future__ import annotations

import io
import os
import socket
import struct
import tempfile
import threading
import uuid

import pytest
from PIL import Image

BOUNDARY = "----attachment-test-boundary"

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"xref\n0 3\n0000000000 65535 f \n0000000009 00000 n \n0000000058 00000 n \n"
    b"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n110\n%%EOF\n"
)
TEXT_BYTES = "Interview notes: the person asked for an interpreter (español). No other needs.\n".encode()


def png_bytes(**info) -> bytes:
    image = Image.new("RGB", (16, 16), (200, 30, 30))
    out = io.BytesIO()
    from PIL.PngImagePlugin import PngInfo

    meta = PngInfo()
    for key, value in info.items():
        meta.add_text(key, value)
    image.save(out, format="PNG", pnginfo=meta)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (10, 120, 200))
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"  # Make
    exif[0x0110] = "Model-XYZ"
    gps = {1: "N", 2: (32.0, 32.0, 30.0), 3: "W", 4: (117.0, 2.0, 12.0)}
    exif[0x8825] = gps  # GPSInfo IFD
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes(), comment=b"shot at safe house")
    return out.getvalue()


def multipart(fields: list[tuple[str, str | None, bytes | str]], boundary: str = BOUNDARY) -> bytes:
    """Encode ``[(name, filename or None, value)]`` as multipart/form-data, byte for byte."""
    out = bytearray()
    for name, filename, value in fields:
        out += f"--{boundary}\r\n".encode()
        disposition = f'Content-Disposition: form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        out += disposition.encode("utf-8") + b"\r\n"
        if filename is not None:
            out += b"Content-Type: application/octet-stream\r\n"
        out += b"\r\n"
        out += value if isinstance(value, bytes) else value.encode()
        out += b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out)


def upload(client, referral_id, content: bytes, *, name="file.bin", kind="other", description=None, extra=()):
    fields = [("file", name, content), ("kind", None, kind)]
    if description is not None:
        fields.append(("description", None, description))
    fields.extend(extra)
    return client.generic(
        "POST",
        f"/api/v1/referrals/{referral_id}/attachments/",
        multipart(fields),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )


@pytest.fixture(autouse=True)
def _own_attachment_store(attachment_dir):
    """Each test of this package stores attachments in its own directory."""


@pytest.fixture
def referral(make_referral):
    return make_referral()


class StubClamd:
    """A clamd stand-in on a unix socket speaking INSTREAM: answers FOUND when the stream holds ``signature``."""

    def __init__(self, path: str, signature: bytes = b"EICAR-TEST"):
        self.path = path
        self.signature = signature
        self.received: list[bytes] = []
        self.commands: list[bytes] = []
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(8)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _read_exact(self, conn, n):
        data = b""
        while len(data) < n:
            piece = conn.recv(n - len(data))
            if not piece:
                raise ConnectionError
            data += piece
        return data

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                try:
                    command = b""
                    while not command.endswith(b"\0"):
                        command += self._read_exact(conn, 1)
                    self.commands.append(command)
                    body = bytearray()
                    while True:
                        (length,) = struct.unpack(">I", self._read_exact(conn, 4))
                        if length == 0:
                            break
                        body += self._read_exact(conn, length)
                    self.received.append(bytes(body))
                    if self.signature in body:
                        conn.sendall(b"stream: Eicar-Test-Signature FOUND\0")
                    else:
                        conn.sendall(b"stream: OK\0")
                except ConnectionError:
                    continue

    def close(self):
        self.sock.close()


@pytest.fixture
def clamd(settings):
    directory = tempfile.mkdtemp(prefix="clamd")
    path = os.path.join(directory, f"clamd-{uuid.uuid4().hex[:6]}.sock")
    stub = StubClamd(path)
    settings.ATTACHMENT_SCANNER = "attachments.scanning.ClamAVScanner"
    settings.CLAMD_SOCKET = path
    yield stub
    stub.close()
