"""8 U.S.C. 1367(a)(1): a note records where its information came from, so no adverse decision rests only on the
perpetrator's word."""

from __future__ import annotations

import pytest

from referrals.models import Note

URL = "/api/v1/referrals/"


@pytest.mark.parametrize("body", [{"body": "x"}, {"body": "x", "information_source": "rumour"}])
def test_a_note_needs_the_source_of_its_information(make_referral, cbp, body):
    referral = make_referral()
    response = cbp.post(f"{URL}{referral['id']}/notes/", body, format="json")
    assert response.status_code == 400
    assert "information_source" in {e["field"] for e in response.json()["errors"]}
    assert not Note.objects.exists()


def test_information_from_the_suspected_perpetrator_is_marked_as_such(make_referral, cbp, ice):
    referral = make_referral()
    body = {"body": "Employer says she owes nothing.", "information_source": "suspected_perpetrator"}
    assert cbp.post(f"{URL}{referral['id']}/notes/", body, format="json").status_code == 201
    shown = ice.get(f"{URL}{referral['id']}/notes/").json()["results"][0]
    assert shown["information_source"] == "suspected_perpetrator"
