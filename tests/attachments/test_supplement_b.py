"""Supplement B kinds: i914_supplement_b and i918_supplement_b with signed_on (not in the future) and, for the U visa
certification, usable_until = signed_on + 6 months (8 C.F.R. 214.14(c)(2)(i)); supplement_b is deprecated."""

from __future__ import annotations

import datetime

import pytest
from dateutil.relativedelta import relativedelta

from attachments.models import Attachment
from tests.attachments.conftest import PDF_BYTES, upload


def signed(client, referral, kind, signed_on):
    return upload(client, referral["id"], PDF_BYTES, name="supb.pdf", kind=kind, extra=[("signed_on", None, signed_on)])


def test_i918b_signed_seven_months_ago_is_kept_with_a_past_usable_until(ice, referral):
    signed_on = datetime.date.today() - relativedelta(months=7)
    response = signed(ice, referral, "i918_supplement_b", signed_on.isoformat())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["signed_on"] == signed_on.isoformat()
    assert body["usable_until"] == (signed_on + relativedelta(months=6)).isoformat()
    assert datetime.date.fromisoformat(body["usable_until"]) < datetime.date.today()
    assert "Deprecation" not in response
    stored = Attachment.objects.get(pk=body["id"])
    assert stored.signed_on == signed_on


def test_i918b_usable_until_clamps_to_the_end_of_the_month(cbp, referral):
    response = signed(cbp, referral, "i918_supplement_b", "2025-08-31")
    assert response.json()["usable_until"] == "2026-02-28"


def test_i914b_has_a_signature_date_and_no_usable_until(cbp, referral):
    response = signed(cbp, referral, "i914_supplement_b", "2026-01-15")
    assert response.status_code == 201, response.content
    assert (response.json()["signed_on"], response.json()["usable_until"]) == ("2026-01-15", None)


@pytest.mark.parametrize("kind", ["i914_supplement_b", "i918_supplement_b"])
def test_signed_on_is_required_and_not_in_the_future(cbp, referral, kind):
    missing = upload(cbp, referral["id"], PDF_BYTES, name="supb.pdf", kind=kind)
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "signed_on"
    tomorrow = (datetime.date.today() + datetime.timedelta(days=1)).isoformat()
    future = signed(cbp, referral, kind, tomorrow)
    assert future.status_code == 400
    assert future.json()["errors"][0]["field"] == "signed_on"
    bad = signed(cbp, referral, kind, "last tuesday")
    assert bad.status_code == 400
    assert not Attachment.objects.filter(referral_id=referral["id"]).exists()


def test_signed_on_is_refused_for_other_kinds(cbp, referral):
    response = signed(cbp, referral, "photo", "2026-01-01")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "signed_on"


def test_old_supplement_b_kind_is_deprecated_but_accepted(cbp, referral):
    response = upload(cbp, referral["id"], PDF_BYTES, name="supb.pdf", kind="supplement_b")
    assert response.status_code == 201, response.content
    assert response["Deprecation"].startswith("@")
    assert 'rel="deprecation"' in response["Link"]
    assert response.json()["signed_on"] is None


def test_i918b_usability_is_an_open_deadline_of_the_referral(cbp, make_referral):
    accepted = make_referral("accepted")  # its acknowledgement deadline is met: only the certification is open
    signed_on = datetime.date.today() - relativedelta(months=5)
    signed(cbp, accepted, "i918_supplement_b", signed_on.isoformat())
    lapse = signed_on + relativedelta(months=6) + datetime.timedelta(days=1)  # 00:00Z after the last usable day

    def due_before(stamp):
        response = cbp.get(f"/api/v1/referrals/?deadline_before={stamp}")
        assert response.status_code == 200, response.content
        return {r["id"] for r in response.json()["results"]}

    assert accepted["id"] not in due_before(f"{lapse.isoformat()}T00:00:00Z")
    assert accepted["id"] in due_before(f"{lapse.isoformat()}T00:00:01Z")


def test_an_empty_signed_on_field_is_400_not_taken_for_no_date(cbp, referral):
    """A multipart form sends "" for "no value": an empty signed_on part is a date that is not one (400)."""
    boundary = "b6e3c0d1a2f4"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="note.txt"\r\n\r\nhello\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nscreening_form\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="signed_on"\r\n\r\n\r\n--{boundary}--\r\n'
    )
    response = cbp.generic(
        "POST", f"/api/v1/referrals/{referral['id']}/attachments/", body.encode(),
        content_type=f"multipart/form-data; boundary={boundary}",
    )  # fmt: skip
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == "signed_on"
    assert not Attachment.objects.filter(referral_id=referral["id"]).exists()
