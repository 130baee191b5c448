"""Remove embedded metadata (EXIF with GPS position, XMP, IPTC, comments, text chunks) from images.

Losslessly, by dropping segments rather than re-encoding: pixel data is copied byte for byte, so a scanned
identity document keeps its quality. Only the segments an image needs to display correctly are kept.

- JPEG (ITU-T T.81 §B.1): keeps SOI/EOI, frame, scan, table and restart markers, APP0 ``JFIF``, APP2
  ``ICC_PROFILE`` (colour) and APP14 ``Adobe`` (colour transform). Drops APP1 (EXIF, XMP), APP13 (IPTC),
  every other APPn, COM, and anything after EOI.
- PNG (ISO/IEC 15948 §5.3): keeps critical chunks and the ancillary chunks that affect rendering or animation
  (``tRNS gAMA cHRM sRGB iCCP sBIT bKGD pHYs hIST sPLT acTL fcTL fdAT``). Drops ``tEXt iTXt zTXt eXIf tIME``,
  private chunks, and anything after IEND.

Both work on seekable files in bounded reads (memory does not grow with the image).
"""

from __future__ import annotations

import warnings
import zlib
from typing import BinaryIO

from PIL import Image

from attachments.models import MediaType
from attachments.sniffing import PNG_SIGNATURE, Unsupported

COPY_CHUNK = 64 * 1024

PNG_KEEP_ANCILLARY = frozenset(
    {
        b"tRNS",
        b"gAMA",
        b"cHRM",
        b"sRGB",
        b"iCCP",
        b"sBIT",
        b"bKGD",
        b"pHYs",
        b"hIST",
        b"sPLT",
        b"acTL",
        b"fcTL",
        b"fdAT",
    }
)


def _read_exact(src: BinaryIO, n: int) -> bytes:
    data = src.read(n)
    if len(data) != n:
        raise Unsupported("The image is truncated.")
    return data


def _copy(src: BinaryIO, dst: BinaryIO | None, n: int, crc: int | None = None) -> int | None:
    """Copy ``n`` bytes (or skip them when ``dst`` is None); return the running CRC-32 if asked for one."""
    while n > 0:
        piece = _read_exact(src, min(n, COPY_CHUNK))
        if crc is not None:
            crc = zlib.crc32(piece, crc)
        if dst is not None:
            dst.write(piece)
        n -= len(piece)
    return crc


def strip_png(src: BinaryIO, dst: BinaryIO) -> None:
    """Copy a PNG from ``src`` to ``dst`` without its metadata chunks; checks each chunk's CRC."""
    src.seek(0)
    if _read_exact(src, 8) != PNG_SIGNATURE:
        raise Unsupported("Not a PNG image.")
    dst.write(PNG_SIGNATURE)
    first = True
    while True:
        header = _read_exact(src, 8)
        length = int.from_bytes(header[:4], "big")
        chunk_type = header[4:]
        if length > 0x7FFFFFFF or not chunk_type.isalpha():
            raise Unsupported("The PNG image is malformed.")
        if first and chunk_type != b"IHDR":
            raise Unsupported("The PNG image is malformed.")
        first = False
        critical = chunk_type[:1].isupper()
        keep = critical or chunk_type in PNG_KEEP_ANCILLARY
        if keep:
            dst.write(header)
        crc = _copy(src, dst if keep else None, length, zlib.crc32(chunk_type))
        stored_crc = _read_exact(src, 4)
        if int.from_bytes(stored_crc, "big") != crc:
            raise Unsupported("The PNG image is corrupt (chunk checksum mismatch).")
        if keep:
            dst.write(stored_crc)
        if chunk_type == b"IEND":
            return


