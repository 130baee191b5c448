"""Forwarding to a third agency: a new child referral from the receiver, linked to the original, every create rule
applied, visible by need to know at every hop (api-contract.md v1.1, "Lifecycle additions")."""

from __future__ import annotations

import copy

import pytest

from agencies.models import Agency, Route
from events.models import Event
from referrals.models import Referral, StatusEvent
from tests.referrals.conftest import BASE_PERSON
from tests.referrals.test_query_counts import statements, warm

URL = "/api/v1/referrals/"


def forward_body(referral: dict, **overrides) -> dict:
    body = {
        "receiver": {"agency": "USCIS"},
        "referral_type": "relief_support",
        "person_ids": [referral["persons"][0]["id"]],
        "summary": "Victim cooperating with the HSI investigation",
        "note": "Declaration signed; T visa application pending.",
    }
    body.update(overrides)
    return body


def forward(client, referral: dict, **overrides):
    return client.post(f"{URL}{referral['id']}/forward/", forward_body(referral, **overrides), format="json")


def get(client, referral_id):
    return client.get(f"{URL}{referral_id}/")


def test_three_agency_chain_with_visibility_from_each_agency_at_every_hop(make_referral, cbp, ice, uscis):
    # Hop 0: CBP -> ICE.
    r1 = make_referral("accepted")
    assert get(cbp, r1["id"]).json()["children"] == []
    assert get(uscis, r1["id"]).status_code == 404

    # Hop 1: ICE forwards to USCIS: R2 (ICE -> USCIS), child of R1.
    response = forward(ice, r1)
    assert response.status_code == 201, response.content
    r2 = response.json()
    assert response["Location"].endswith(f"{URL}{r2['id']}/")
    assert (r2["sender"]["agency"], r2["receiver"]["agency"], r2["status"]) == ("ICE", "USCIS", "submitted")
    assert r2["parent"] == {"id": r1["id"], "reference": r1["reference"]}  # ICE is a party to R1
    child_link = {"id": r2["id"], "reference": r2["reference"], "receiver": {"agency": "USCIS"}, "status": "submitted"}
    # Both parties of R1 see where it went; R1 itself did not change status.
    for client in (cbp, ice):
        seen = get(client, r1["id"]).json()
        assert seen["children"] == [child_link]
        assert seen["status"] == "accepted"
        assert seen["version"] == r1["version"] + 1
    # CBP is no party to R2: it does not exist for CBP. USCIS is no party to R1: no parent link, R1 is 404.
    assert get(cbp, r2["id"]).status_code == 404
    assert get(uscis, r1["id"]).status_code == 404
    seen_by_uscis = get(uscis, r2["id"]).json()
    assert seen_by_uscis["parent"] is None
    assert get(ice, r2["id"]).json()["parent"] == {"id": r1["id"], "reference": r1["reference"]}
    assert [r["id"] for r in cbp.get(URL).json()["results"]] == [r1["id"]]
    assert {r["id"] for r in uscis.get(URL).json()["results"]} == {r2["id"]}

    # Hop 2: USCIS accepts and forwards R2 on to CBP: R3 (USCIS -> CBP), child of R2.
    assert uscis.post(f"{URL}{r2['id']}/accept/", {}, format="json").status_code == 200
    response = forward(
        uscis, r2, receiver={"agency": "CBP"}, referral_type="certification_verification",
        summary="Please confirm the Supplement B",
    )  # fmt: skip
    assert response.status_code == 201, response.content
    r3 = response.json()
    assert r3["parent"] == {"id": r2["id"], "reference": r2["reference"]}  # USCIS sees R2
    # CBP receives R3 but is no party to R2: no parent link, and R2 stays 404 for CBP.
    assert get(cbp, r3["id"]).json()["parent"] is None
    assert get(cbp, r2["id"]).status_code == 404
    # ICE (party to R1 and R2) sees R3 listed under R2, but R3 itself does not exist for ICE.
    assert [c["id"] for c in get(ice, r2["id"]).json()["children"]] == [r3["id"]]
    assert get(ice, r3["id"]).status_code == 404
    # The original sender learns how the forward stands, not its content.
    assert get(cbp, r1["id"]).json()["children"][0]["status"] == "accepted"
    assert get(uscis, r3["id"]).json()["children"] == []


