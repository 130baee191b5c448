"""Lossless metadata stripping on the image formats themselves (no request needed)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from attachments.metadata import strip_metadata
from attachments.sniffing import Unsupported


def stripped(data: bytes, media_type: str) -> bytes:
    out = io.BytesIO()
    strip_metadata(io.BytesIO(data), out, media_type)
    return out.getvalue()


def exif_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"
    exif[0x8825] = {1: "N", 2: (32.0, 32.0, 30.0), 3: "W", 4: (117.0, 2.0, 12.0)}
    return exif.tobytes()


def test_progressive_jpeg_keeps_pixels_and_icc_but_loses_exif():
    image = Image.linear_gradient("L").convert("RGB").resize((120, 80))
    icc = b"\x00" * 128  # an opaque ICC payload is enough to check it is kept
    source = io.BytesIO()
    image.save(source, format="JPEG", progressive=True, exif=exif_with_gps(), icc_profile=icc, quality=90)
    data = stripped(source.getvalue(), "image/jpeg")
    assert b"SecretCameraMaker" not in data and b"Exif\x00\x00" not in data
    assert b"ICC_PROFILE\x00" in data
    with Image.open(io.BytesIO(source.getvalue())) as before, Image.open(io.BytesIO(data)) as after:
        assert list(after.getdata()) == list(before.getdata())  # lossless: same decoded pixels
        assert not after.getexif()


def test_trailing_data_after_eoi_is_dropped():
    source = io.BytesIO()
    Image.new("RGB", (8, 8)).save(source, format="JPEG")
    data = stripped(source.getvalue() + b"PK\x03\x04hidden zip", "image/jpeg")
    assert data.endswith(b"\xff\xd9") and b"hidden" not in data


def test_png_exif_chunk_and_trailing_data_are_dropped():
    source = io.BytesIO()
    Image.new("RGBA", (8, 8), (1, 2, 3, 4)).save(source, format="PNG", exif=exif_with_gps())
    raw = source.getvalue()
    assert b"eXIf" in raw
    data = stripped(raw + b"appended secret", "image/png")
    assert b"eXIf" not in data and b"SecretCameraMaker" not in data and b"appended" not in data
    with Image.open(io.BytesIO(data)) as after:
        assert after.getpixel((0, 0)) == (1, 2, 3, 4)


def test_png_with_a_bad_checksum_is_refused():
    source = io.BytesIO()
    Image.new("RGB", (8, 8)).save(source, format="PNG")
    raw = bytearray(source.getvalue())
    raw[20] ^= 0xFF  # inside IHDR
    with pytest.raises(Unsupported):
        stripped(bytes(raw), "image/png")


def test_truncated_jpeg_is_refused():
    source = io.BytesIO()
    Image.new("RGB", (64, 64), (9, 9, 9)).save(source, format="JPEG")
    with pytest.raises(Unsupported):
        stripped(source.getvalue()[:200], "image/jpeg")
