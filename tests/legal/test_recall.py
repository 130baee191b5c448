"""Recall of a referral sent in error: the receiver keeps its existence and history, not its content."""

from __future__ import annotations

from audit.models import AuditEntry
from events.models import Event
from referrals.models import Referral
from tests.attachments.conftest import TEXT_BYTES, upload

URL = "/api/v1/referrals/"


def test_recall_masks_everything_but_existence_status_reference_and_history_for_the_receiver(make_referral, cbp, ice):
    referral = make_referral("accepted")
    rid = referral["id"]
    cbp.post(f"{URL}{rid}/notes/", {"body": "Lives with her aunt.", "information_source": "victim"}, format="json")
    uploaded = upload(cbp, rid, TEXT_BYTES, name="interview-maria.txt", description="Interview with Maria")
    assert uploaded.status_code == 201, uploaded.content
    attachment_id = uploaded.json()["id"]

    response = cbp.post(f"{URL}{rid}/recall/", {"reason": "Sent to the wrong agency."}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "recalled" and response.json()["allowed_actions"] == []

    seen = ice.get(f"{URL}{rid}/").json()
    assert (seen["id"], seen["reference"], seen["status"]) == (rid, referral["reference"], "recalled")
    assert seen["narrative"] is None and seen["case"] is None
    person = seen["persons"][0]
    assert person["masked"] is True and person["withheld"] == "recall" and person["role"] == "victim"
    assert all(person[f] is None for f in person if f not in ("id", "role", "masked", "withheld"))
    listed = ice.get(URL).json()["results"][0]
    assert listed["persons"][0]["withheld"] == "recall" and listed["narrative"] is None
    history = ice.get(f"{URL}{rid}/history/").json()["results"]
    assert [e["action"] for e in history][-1] == "recall"
    notes = ice.get(f"{URL}{rid}/notes/").json()["results"]
    assert len(notes) == 1 and notes[0]["body"] is None and notes[0]["author"]["agency"] == "CBP"
    meta = ice.get(f"{URL}{rid}/attachments/{attachment_id}/").json()
    assert meta["file_name"] is None and meta["description"] is None and meta["sha256"]
    assert ice.get(f"{URL}{rid}/attachments/").json()["results"][0]["file_name"] is None
    content = ice.get(f"{URL}{rid}/attachments/{attachment_id}/content/")
    assert content.status_code == 403 and content.json()["type"].endswith("/permission-denied")
    # The sender still sees everything it sent.
    mine = cbp.get(f"{URL}{rid}/").json()
    assert mine["persons"][0]["given_name"] == "Maria" and mine["narrative"]
    assert cbp.get(f"{URL}{rid}/notes/").json()["results"][0]["body"] == "Lives with her aunt."
    assert cbp.get(f"{URL}{rid}/attachments/{attachment_id}/content/").status_code == 200
    # A privacy incident in the audit trail, and referral.recalled to both parties (no PII).
    incident = AuditEntry.objects.get(action="recall", object_id=rid)
    assert incident.reason == "privacy_incident" and incident.agency_code == "CBP"
    event = Event.objects.get(type="referral.recalled", referral_id=rid)
    assert set(event.agency_codes) == {"CBP", "ICE"}
    assert event.data["to_status"] == "recalled" and "wrong agency" not in str(event.data)


def test_receiver_cannot_recall_and_a_terminal_referral_cannot_be_recalled(make_referral, cbp, ice):
    referral = make_referral()
    assert ice.post(f"{URL}{referral['id']}/recall/", {"reason": "x"}, format="json").status_code == 403
    done = make_referral("completed")
    assert cbp.post(f"{URL}{done['id']}/recall/", {"reason": "x"}, format="json").status_code == 409
    assert Referral.objects.get(pk=done["id"]).status == "completed"


def test_recall_needs_a_reason(make_referral, cbp):
    referral = make_referral()
    response = cbp.post(f"{URL}{referral['id']}/recall/", {}, format="json")
    assert response.status_code == 400 and "reason" in {e["field"] for e in response.json()["errors"]}
    assert Referral.objects.get(pk=referral["id"]).status == "submitted"


def test_after_recall_no_upload_and_no_protection_change(make_referral, cbp, ice, attachment_dir):
    referral = make_referral("recalled")
    assert upload(ice, referral["id"], TEXT_BYTES).status_code == 409
    url = f"{URL}{referral['id']}/persons/{referral['persons'][0]['id']}/protection/"
    assert ice.post(url, {"protected_1367": True}, format="json").status_code == 409