def test_forward_carries_only_the_chosen_people_and_their_data(make_referral, ice, api):
    second = dict(copy.deepcopy(BASE_PERSON), given_name="Ana", a_number="A987654321", role="potential_victim")
    r1 = make_referral("in_progress", persons=[copy.deepcopy(BASE_PERSON), second])
    chosen = r1["persons"][1]["id"]
    child = forward(ice, r1, person_ids=[chosen]).json()
    assert len(child["persons"]) == 1
    person = child["persons"][0]
    assert person["id"] != chosen  # a new record of the person, on the new referral
    assert (person["given_name"], person["a_number"], person["role"]) == ("Ana", "A987654321", "potential_victim")
    assert child["narrative"] == "Declaration signed; T visa application pending."
    assert child["priority"] == r1["priority"]
    # The new receiver reads the same data (with pii:read).
    assert get(api("USCIS"), child["id"]).json()["persons"][0]["given_name"] == "Ana"


def test_forward_events_reach_both_sets_of_parties_and_the_history_records_it(make_referral, ice, cbp):
    r1 = make_referral("accepted")
    child = forward(ice, r1).json()
    forwarded = Event.objects.get(type="referral.forwarded", referral_id=r1["id"])
    assert sorted(forwarded.agency_codes) == ["CBP", "ICE"]
    assert forwarded.data["child"] == {"id": child["id"], "reference": child["reference"]}
    assert forwarded.data["receiver_agency"] == "USCIS"
    created = Event.objects.get(type="referral.created", referral_id=child["id"])
    assert sorted(created.agency_codes) == ["ICE", "USCIS"]
    # No PII or free text in either event.
    for event in (forwarded, created):
        text = str(event.data)
        assert "Maria" not in text and "Declaration" not in text and "A123456789" not in text
    history = cbp.get(f"{URL}{r1['id']}/history/").json()["results"]
    assert history[-1]["action"] == "forward"
    assert (history[-1]["from_status"], history[-1]["to_status"]) == ("accepted", "accepted")
    assert child["reference"] in history[-1]["reason"]
    assert history[-1]["actor"]["agency"] == "ICE"


@pytest.mark.parametrize("status", ["submitted", "acknowledged", "info_requested", "on_hold", "completed"])
def test_forward_from_a_status_that_does_not_allow_it_is_409(make_referral, ice, status):
    r1 = make_referral(status)
    response = forward(ice, r1)
    assert response.status_code == 409, response.content
    assert response.json()["type"].endswith("/invalid-transition")
    assert "forward" not in response.json()["allowed_actions"]
    assert Referral.objects.filter(parent_id=r1["id"]).count() == 0
    assert Referral.objects.get(pk=r1["id"]).version == r1["version"]


def test_sender_cannot_forward_and_others_get_404(make_referral, cbp, uscis, anon):
    r1 = make_referral("accepted")
    response = forward(cbp, r1)
    assert response.status_code == 403
    assert response.json()["type"].endswith("/permission-denied")
    assert forward(uscis, r1).status_code == 404
    assert anon.post(f"{URL}{r1['id']}/forward/", forward_body(r1), format="json").status_code == 401
    assert Referral.objects.filter(parent_id=r1["id"]).count() == 0


def test_forward_needs_write_scope(make_referral, api):
    r1 = make_referral("accepted")
    reader = api("ICE", "referrals:read pii:read")
    response = forward(reader, r1)
    assert response.status_code == 403
    assert response.json()["type"].endswith("/insufficient-scope")


def test_forward_shows_in_allowed_actions_of_the_receiver_only(make_referral, cbp, ice):
    r1 = make_referral("in_progress")
    assert "forward" in get(ice, r1["id"]).json()["allowed_actions"]
    assert "forward" not in get(cbp, r1["id"]).json()["allowed_actions"]


