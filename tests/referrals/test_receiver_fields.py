"""The receiver's own fields: receiver_reference and assignee, set by PATCH (If-Match) or on accept, shown to both
parties, filterable; any other field from the receiver is 403 naming it (api-contract.md v1.1)."""

from __future__ import annotations

import pytest

from events.models import Event
from referrals.models import Referral
from tests.referrals.test_query_counts import statements, warm

URL = "/api/v1/referrals/"
NON_TERMINAL = ["submitted", "acknowledged", "info_requested", "accepted", "in_progress", "on_hold"]


def patch(client, referral, body, version=None):
    version = referral["version"] if version is None else version
    return client.patch(f"{URL}{referral['id']}/", body, format="json", HTTP_IF_MATCH=f'"{version}"')


@pytest.mark.parametrize("status", NON_TERMINAL)
def test_receiver_sets_its_reference_and_assignee_in_any_open_status(make_referral, cbp, ice, status):
    referral = make_referral(status)
    response = patch(ice, referral, {"receiver_reference": "HSI-SD-2027-9999", "assignee": "Group 3"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["receiver_reference"], body["assignee"], body["status"]) == ("HSI-SD-2027-9999", "Group 3", status)
    assert body["version"] == referral["version"] + 1
    assert response["ETag"] == f'"{referral["version"] + 1}"'
    seen = cbp.get(f"{URL}{referral['id']}/").json()  # shown to the sender too
    assert (seen["receiver_reference"], seen["assignee"]) == ("HSI-SD-2027-9999", "Group 3")
    event = Event.objects.filter(type="referral.updated", referral_id=referral["id"]).get()
    assert event.data["changed_fields"] == ["assignee", "receiver_reference"]
    assert "Group 3" not in str(event.data)  # field names only


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"summary": "Changed by the receiver"}, ["summary"]),
        ({"receiver_reference": "HSI-1", "summary": "x"}, ["summary"]),
        ({"priority": "urgent", "persons": []}, ["persons", "priority"]),
        ({"status": "accepted"}, ["status"]),
    ],
)
def test_receiver_patching_anything_else_is_403_naming_the_field(make_referral, ice, body, fields):
    referral = make_referral("accepted")
    response = patch(ice, referral, body)
    assert response.status_code == 403, response.content
    problem = response.json()
    assert problem["type"].endswith("/permission-denied")
    assert sorted(e["field"] for e in problem["errors"]) == fields
    row = Referral.objects.get(pk=referral["id"])
    assert (row.version, row.receiver_reference) == (referral["version"], referral["receiver_reference"])


def test_sender_cannot_set_the_receiver_fields(make_referral, cbp):
    referral = make_referral()
    response = patch(cbp, referral, {"receiver_reference": "X-1"})
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "receiver_reference"
    assert Referral.objects.get(pk=referral["id"]).receiver_reference is None


def test_receiver_patch_needs_if_match_and_a_fresh_one(make_referral, ice):
    referral = make_referral("accepted")
    response = ice.patch(f"{URL}{referral['id']}/", {"assignee": "A"}, format="json")
    assert response.status_code == 428
    assert patch(ice, referral, {"assignee": "A"}, version=referral["version"] - 1).status_code == 412
    assert Referral.objects.get(pk=referral["id"]).assignee == referral["assignee"]


@pytest.mark.parametrize("status", ["completed", "rejected", "withdrawn"])
def test_receiver_patch_of_a_terminal_referral_is_409(make_referral, ice, status):
    referral = make_referral(status)
    response = patch(ice, referral, {"receiver_reference": "HSI-1"})
    assert response.status_code == 409
    assert response.json()["type"].endswith("/invalid-transition")


def test_other_agency_gets_404_on_receiver_patch(make_referral, uscis):
    referral = make_referral()
    assert patch(uscis, referral, {"receiver_reference": "HSI-1"}).status_code == 404


@pytest.mark.parametrize("value", ["", "HSI 1", "Maria Lopez", "x" * 101, "HSI-1;", 17, "-HSI", "HSI\u00a01"])
def test_bad_receiver_reference_is_400(make_referral, ice, value):
    referral = make_referral("accepted")
    response = patch(ice, referral, {"receiver_reference": value})
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["field"] == "receiver_reference"
    if isinstance(value, str) and len(value) > 3:
        assert value not in response.content.decode()  # never echoed


def test_receiver_can_clear_its_fields(make_referral, ice):
    referral = make_referral("accepted")
    set_ = patch(ice, referral, {"receiver_reference": "HSI-1"}).json()
    cleared = patch(ice, set_, {"receiver_reference": None}).json()
    assert cleared["receiver_reference"] is None


def test_accept_takes_the_receiver_reference_and_assignee(make_referral, ice, cbp):
    referral = make_referral()
    response = ice.post(
        f"{URL}{referral['id']}/accept/", {"assignee": "VAP San Diego", "receiver_reference": "HSI-SD-9"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    seen = cbp.get(f"{URL}{referral['id']}/").json()
    assert (seen["receiver_reference"], seen["assignee"]) == ("HSI-SD-9", "VAP San Diego")
    bad = make_referral()
    response = ice.post(f"{URL}{bad['id']}/accept/", {"receiver_reference": "not a code!"}, format="json")
    assert response.status_code == 400
    assert Referral.objects.get(pk=bad["id"]).status == "submitted"


def test_receiver_reference_filter(make_referral, cbp, ice, uscis):
    one = make_referral("accepted")
    make_referral("accepted")  # accepted with another receiver_reference
    assert patch(ice, one, {"receiver_reference": "HSI-SD-2027-9999"}).status_code == 200
    for client in (cbp, ice):
        found = client.get(f"{URL}?receiver_reference=HSI-SD-2027-9999").json()["results"]
        assert [r["id"] for r in found] == [one["id"]]
    assert uscis.get(f"{URL}?receiver_reference=HSI-SD-2027-9999").json()["results"] == []
    response = cbp.get(f"{URL}?receiver_reference=has%20space")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "receiver_reference"


RECEIVER_PATCH = 7


def test_receiver_patch_query_count(make_referral, ice):
    referral = make_referral("accepted")
    warm(ice)
    with statements(RECEIVER_PATCH):
        response = patch(ice, referral, {"receiver_reference": "HSI-1"})
    assert response.status_code == 200
