"""What is accepted is decided by content; names are display-only metadata; the form is strict."""

from __future__ import annotations

import io
import zipfile

import pytest

from attachments.models import Attachment
from attachments.sniffing import Unsupported, sanitize_file_name, sniff_media_type
from tests.attachments.conftest import BOUNDARY, PDF_BYTES, TEXT_BYTES, multipart, png_bytes, upload

POSTSCRIPT = b"%!PS-Adobe-3.0\n%%Title: invoice\n/Helvetica findfont 12 scalefont setfont\nshowpage\n%%EOF\n"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 100
PE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"PE\x00\x00" + b"\x00" * 64


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return out.getvalue()


# Sent through the API: the cases named in the requirements.
REFUSED_UPLOADS = {
    "html": (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "page.txt"),
    "elf": (ELF, "report.pdf"),
    "pe": (PE, "scan.jpg"),
    "postscript-as-pdf": (POSTSCRIPT, "form.pdf"),
    "postscript-as-png": (POSTSCRIPT, "photo.png"),
    "zip": (zip_bytes(), "documents.pdf"),
}
# Checked on the sniffer directly (no request needed).
REFUSED_CONTENT = {
    **{case: content for case, (content, _) in REFUSED_UPLOADS.items()},
    "html-lowercase-late-script": b"Dear team,\n<script src=//x></script>\n",
    "svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "xml": b'<?xml version="1.0"?><a>1</a>',
    "pdf-header-only": b"%PDF-1.7\nthis is not really a pdf\n",
    "pdf-trailer-without-objects": b"%PDF-1.7\nnot a pdf\ntrailer<</Root 1 0 R>>\n%%EOF\n",
    "nul-in-text": b"hello\x00world\n",
    "invalid-utf8": b"caf\xe9 latin-1 text\n",
    "control-characters": b"text with \x1b[31m escape\n",
    "gzip": b"\x1f\x8b\x08\x00" + b"\x00" * 20,
    "rtf": b"{\\rtf1\\ansi hello}",
}
BROKEN_IMAGES = {
    "png-signature-garbage": b"\x89PNG\r\n\x1a\n" + b"garbage" * 20,
    "jpeg-signature-garbage": b"\xff\xd8\xff\xe0" + b"garbage" * 20,
}


@pytest.mark.django_db
def test_content_that_is_not_accepted_is_415_and_nothing_is_stored(cbp, referral, attachment_dir):
    for case, (content, name) in {**REFUSED_UPLOADS, **{k: (v, "x.png") for k, v in BROKEN_IMAGES.items()}}.items():
        response = upload(cbp, referral["id"], content, name=name)
        assert response.status_code == 415, (case, response.content)
        body = response.json()
        assert body["type"].endswith("/unsupported-media-type")
        assert body["accepted_media_types"] == ["application/pdf", "image/png", "image/jpeg", "text/plain"]
    assert not Attachment.objects.exists()
    assert not [p for p in attachment_dir.rglob("*") if p.is_file()]


@pytest.mark.parametrize("case", sorted(REFUSED_CONTENT))
def test_sniffing_refuses(case):
    with pytest.raises(Unsupported):
        sniff_media_type(io.BytesIO(REFUSED_CONTENT[case]))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PDF_BYTES, "application/pdf"),
        # Objects and a trailer but no xref table: readers rebuild it, generators often omit it.
        (
            b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
            "application/pdf",
        ),
        (png_bytes(), "image/png"),
        (TEXT_BYTES, "text/plain"),
        ("Línea en español; ✓ emoji 🙂\r\n\tindented\n".encode(), "text/plain"),
        (b"\xef\xbb\xbfBOM text\n", "text/plain"),
        (b"The <b>bold</b> claim is text when it is not at the start\n", "text/plain"),
    ],
)
def test_sniffing_accepts(content, expected):
    assert sniff_media_type(io.BytesIO(content)) == expected


def test_sniffing_reads_text_in_chunks_to_the_end():
    # The invalid byte sits far past the first chunk: the whole file is checked, not just its head.
    with pytest.raises(Unsupported):
        sniff_media_type(io.BytesIO(b"a" * 200_000 + b"\xff\n"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\x\\y", "y"),
        ("..\\..\\windows\\system32\\cmd.exe", "cmd.exe"),
        ("report\x00.pdf", "report.pdf"),
        ("line\nbreak\r.txt", "linebreak.txt"),
        ("\u202eevil\u202cfdp.exe", "evilfdp.exe"),
        ("..", "attachment"),
        ("", "attachment"),
        (None, "attachment"),
        ("a" * 300 + ".pdf", "a" * 251 + ".pdf"),
    ],
)
def test_sanitize_file_name(raw, expected):
    assert sanitize_file_name(raw) == expected