@pytest.mark.parametrize(
    ("overrides", "status", "field"),
    [
        ({"receiver": {"agency": "CBP"}}, 422, "receiver.agency"),  # relief_support is not routed to CBP
        ({"receiver": {"agency": "ICE"}, "referral_type": "victim_assistance"}, 422, "receiver.agency"),  # self
        ({"person_ids": []}, 400, "person_ids"),
        ({"person_ids": ["00000000-0000-0000-0000-000000000000"]}, 422, "person_ids[0]"),
        ({"summary": ""}, 400, "summary"),
        ({"referral_type": "nope"}, 400, "referral_type"),
        ({"status": "accepted"}, 400, "status"),
        ({"narrative": "x"}, 400, "narrative"),
    ],
)
def test_forward_rules_and_bad_input_leave_nothing_behind(make_referral, ice, overrides, status, field):
    r1 = make_referral("accepted")
    total = Referral.objects.count()
    response = forward(ice, r1, **overrides)
    assert response.status_code == status, response.content
    assert field in {e["field"] for e in response.json()["errors"]}
    assert Referral.objects.count() == total
    assert Referral.objects.get(pk=r1["id"]).version == r1["version"]
    assert not Event.objects.filter(type="referral.forwarded").exists()


def test_forward_a_person_of_another_referral_is_refused(make_referral, ice):
    r1 = make_referral("accepted")
    other = make_referral("accepted")
    response = forward(ice, r1, person_ids=[other["persons"][0]["id"]])
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "person_ids[0]"


@pytest.fixture
def unmarked_agency(seeded):
    """An agency not allowed to receive 1367-protected information (like HHS or an NGO), routed victim_assistance."""
    agency = Agency.objects.create(code="HHS", name="HHS Office on Trafficking in Persons")
    Route.objects.create(referral_type="victim_assistance", agency=agency)
    return agency


def test_forward_of_a_1367_protected_person_to_an_unmarked_agency_needs_a_basis(make_referral, ice, unmarked_agency):
    r1 = make_referral("accepted", persons=[dict(copy.deepcopy(BASE_PERSON), protected_1367=True)])
    response = forward(ice, r1, receiver={"agency": "HHS"}, referral_type="victim_assistance")
    assert response.status_code == 422, response.content
    error = response.json()["errors"][0]
    assert error["field"] == "disclosure_bases"
    assert error["person_id"] == r1["persons"][0]["id"]
    assert Referral.objects.filter(parent_id=r1["id"]).count() == 0


def test_forward_of_a_1367_protected_person_to_an_unmarked_agency_with_a_basis(make_referral, ice, unmarked_agency):
    r1 = make_referral("accepted", persons=[dict(copy.deepcopy(BASE_PERSON), protected_1367=True)])
    person_id = r1["persons"][0]["id"]
    basis = {"exception": "b6_victim_services", "authority": "Victim services under the HHS grant agreement"}
    response = forward(
        ice, r1, receiver={"agency": "HHS"}, referral_type="victim_assistance",
        disclosure_bases=[{"person_id": person_id, "disclosure_basis": basis}],
    )  # fmt: skip
    assert response.status_code == 201, response.content
    child = response.json()
    assert child["persons"][0]["protected_1367"] is True
    assert child["persons"][0]["disclosure_basis"]["exception"] == "b6_victim_services"
    # The basis covers this disclosure only: the original person keeps none.
    assert Referral.objects.get(pk=r1["id"]).persons.get().disclosure_exception is None


def test_a_person_withheld_from_the_forwarder_under_1367_is_not_forwarded(make_referral, cbp, ice):
    """1367(a)(2): a person flagged after the referral reached an unmarked receiver is withheld from it, so it
    cannot pass the person on (and would otherwise see the identity as the child's sender)."""
    Agency.objects.filter(code="ICE").update(may_receive_1367_protected=False)
    r1 = make_referral("accepted")
    person_id = r1["persons"][0]["id"]
    flagged = cbp.post(f"{URL}{r1['id']}/persons/{person_id}/protection/", {"protected_1367": True}, format="json")
    assert flagged.status_code == 200, flagged.content
    response = forward(ice, r1)
    assert response.status_code == 422, response.content
    error = response.json()["errors"][0]
    assert (error["field"], error["code"]) == ("person_ids[0]", "withheld_1367")
    assert "Maria" not in response.content.decode()
    assert Referral.objects.filter(parent_id=r1["id"]).count() == 0


