"""Upload and download: round trip, what is stored, metadata, audit and events."""

from __future__ import annotations

import hashlib

import pytest

from attachments.models import Attachment
from audit.models import AuditEntry
from events.models import Event
from tests.attachments.conftest import PDF_BYTES, TEXT_BYTES, jpeg_with_gps, png_bytes, upload

pytestmark = pytest.mark.django_db


def download(client, referral_id, attachment_id):
    return client.get(f"/api/v1/referrals/{referral_id}/attachments/{attachment_id}/content/")


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("content", "media_type", "name"),
    [(PDF_BYTES, "application/pdf", "form.pdf"), (TEXT_BYTES, "text/plain", "notes.txt")],
)
def test_round_trip_keeps_bytes_and_sha256(cbp, ice, referral, content, media_type, name):
    response = upload(cbp, referral["id"], content, name=name, kind="screening_form", description="Signed form")
    assert response.status_code == 201, response.content
    meta = response.json()
    assert meta["media_type"] == media_type
    assert meta["size"] == len(content)
    assert meta["sha256"] == hashlib.sha256(content).hexdigest()
    assert meta["file_name"] == name
    assert meta["uploaded_by"] == {"agency": "CBP"}
    assert meta["scan_status"] == "clean"
    assert meta["kind"] == "screening_form" and meta["description"] == "Signed form"
    assert response["Location"].endswith(f"/attachments/{meta['id']}/")

    got = download(ice, referral["id"], meta["id"])  # the other party
    assert got.status_code == 200
    data = body_of(got)
    assert data == content
    assert hashlib.sha256(data).hexdigest() == meta["sha256"]
    assert got["Content-Type"].startswith(media_type)
    assert got["Content-Disposition"] == f'attachment; filename="{name}"'
    assert got["X-Content-Type-Options"] == "nosniff"
    assert got["Content-Length"] == str(len(content))


def test_large_file_round_trip_across_many_chunks(cbp, referral):
    content = ("line of plain text for chunking tests\n" * 60_000).encode()  # ~2.3 MB, ~35 chunks
    response = upload(cbp, referral["id"], content, name="big.txt")
    assert response.status_code == 201, response.content
    got = download(cbp, referral["id"], response.json()["id"])
    assert body_of(got) == content


def test_the_name_or_declared_type_does_not_decide_the_type(cbp, referral):
    response = upload(cbp, referral["id"], png_bytes(), name="report.pdf")
    assert response.status_code == 201
    assert response.json()["media_type"] == "image/png"


def test_metadata_list_and_detail(cbp, ice, referral):
    first = upload(cbp, referral["id"], PDF_BYTES, name="a.pdf").json()
    second = upload(ice, referral["id"], TEXT_BYTES, name="b.txt", kind="correspondence").json()
    listed = cbp.get(f"/api/v1/referrals/{referral['id']}/attachments/")
    assert listed.status_code == 200
    body = listed.json()
    assert [a["id"] for a in body["results"]] == [second["id"], first["id"]]
    assert body["next"] is None and body["previous"] is None
    detail = ice.get(f"/api/v1/referrals/{referral['id']}/attachments/{first['id']}/")
    assert detail.status_code == 200
    assert detail.json() == first
    assert set(first) == {
        "id", "kind", "description", "media_type", "size", "sha256", "uploaded_by", "created_at", "file_name",
        "scan_status", "masked", "signed_on", "usable_until",
    }  # fmt: skip


def test_list_is_cursor_paginated(cbp, referral):
    ids = [upload(cbp, referral["id"], TEXT_BYTES, name=f"{i}.txt").json()["id"] for i in range(3)]
    page = cbp.get(f"/api/v1/referrals/{referral['id']}/attachments/?page_size=2").json()
    assert [a["id"] for a in page["results"]] == ids[::-1][:2]
    rest = cbp.get(page["next"]).json()
    assert [a["id"] for a in rest["results"]] == [ids[0]]


def test_jpeg_gps_exif_is_stripped_before_storage(cbp, ice, referral):
    from PIL import Image

    original = jpeg_with_gps()
    assert b"SecretCameraMaker" in original and b"Exif" in original
    with Image.open(__import__("io").BytesIO(original)) as image:
        assert image.getexif().get_ifd(0x8825)  # the test image really has GPS tags
    response = upload(cbp, referral["id"], original, name="photo.jpg", kind="photo")
    assert response.status_code == 201, response.content
    meta = response.json()
    assert meta["media_type"] == "image/jpeg"
    data = body_of(download(ice, referral["id"], meta["id"]))
    assert b"Exif" not in data and b"SecretCameraMaker" not in data and b"safe house" not in data
    assert meta["sha256"] == hashlib.sha256(data).hexdigest() and meta["size"] == len(data)
    with Image.open(__import__("io").BytesIO(data)) as image:
        assert not image.getexif().get_ifd(0x8825)
        assert len(image.getexif()) == 0
        assert image.size == (64, 48)
        image.load()