def _jpeg_keep(marker: int, payload: bytes) -> bool:
    if marker == 0xE0:
        return payload.startswith(b"JFIF\x00")
    if marker == 0xE2:
        return payload.startswith(b"ICC_PROFILE\x00")
    if marker == 0xEE:
        return payload.startswith(b"Adobe")
    # Every other APPn (0xE1 EXIF/XMP, 0xED IPTC, ...) and COM (0xFE) carry metadata, not pixels.
    return not (0xE0 <= marker <= 0xEF or marker == 0xFE)


def _copy_entropy_coded(src: BinaryIO, dst: BinaryIO) -> None:
    """Copy scan data up to (not including) the next marker: 0xFF followed by neither 0x00 nor RSTn."""
    while True:
        start = src.tell()
        chunk = src.read(COPY_CHUNK)
        if not chunk:
            raise Unsupported("The JPEG image is truncated.")
        position = 0
        while True:
            found = chunk.find(b"\xff", position)
            if found == -1:
                dst.write(chunk)
                break
            if found + 1 >= len(chunk):
                if len(chunk) < COPY_CHUNK:
                    raise Unsupported("The JPEG image is truncated.")
                dst.write(chunk[:found])
                src.seek(start + found)
                break
            following = chunk[found + 1]
            if following == 0x00 or 0xD0 <= following <= 0xD7:
                position = found + 2
                continue
            dst.write(chunk[:found])
            src.seek(start + found)
            return


def strip_jpeg(src: BinaryIO, dst: BinaryIO) -> None:
    """Copy a JPEG from ``src`` to ``dst`` without EXIF, XMP, IPTC and comment segments."""
    src.seek(0)
    if _read_exact(src, 2) != b"\xff\xd8":
        raise Unsupported("Not a JPEG image.")
    dst.write(b"\xff\xd8")
    while True:
        if _read_exact(src, 1) != b"\xff":
            raise Unsupported("The JPEG image is malformed.")
        marker = _read_exact(src, 1)[0]
        while marker == 0xFF:  # fill bytes before a marker (T.81 §B.1.1.2)
            marker = _read_exact(src, 1)[0]
        if marker == 0xD9:  # EOI: anything after it is dropped
            dst.write(b"\xff\xd9")
            return
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # standalone markers
            dst.write(bytes((0xFF, marker)))
            continue
        if marker in (0x00, 0xD8):
            raise Unsupported("The JPEG image is malformed.")
        length_bytes = _read_exact(src, 2)
        length = int.from_bytes(length_bytes, "big")
        if length < 2:
            raise Unsupported("The JPEG image is malformed.")
        payload = _read_exact(src, length - 2)
        if _jpeg_keep(marker, payload):
            dst.write(bytes((0xFF, marker)) + length_bytes + payload)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            _copy_entropy_coded(src, dst)


def verify_image(stream: BinaryIO, media_type: str) -> None:
    """Check that Pillow can read the (stripped) image, without decoding it at full size."""
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as image:
                expected = "PNG" if media_type == MediaType.PNG else "JPEG"
                if image.format != expected:
                    raise Unsupported("The image content does not match its format.")
                if media_type == MediaType.PNG:
                    image.verify()
                else:
                    # Decode at 1/8 scale: proves the scan data is readable at a small fraction of the cost.
                    image.draft("L", (max(1, image.width // 8), max(1, image.height // 8)))
                    image.load()
    except Unsupported:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Unsupported("The image is too large in pixels.") from None
    except Exception:  # noqa: BLE001 - any decoder failure means the file is not a usable image
        raise Unsupported("The image could not be read.") from None
    finally:
        stream.seek(0)


def strip_metadata(src: BinaryIO, dst: BinaryIO, media_type: str) -> None:
    """Write ``src`` to ``dst`` without embedded metadata, then verify the result reads as an image."""
    if media_type == MediaType.PNG:
        strip_png(src, dst)
    elif media_type == MediaType.JPEG:
        strip_jpeg(src, dst)
    else:
        raise ValueError(f"No metadata stripping for {media_type}.")
    dst.flush()
    verify_image(dst, media_type)