def test_forward_keeps_the_encounter_and_a_recorded_hhs_notice(make_referral, cbp, ice):
    """22 U.S.C. 7105(b)(1)(G): one notice on discovery. The child keeps the original encounter (ages and the
    clock run from it) and the notice already recorded, instead of a new 24-hour clock."""
    minor = dict(copy.deepcopy(BASE_PERSON), date_of_birth="2015-01-01")
    r1 = make_referral("accepted", priority="urgent", persons=[minor], encountered_at="2026-11-20T08:00:00Z")
    recorded = ice.post(
        f"{URL}{r1['id']}/hhs-notification/",
        {"notified_at": "2026-11-20T10:00:00Z", "method": "shepherd", "request_number": "RFA-2026-1234"},
        format="json",
    )
    assert recorded.status_code == 200, recorded.content
    child = forward(ice, r1).json()
    assert child["encountered_at"] == "2026-11-20T08:00:00Z"
    notice = child["hhs_notification"]
    assert notice["required"] is True and notice["overdue"] is False
    assert (notice["notified_at"], notice["method"], notice["request_number"], notice["notified_by"]) == (
        "2026-11-20T10:00:00Z", "shepherd", "RFA-2026-1234", "ICE",
    )  # fmt: skip


def test_forward_of_a_minor_applies_the_minor_rules(make_referral, ice):
    minor = dict(copy.deepcopy(BASE_PERSON), date_of_birth="2015-01-01")
    r1 = make_referral("accepted", priority="urgent", persons=[minor])
    child = forward(ice, r1).json()
    assert child["persons"][0]["is_minor"] is True
    assert child["priority"] in ("urgent", "immediate_danger")
    assert child["hhs_notification"]["required"] is True


def test_forward_is_idempotent_with_idempotency_key(make_referral, ice):
    r1 = make_referral("accepted")
    first = ice.post(f"{URL}{r1['id']}/forward/", forward_body(r1), format="json", HTTP_IDEMPOTENCY_KEY="fwd-1")
    again = ice.post(f"{URL}{r1['id']}/forward/", forward_body(r1), format="json", HTTP_IDEMPOTENCY_KEY="fwd-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert Referral.objects.filter(parent_id=r1["id"]).count() == 1
    assert Event.objects.filter(type="referral.forwarded", referral_id=r1["id"]).count() == 1
    other = ice.post(
        f"{URL}{r1['id']}/forward/", forward_body(r1, summary="Different"), format="json", HTTP_IDEMPOTENCY_KEY="fwd-1"
    )
    assert other.status_code == 422
    assert other.json()["type"].endswith("/idempotency-key-reuse")


def test_stale_if_match_on_forward_is_412(make_referral, ice):
    r1 = make_referral("accepted")
    response = ice.post(f"{URL}{r1['id']}/forward/", forward_body(r1), format="json", HTTP_IF_MATCH='"99"')
    assert response.status_code == 412
    assert Referral.objects.filter(parent_id=r1["id"]).count() == 0


def test_forward_of_a_deprecated_type_carries_the_deprecation_headers(make_referral, ice, settings):
    r1 = make_referral("accepted")
    response = forward(ice, r1, referral_type="immigration_relief_screening")
    assert response.status_code == 201, response.content
    assert response["Deprecation"].startswith("@")


# The child's create plus the original's lock and persons, its version, status event, audit row and event.
FORWARD = 19


def test_forward_query_count(make_referral, ice):
    r1 = make_referral("accepted", persons=[copy.deepcopy(BASE_PERSON)] * 3)
    warm(ice)
    with statements(FORWARD):
        response = forward(ice, r1, person_ids=[p["id"] for p in r1["persons"]])
    assert response.status_code == 201


def test_child_referral_is_a_normal_referral_for_its_parties(make_referral, ice, api):
    r1 = make_referral("accepted")
    child = forward(ice, r1).json()
    uscis = api("USCIS")
    assert uscis.post(f"{URL}{child['id']}/acknowledge/", {}, format="json").status_code == 200
    # The forwarder may edit its own referral like any sender.
    patched = ice.patch(f"{URL}{child['id']}/", {"summary": "Updated"}, format="json", HTTP_IF_MATCH='"2"')
    assert patched.status_code == 200, patched.content
    assert StatusEvent.objects.filter(referral_id=child["id"], action="create").count() == 1