PATH_LIKE_NAMES = [
    ("../../etc/passwd", "passwd"),
    ("C:\\x\\y", "y"),
    ("/etc/shadow", "shadow"),
    ("na\x00me.txt", "name.txt"),
    ("evil\x07.txt", "evil.txt"),
]


@pytest.mark.django_db
def test_path_like_names_are_display_metadata_only(cbp, referral, attachment_dir, tmp_path):
    for count, (sent, shown) in enumerate(PATH_LIKE_NAMES, start=1):
        response = upload(cbp, referral["id"], TEXT_BYTES, name=sent)
        assert response.status_code == 201, response.content
        meta = response.json()
        assert meta["file_name"] == shown
        stored = [p for p in tmp_path.rglob("*") if p.is_file()]
        # One object per upload, all inside the storage directory, under random names.
        assert len(stored) == count and all(p.is_relative_to(attachment_dir) for p in stored)
        key = Attachment.objects.get(pk=meta["id"]).storage_key
        assert (attachment_dir / key).is_file() and len(key.split("/")[-1]) == 32
        got = cbp.get(f"/api/v1/referrals/{referral['id']}/attachments/{meta['id']}/content/")
        assert "\n" not in got["Content-Disposition"] and "/" not in got["Content-Disposition"]
        assert b"".join(got.streaming_content) == TEXT_BYTES


@pytest.mark.django_db
def test_name_with_newline_in_the_part_header(cbp, referral):
    raw = multipart([("file", "x.txt", TEXT_BYTES), ("kind", None, "other")])
    raw = raw.replace(b'filename="x.txt"', b'filename="evil\r\nX-Injected: 1.txt"')
    response = cbp.generic(
        "POST",
        f"/api/v1/referrals/{referral['id']}/attachments/",
        raw,
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )
    # Either refused as malformed or stored with a harmless display name; never a header injection.
    assert response.status_code in (201, 400)
    if response.status_code == 201:
        assert "\n" not in response.json()["file_name"] and "\r" not in response.json()["file_name"]


@pytest.mark.django_db
def test_non_ascii_name_downloads_with_rfc6266_filename_star(cbp, referral):
    meta = upload(cbp, referral["id"], TEXT_BYTES, name="declaración jurada.txt").json()
    got = cbp.get(f"/api/v1/referrals/{referral['id']}/attachments/{meta['id']}/content/")
    assert got["Content-Disposition"] == "attachment; filename*=utf-8''declaraci%C3%B3n%20jurada.txt"


STRICT_FORM_CASES = [
    ([("file", "a.txt", TEXT_BYTES), ("kind", None, "other"), ("owner", None, "x")], "owner"),
    ([("file", "a.txt", TEXT_BYTES), ("kind", None, "other"), ("id", None, "x")], "id"),
    ([("file", "a.txt", TEXT_BYTES), ("kind", None, "other"), ("extra", "b.txt", TEXT_BYTES)], "extra"),
    ([("file", "a.txt", TEXT_BYTES), ("file", "b.txt", TEXT_BYTES), ("kind", None, "other")], "file"),
    ([("file", "a.txt", TEXT_BYTES), ("kind", None, "other"), ("kind", None, "photo")], "kind"),
    ([("file", "a.txt", TEXT_BYTES)], "kind"),
    ([("file", "a.txt", TEXT_BYTES), ("kind", None, "selfie")], "kind"),
    ([("kind", None, "other")], "file"),
    ([("file", None, "not a file part"), ("kind", None, "other")], "file"),
    ([("file", "empty.txt", b""), ("kind", None, "other")], "file"),
    ([("file", "a.txt", TEXT_BYTES), ("kind", None, "other"), ("description", None, "x" * 1001)], "description"),
]


@pytest.mark.django_db
def test_form_is_strict(cbp, referral):
    for fields, field in STRICT_FORM_CASES:
        response = cbp.generic(
            "POST",
            f"/api/v1/referrals/{referral['id']}/attachments/",
            multipart(fields),
            content_type=f"multipart/form-data; boundary={BOUNDARY}",
        )
        assert response.status_code == 400, (field, response.content)
        assert response.json()["type"].endswith("/validation-error")
        assert field in {e["field"] for e in response.json()["errors"]}
    assert not Attachment.objects.exists()


@pytest.mark.django_db
def test_json_body_is_415(cbp, referral):
    response = cbp.post(f"/api/v1/referrals/{referral['id']}/attachments/", {"kind": "other"}, format="json")
    assert response.status_code == 415
    assert response.json()["type"].endswith("/unsupported-media-type")
