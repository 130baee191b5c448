"""The scanner hook: ClamAV over the real clamd INSTREAM protocol (stub daemon), flagged files never served."""

from __future__ import annotations

import io

import pytest

from attachments.models import Attachment
from attachments.scanning import AcceptAllScanner, ClamAVScanner, get_scanner
from events.models import Event
from tests.attachments.conftest import PDF_BYTES, TEXT_BYTES, upload

EICAR_LIKE = b"Plain text carrying the EICAR-TEST marker the stub daemon flags.\n"


def test_default_scanner_accepts_everything(settings):
    assert isinstance(get_scanner(), AcceptAllScanner)
    assert get_scanner().scan(io.BytesIO(b"anything")) == "clean"


def test_clamav_scanner_speaks_instream(clamd):
    scanner = ClamAVScanner(clamd.path)
    big = b"y" * (200 * 1024)
    assert scanner.scan(io.BytesIO(big)) == "clean"
    assert clamd.commands[-1] == b"zINSTREAM\0"
    assert clamd.received[-1] == big  # chunked and reassembled exactly
    assert scanner.scan(io.BytesIO(EICAR_LIKE)) == "infected"


def test_clamav_scanner_accepts_a_path(clamd, tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(EICAR_LIKE)
    assert ClamAVScanner(clamd.path).scan(str(path)) == "infected"


def test_clamav_unreachable_is_error(tmp_path):
    assert ClamAVScanner(str(tmp_path / "missing.sock"), timeout=1).scan(io.BytesIO(b"x")) == "error"


@pytest.mark.django_db
def test_clean_upload_through_clamd_is_served(clamd, cbp, referral):
    meta = upload(cbp, referral["id"], PDF_BYTES, name="a.pdf").json()
    assert meta["scan_status"] == "clean"
    assert clamd.received == [PDF_BYTES]
    response = cbp.get(f"/api/v1/referrals/{referral['id']}/attachments/{meta['id']}/content/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_flagged_file_is_never_served(clamd, cbp, ice, referral, attachment_dir):
    response = upload(cbp, referral["id"], EICAR_LIKE, name="invoice.txt")
    assert response.status_code == 201
    meta = response.json()
    assert meta["scan_status"] == "infected"
    # Nothing of it is kept in storage.
    assert not [p for p in attachment_dir.rglob("*") if p.is_file()]
    assert Attachment.objects.get().storage_key == ""
    for client in (cbp, ice):
        got = client.get(f"/api/v1/referrals/{referral['id']}/attachments/{meta['id']}/content/")
        assert got.status_code == 404
        assert got["Content-Type"] == "application/problem+json"
        assert got.json()["scan_status"] == "infected"
        assert EICAR_LIKE not in got.content
        assert client.get(f"/api/v1/referrals/{referral['id']}/attachments/{meta['id']}/").json() == meta
    assert Event.objects.get(type="referral.attachment_added").data["scan_status"] == "infected"


@pytest.mark.django_db
def test_scanner_outage_stores_nothing(settings, cbp, referral, attachment_dir, tmp_path):
    settings.ATTACHMENT_SCANNER = "attachments.scanning.ClamAVScanner"
    settings.CLAMD_SOCKET = str(tmp_path / "nobody-listens.sock")
    response = upload(cbp, referral["id"], TEXT_BYTES)
    assert response.status_code == 503
    assert response.json()["type"].endswith("/service-unavailable")
    assert response["Retry-After"]
    assert not Attachment.objects.exists()
    assert not [p for p in attachment_dir.rglob("*") if p.is_file()]
