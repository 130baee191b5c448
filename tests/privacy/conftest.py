"""Privacy fixtures: referral fixtures, a private attachment store, a second key, and a full data set."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from tests.factories import referral_body

URL = "/api/v1/referrals/"


@pytest.fixture(autouse=True)
def _own_attachment_store(attachment_dir):
    """Each privacy test stores attachments in its own directory."""


@pytest.fixture
def public_dns(monkeypatch):
    """Webhook URLs resolve to a public address (no network in tests)."""
    import referral_api.ssrf

    monkeypatch.setattr(referral_api.ssrf, "resolve", lambda host, port: ["93.184.215.14"])


@pytest.fixture
def new_key():
    return Fernet.generate_key().decode()


CASE = {
    "sender_case_number": "OFO-CASE-77",
    "title": "Farm labor contractor",
    "locations": [{"city": "Salinas", "state": "CA", "country": "US", "description": "fields"}],
    "organizations": [{"name": "Acme Farms", "kind": "farm"}],
}


@pytest.fixture
def dataset(cbp, ice, make_referral, public_dns):
    """Referrals in several states (persons, a case, status events with reasons, notes), a webhook subscription
    with a rotated secret, and an attachment: at least one value in every encrypted column."""
    from tests.attachments.conftest import TEXT_BYTES, upload

    victim = make_referral("on_hold")
    make_referral("rejected")
    make_referral("completed")
    case_body = referral_body(
        referral_type="investigative_lead",
        receiver={"agency": "ICE", "office": "HSI"},
        case=CASE,
        persons=[
            {"role": "suspect", "given_name": "Rex", "family_name": "Stone", "aliases": [], "a_number": None},
        ],
    )
    response = cbp.post(URL, case_body, format="json")
    assert response.status_code == 201, response.content
    case = response.json()
    note = cbp.post(f"{URL}{victim['id']}/notes/", {"body": "First note", "information_source": "other"}, format="json")
    assert note.status_code == 201, note.content
    accepted = make_referral("accepted")
    attachment = upload(cbp, victim["id"], TEXT_BYTES, name="Maria-interview.txt", description="Maria's notes")
    assert attachment.status_code == 201, attachment.content
    hooks = cbp
    created = hooks.post(
        "/api/v1/webhooks/", {"url": "https://hooks.example.net/x", "event_types": ["referral.created"]}, format="json"
    )
    assert created.status_code == 201, created.content
    rotated = hooks.post(f"/api/v1/webhooks/{created.json()['id']}/rotate-secret/", {}, format="json")
    assert rotated.status_code == 200, rotated.content
    return {
        "referral_ids": [victim["id"], case["id"], accepted["id"]],
        "victim": victim,
        "attachment": attachment.json(),
        "attachment_content": TEXT_BYTES,
        "webhook_id": created.json()["id"],
        "webhook_secrets": [rotated.json()["secret"], created.json()["secret"]],
    }
