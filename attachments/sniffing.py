"""Decide an upload's type from its bytes, never from its name or declared Content-Type.

Accepted: PDF, PNG, JPEG and plain UTF-8 text. Everything else (HTML, XML/SVG, PostScript, archives,
executables, other binary data) is refused. The rules follow the WHATWG MIME Sniffing Standard §7 (byte
patterns) with a structural check for PDF (ISO 32000-1 §7.5: header, ``%%EOF`` trailer, cross-reference or
object structure), so a file cannot pass as a PDF by its first five bytes alone.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import BinaryIO

from attachments.models import MediaType

HEAD_BYTES = 8192
TAIL_BYTES = 2048
READ_CHUNK = 64 * 1024

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"

# Signatures of formats that are never accepted, even when every byte happens to be valid UTF-8.
REFUSED_PREFIXES = (
    b"%!",  # PostScript
    b"%PDF",  # a PDF that failed the structural check must not pass as text
    b"{\\rtf",  # RTF
    b"MZ",  # PE / DOS executables
    b"\x7fELF",  # ELF executables
    b"#!",  # scripts
    b"PK\x03\x04",  # zip, docx, jar, ...
    b"\x1f\x8b",  # gzip
)
# WHATWG MIME Sniffing §7.1: patterns that make a resource HTML or XML, after leading whitespace.
_MARKUP_START = re.compile(
    rb"\A[\t\n\x0c\r ]*<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p"
    rb"|!--|\?xml|svg)[\s>/]",
    re.IGNORECASE,
)
# Active markup anywhere near the start is refused too: a browser that ignores nosniff could render it.
_MARKUP_ANYWHERE = re.compile(rb"<(?:script|html|body|iframe|svg|object|embed|!doctype)[\s>/]", re.IGNORECASE)
_PDF_HEADER = re.compile(rb"\A%PDF-\d\.\d")
_PDF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")
# C0 controls other than tab, line feed, form feed and carriage return; and DEL.
_TEXT_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


class Unsupported(Exception):
    """The content is not one of the accepted types; the message says what was found."""


def _size(stream: BinaryIO) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def _head_and_tail(stream: BinaryIO) -> tuple[bytes, bytes]:
    size = _size(stream)
    head = stream.read(HEAD_BYTES)
    stream.seek(max(0, size - TAIL_BYTES))
    tail = stream.read(TAIL_BYTES)
    stream.seek(0)
    return head, tail


def _is_pdf(head: bytes, tail: bytes) -> bool:
    if not _PDF_HEADER.match(head):
        return False
    if b"%%EOF" not in tail:
        return False
    # A cross-reference section, or objects with a trailer: PDF readers rebuild a missing or broken xref table
    # from the objects (PDF 32000-1 §7.5.4, §7.5.5), so small generated files often have none.
    if b"startxref" in tail:
        return True
    return _PDF_OBJECT.search(head) is not None and (b"xref" in head + tail or b"trailer" in tail)


def _check_text(stream: BinaryIO, head: bytes) -> None:
    """Refuse anything that is not plain UTF-8 text (streamed: the whole file is read in chunks)."""
    body = head[3:] if head.startswith(codecs.BOM_UTF8) else head
    if body.startswith(REFUSED_PREFIXES):
        raise Unsupported("This format is not accepted.")
    if _MARKUP_START.match(body) or _MARKUP_ANYWHERE.search(body):
        raise Unsupported("HTML, XML and SVG documents are not accepted.")
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    stream.seek(0)
    while True:
        chunk = stream.read(READ_CHUNK)
        final = not chunk
        try:
            text = decoder.decode(chunk, final=final)
        except UnicodeDecodeError:
            raise Unsupported("The content is binary data of a type that is not accepted.") from None
        if _TEXT_CONTROLS.search(text):
            raise Unsupported("The content is binary data of a type that is not accepted.")
        if final:
            break
    stream.seek(0)


def sniff_media_type(stream: BinaryIO) -> str:
    """Return the media type of a seekable stream's content (``MediaType``), or raise ``Unsupported``."""
    head, tail = _head_and_tail(stream)
    if head.startswith(PNG_SIGNATURE):
        return MediaType.PNG
    if head.startswith(JPEG_SIGNATURE):
        return MediaType.JPEG
    if head.startswith(b"%PDF-"):
        if _is_pdf(head, tail):
            return MediaType.PDF
        raise Unsupported("The content starts like a PDF but has no PDF structure (%%EOF, xref, objects).")
    _check_text(stream, head)
    return MediaType.TEXT


def sanitize_file_name(name: str | None, *, limit: int = 255) -> str:
    """Return ``name`` fit for display only: last path component, no control characters, at most ``limit``.

    The result is never used as a path (objects are stored under random keys); it is shown back to the
    parties and put in ``Content-Disposition`` (RFC 6266) on download.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    # Drop control, format (bidi overrides), surrogate, private-use and unassigned characters.
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".").strip()
    if len(name) > limit:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 16:
            name = stem[: limit - len(extension) - 1] + "." + extension
        else:
            name = name[:limit]
    return name or "attachment"
