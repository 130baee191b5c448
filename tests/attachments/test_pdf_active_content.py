"""Security review (issue 16) M6: PDFs with active content are refused (415), also inside compressed object
streams; production scans with ClamAV unless ATTACHMENT_SCANNER names the accept-all scanner (logged)."""

from __future__ import annotations

import io
import zlib

import pytest
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from attachments.models import Attachment
from attachments.pdf import pdf_active_content
from tests.attachments.conftest import PDF_BYTES, upload
from tests.foundation.test_settings import production_env, python


def pdf_with_object_stream(catalog_extra: bytes, third: bytes) -> bytes:
    """A PDF 1.5 whose catalog and objects sit in a Flate-compressed object stream (ISO 32000-1 §7.5.7), with
    a cross-reference stream: no active-content name appears in the file's bytes."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
        third,
    ]
    offsets, body = [], b""
    for obj in objects:
        offsets.append(len(body))
        body += obj + b"\n"
    header = b" ".join(f"{n} {o}".encode() for n, o in zip((1, 2, 3), offsets, strict=True)) + b"\n"
    packed = zlib.compress(header + body)
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    objstm_offset = out.tell()
    out.write(
        f"4 0 obj\n<< /Type /ObjStm /N 3 /First {len(header)} /Filter /FlateDecode /Length {len(packed)} >>\n"
        "stream\n".encode()
        + packed
        + b"\nendstream\nendobj\n"
    )
    xref_offset = out.tell()
    rows = [b"\x00\x00\x00\x00\x00\xff\xff"]
    rows += [b"\x02" + (4).to_bytes(4, "big") + i.to_bytes(2, "big") for i in range(3)]
    rows += [b"\x01" + objstm_offset.to_bytes(4, "big") + b"\x00\x00"]
    rows += [b"\x01" + xref_offset.to_bytes(4, "big") + b"\x00\x00"]
    data = b"".join(rows)
    out.write(
        f"5 0 obj\n<< /Type /XRef /Size 6 /W [1 4 2] /Root 1 0 R /Length {len(data)} >>\nstream\n".encode()
        + data
        + b"\nendstream\nendobj\n"
        + f"startxref\n{xref_offset}\n%%EOF\n".encode()
    )
    return out.getvalue()


def _writer_pdf(mutate) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(72, 72)
    mutate(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _launch(writer):
    writer._root_object[NameObject("/OpenAction")] = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("calc.exe")}
    )


def _javascript(writer):
    action = writer._add_object(
        DictionaryObject(
            {NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")}
        )
    )
    names = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("x"), action])})
    writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): names})


def _page_aa(writer):
    writer.pages[0][NameObject("/AA")] = DictionaryObject()


def _rich_media(writer):
    writer.pages[0][NameObject("/Annots")] = writer._add_object(
        DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/RichMedia")})
    )


ACTIVE = {
    "javascript": (lambda: _writer_pdf(_javascript), {"/JavaScript", "/JS"}),
    "embedded-file": (lambda: _writer_pdf(lambda w: w.add_attachment("a.exe", b"MZ")), {"/EmbeddedFile"}),
    "launch": (lambda: _writer_pdf(_launch), {"/Launch", "/OpenAction"}),
    "additional-actions": (lambda: _writer_pdf(_page_aa), {"/AA"}),
    "rich-media": (lambda: _writer_pdf(_rich_media), {"/RichMedia"}),
    "object-stream-openaction-js": (
        lambda: pdf_with_object_stream(b"/OpenAction 3 0 R", b"<< /S /JavaScript /JS (app.alert(1)) >>"),
        {"/OpenAction", "/JavaScript", "/JS"},
    ),
    "escaped-name": (
        lambda: PDF_BYTES.replace(b"/Pages 2 0 R >>", b"/Pages 2 0 R /Open#41ction << /S /J#61vaScript >> >>"),
        {"/OpenAction", "/JavaScript"},
    ),
}


@pytest.mark.parametrize("case", sorted(ACTIVE))
def test_m6_pdf_active_content_is_found(case):
    build, expected = ACTIVE[case]
    content = build()
    assert expected <= set(pdf_active_content(io.BytesIO(content))), case


def test_m6_object_stream_hides_the_names_from_the_bytes():
    content = ACTIVE["object-stream-openaction-js"][0]()
    assert b"JavaScript" not in content and b"OpenAction" not in content
    inert = pdf_with_object_stream(b"", b"<< /Producer (test) >>")
    assert pdf_active_content(io.BytesIO(inert)) == []


@pytest.mark.parametrize("case", sorted(ACTIVE))
def test_m6_pdf_with_active_content_is_refused_with_415(cbp, referral, case):
    response = upload(cbp, referral["id"], ACTIVE[case][0](), name="form.pdf")
    assert response.status_code == 415, response.content
    body = response.json()
    assert body["type"].endswith("/unsupported-media-type")
    assert "active content" in body["detail"]
    assert Attachment.objects.count() == 0


def test_m6_plain_pdfs_are_still_accepted(cbp, referral):
    plain = _writer_pdf(lambda w: None)
    assert pdf_active_content(io.BytesIO(plain)) == []
    assert upload(cbp, referral["id"], plain, name="a.pdf").status_code == 201
    assert upload(cbp, referral["id"], PDF_BYTES, name="b.pdf").status_code == 201
    inert = pdf_with_object_stream(b"", b"<< /Producer (test) >>")
    assert upload(cbp, referral["id"], inert, name="c.pdf").status_code == 201


def test_m6_production_never_runs_the_accept_all_scanner_by_default():
    """Unset, production scans with ClamAV (uploads answer 503 while clamd is down); accept-all only when named."""
    default = python(
        "import django; django.setup(); from django.conf import settings; print(settings.ATTACHMENT_SCANNER)",
        production_env(ATTACHMENT_SCANNER=None),
    )
    assert default.returncode == 0, default.stderr
    assert default.stdout.split()[-1] == "attachments.scanning.ClamAVScanner"
    assert "not scanned for malware" not in default.stderr
    explicit = python(
        "import django, logging; django.setup(); print('started')",
        production_env(ATTACHMENT_SCANNER="attachments.scanning.AcceptAllScanner"),
    )
    assert explicit.returncode == 0, explicit.stderr
    assert "not scanned for malware" in explicit.stderr
