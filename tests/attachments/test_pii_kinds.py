"""Security review (issue 16) M7: identity documents and photos need ``pii:read``; names and descriptions are
masked without it."""

from __future__ import annotations

import pytest

from tests.attachments.conftest import PDF_BYTES, png_bytes, upload
from tests.foundation.routes import make_token
from tests.security.conftest import bearer

NO_PII = ["referrals:read", "referrals:write"]


@pytest.fixture
def ice_without_pii(seeded):
    return bearer(make_token(agency="ICE", scopes=NO_PII))


@pytest.mark.parametrize("kind", ["identity_document", "photo"])
def test_m7_identity_documents_and_photos_need_pii_read(cbp, ice, ice_without_pii, referral, kind):
    content, name = (png_bytes(), "maria-passport.png") if kind == "photo" else (PDF_BYTES, "maria-passport.pdf")
    created = upload(cbp, referral["id"], content, name=name, kind=kind, description="Passport of Maria Lopez")
    assert created.status_code == 201, created.content
    path = f"/api/v1/referrals/{referral['id']}/attachments/{created.json()['id']}/content/"
    refused = ice_without_pii.get(path)
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/insufficient-scope")
    assert "pii:read" in refused["WWW-Authenticate"]
    assert b"Maria" not in refused.content
    assert ice.get(path).status_code == 200


def test_m7_other_kinds_download_without_pii_read(cbp, ice_without_pii, referral):
    created = upload(cbp, referral["id"], PDF_BYTES, name="screening.pdf", kind="screening_form")
    path = f"/api/v1/referrals/{referral['id']}/attachments/{created.json()['id']}/content/"
    assert ice_without_pii.get(path).status_code == 200


def test_m7_file_name_and_description_are_masked_without_pii_read(cbp, ice, ice_without_pii, referral):
    created = upload(
        cbp, referral["id"], PDF_BYTES, name="maria-lopez.pdf", kind="other", description="Statement of Maria Lopez"
    )
    attachment_id = created.json()["id"]
    base = f"/api/v1/referrals/{referral['id']}/attachments/"
    for response in (ice_without_pii.get(base), ice_without_pii.get(f"{base}{attachment_id}/")):
        assert response.status_code == 200
        assert b"Maria" not in response.content and b"maria" not in response.content
    detail = ice_without_pii.get(f"{base}{attachment_id}/").json()
    assert (detail["file_name"], detail["description"], detail["masked"]) == (None, None, True)
    full = ice.get(f"{base}{attachment_id}/").json()
    assert (full["file_name"], full["description"], full["masked"]) == (
        "maria-lopez.pdf",
        "Statement of Maria Lopez",
        False,
    )
    # The uploader without pii:read does not get them echoed back either.
    sender = bearer(make_token(agency="CBP", scopes=NO_PII))
    echoed = upload(sender, referral["id"], PDF_BYTES, name="maria.pdf", kind="other", description="Maria")
    assert echoed.status_code == 201
    assert echoed.json()["file_name"] is None and echoed.json()["description"] is None
