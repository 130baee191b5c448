"""Malware scanning of uploads before they can be downloaded.

A scanner has one method, ``scan(path_or_stream) -> "clean" | "infected" | "error"``. The one in use is named by
``settings.ATTACHMENT_SCANNER`` (a dotted path):

- ``attachments.scanning.AcceptAllScanner`` (default): reports every file clean. Use it only where another
  layer scans (or in development); the content checks (type by content, metadata stripping) still apply.
- ``attachments.scanning.ClamAVScanner``: streams the file to clamd with ``zINSTREAM`` over
  ``settings.CLAMD_SOCKET`` (a unix socket path, or ``tcp://host:port``); ``CLAMD_TIMEOUT`` seconds (default
  30) per socket operation.
"""

from __future__ import annotations

import logging
import os
import socket
from functools import lru_cache
from typing import BinaryIO

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("attachments.scanning")

CLEAN = "clean"
INFECTED = "infected"
ERROR = "error"

SCAN_CHUNK = 64 * 1024


class Scanner:
    """Interface: report whether a file is safe to serve."""

    def scan(self, path_or_stream: str | os.PathLike | BinaryIO) -> str:
        raise NotImplementedError


class AcceptAllScanner(Scanner):
    """Reports every file clean (no scanning)."""

    def scan(self, path_or_stream) -> str:
        return CLEAN


class ClamAVScanner(Scanner):
    """clamd ``INSTREAM`` (clamd(8)): ``zINSTREAM\\0``, chunks each prefixed by a 4-byte big-endian length, a
    zero-length chunk to finish; the reply is ``stream: OK`` or ``stream: <signature> FOUND``."""

    def __init__(self, address: str | None = None, timeout: float | None = None):
        self.address = address or settings.CLAMD_SOCKET
        self.timeout = timeout if timeout is not None else settings.CLAMD_TIMEOUT

    def _connect(self) -> socket.socket:
        if self.address.startswith("tcp://"):
            host, _, port = self.address[len("tcp://") :].rpartition(":")
            return socket.create_connection((host.strip("[]"), int(port)), timeout=self.timeout)
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.address)
        except OSError:
            sock.close()
            raise
        return sock

    def _stream(self, sock: socket.socket, stream: BinaryIO) -> None:
        sock.sendall(b"zINSTREAM\0")
        while chunk := stream.read(SCAN_CHUNK):
            sock.sendall(len(chunk).to_bytes(4, "big") + chunk)
        sock.sendall(b"\0\0\0\0")

    def scan(self, path_or_stream) -> str:
        try:
            if isinstance(path_or_stream, (str, os.PathLike)):
                with open(path_or_stream, "rb") as stream:
                    reply = self._scan_stream(stream)
            else:
                path_or_stream.seek(0)
                try:
                    reply = self._scan_stream(path_or_stream)
                finally:
                    path_or_stream.seek(0)
        except (OSError, ValueError) as exc:
            logger.error("clamd unreachable", extra={"exception_type": type(exc).__name__})
            return ERROR
        reply = reply.rstrip("\0\n").strip()
        if reply.endswith("FOUND"):
            logger.warning("clamd flagged an upload", extra={"signature": reply[len("stream:") :].strip()[:-5]})
            return INFECTED
        if reply == "stream: OK":
            return CLEAN
        logger.error("clamd could not scan an upload", extra={"reply": reply[:200]})
        return ERROR

    def _scan_stream(self, stream: BinaryIO) -> str:
        with self._connect() as sock:
            try:
                self._stream(sock, stream)
            except BrokenPipeError:
                pass  # clamd closes early on a size limit and still answers; read its reply
            reply = b""
            while not reply.endswith(b"\0") and len(reply) < 4096:
                data = sock.recv(4096)
                if not data:
                    break
                reply += data
        return reply.decode("utf-8", "replace")


@lru_cache(maxsize=4)
def _scanner_class(path: str) -> type[Scanner]:
    return import_string(path)


def get_scanner() -> Scanner:
    """Return the scanner named by ``settings.ATTACHMENT_SCANNER``."""
    return _scanner_class(settings.ATTACHMENT_SCANNER)()