def test_png_text_chunks_are_stripped(cbp, referral):
    original = png_bytes(Author="Maria Lopez", Location="32.54,-117.03")
    assert b"tEXt" in original
    meta = upload(cbp, referral["id"], original, name="scan.png").json()
    data = body_of(download(cbp, referral["id"], meta["id"]))
    assert b"tEXt" not in data and b"Maria Lopez" not in data
    from PIL import Image

    with Image.open(__import__("io").BytesIO(data)) as image:
        assert image.size == (16, 16) and not image.text
        image.load()


def test_plaintext_never_reaches_disk_or_database(cbp, referral, attachment_dir):
    from django.db import connection

    marker = b"UNIQUE-PLAINTEXT-MARKER-7f3a9c"
    content = b"Statement: " + marker + b" end.\n" * 2000
    response = upload(
        cbp, referral["id"], content, name="statement-of-Maria-Lopez.txt", description="Maria's statement"
    )
    assert response.status_code == 201
    stored = [p for p in attachment_dir.rglob("*") if p.is_file()]
    assert len(stored) == 1
    raw = stored[0].read_bytes()
    assert marker not in raw and b"Statement" not in raw
    assert stored[0].name != "statement-of-Maria-Lopez.txt"
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM attachments_attachment")
        row_text = repr(cursor.fetchall())
    assert "UNIQUE-PLAINTEXT" not in row_text and "Maria" not in row_text


def test_upload_and_download_are_audited_and_upload_emits_an_event(cbp, ice, referral):
    meta = upload(cbp, referral["id"], PDF_BYTES, name="Maria-Lopez.pdf", kind="supplement_b").json()
    uploaded = AuditEntry.objects.filter(action="attachment.uploaded")
    assert [(a.object_type, a.object_id, a.agency_code, a.outcome) for a in uploaded] == [
        ("referral", referral["id"], "CBP", "success")
    ]
    body_of(download(ice, referral["id"], meta["id"]))
    downloaded = AuditEntry.objects.filter(action="attachment.downloaded")
    assert [(a.object_type, a.object_id, a.agency_code) for a in downloaded] == [("referral", referral["id"], "ICE")]
    event = Event.objects.get(type="referral.attachment_added")
    assert event.data == {
        "attachment_id": meta["id"], "kind": "supplement_b", "media_type": "application/pdf",
        "size": len(PDF_BYTES), "scan_status": "clean",
    }  # fmt: skip
    assert sorted(event.agency_codes) == ["CBP", "ICE"]
    assert "Maria" not in repr(event.data)


def test_corrupt_object_is_never_served(cbp, referral, attachment_dir):
    meta = upload(cbp, referral["id"], TEXT_BYTES * 100, name="n.txt").json()
    Attachment.objects.filter(pk=meta["id"]).update(sha256="0" * 64)
    response = cbp.get(f"/api/v1/referrals/{referral['id']}/attachments/{meta['id']}/content/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("/server-error")
    assert not AuditEntry.objects.filter(action="attachment.downloaded").exists()


def test_tampered_ciphertext_is_never_served(cbp, referral, attachment_dir):
    meta = upload(cbp, referral["id"], TEXT_BYTES * 100, name="n.txt").json()
    (path,) = [p for p in attachment_dir.rglob("*") if p.is_file()]
    raw = bytearray(path.read_bytes())
    raw[-10] ^= 0x01
    path.write_bytes(bytes(raw))
    response = cbp.get(f"/api/v1/referrals/{referral['id']}/attachments/{meta['id']}/content/")
    assert response.status_code == 500


def test_download_serves_any_accept_header(cbp, referral):
    meta = upload(cbp, referral["id"], PDF_BYTES, name="a.pdf").json()
    path = f"/api/v1/referrals/{referral['id']}/attachments/{meta['id']}/content/"
    for accept in ("application/pdf", "application/json", "*/*"):
        response = cbp.get(path, HTTP_ACCEPT=accept)
        assert response.status_code == 200, accept
        assert body_of(response) == PDF_BYTES
