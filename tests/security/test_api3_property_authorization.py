"""API3:2023 Broken object property level authorization.

Mass assignment: on every write operation under /api/v1/ (found from the URL resolver), a body carrying any
server-owned property next to valid input is refused with 400 naming the property, and nothing changes.
Excessive exposure: without ``pii:read`` every person's identifying fields are null and ``masked`` is true in
every representation (list, detail, create answer, action answer, PATCH answer, idempotent replay); event data
carries no PII; a webhook's secret is shown once.
"""

from __future__ import annotations

import pytest

from referrals.lifecycle import TRANSITIONS
from tests.security.conftest import OPERATIONS, concrete_path, referral_body, send

SERVER_OWNED = [
    "id", "reference", "status", "sender", "version", "created_at", "updated_at", "acknowledge_by", "overdue",
    "allowed_actions", "outcome", "outcome_code_set", "masked", "agency", "secret", "sha256", "size",
    "media_type", "uploaded_by", "scan_status", "disabled_reason", "author", "actor", "client_id", "closed_at",
    "accepted_at", "assigned_by",
]  # fmt: skip
IDENTIFYING = ("given_name", "family_name", "aliases", "date_of_birth", "a_number", "safe_contact", "location")
WRITE_OPERATIONS = [op for op in OPERATIONS if op.method in ("POST", "PATCH", "PUT")]


def _state():
    from events.models import WebhookSubscription
    from referrals.models import Note, Referral

    return (
        sorted(Referral.objects.values_list("id", "version", "status")),
        Note.objects.count(),
        sorted(WebhookSubscription.objects.values_list("id", "url", "description", "active")),
    )


@pytest.mark.parametrize("operation", WRITE_OPERATIONS, ids=lambda op: op.id)
def test_server_owned_properties_are_refused(world, operation):
    path = concrete_path(operation, world.ids)
    # The receiver takes the receiver actions; everything else is the sender's (or the webhook owner's).
    actor = world.ice if operation.route.split("/")[-2] in RECEIVER_ACTIONS else world.cbp
    for name in SERVER_OWNED:
        if operation.route.endswith("attachments/"):
            from tests.security.conftest import text_upload

            response = actor.post(path, {"file": text_upload(), "kind": "other", name: "x"}, format="multipart")
        else:
            from tests.security.conftest import WRITE_BODIES

            base = dict(WRITE_BODIES.get(operation.route, {}))
            if operation.route == "referrals/":
                base = referral_body()
            elif operation.route == "referrals/<uuid:pk>/":
                base = {"priority": "urgent"}
            if name in base:
                continue
            before = _state()
            response = send(actor, operation, path, body={**base, name: "x"})
            assert _state() == before, (operation.id, name)
        assert response.status_code == 400, (operation.id, name, response.status_code, response.content[:300])
        body = response.json()
        assert body["type"].endswith("/validation-error")
        assert name in {e["field"] for e in body["errors"]}, (operation.id, name, body["errors"])


RECEIVER_ACTIONS = {action for action, t in TRANSITIONS.items() if t.actor == "receiver"}


def test_nested_server_owned_properties_are_refused(token_client):
    cbp = token_client("CBP")
    # (``is_minor`` is writable on input: the sender may flag a minor whose date of birth is unknown.)
    for extra in ({"id": "x"}, {"masked": False}, {"outcome": "x"}):
        body = referral_body()
        body["persons"][0].update(extra)
        response = cbp.post("/api/v1/referrals/", body, format="json")
        assert response.status_code == 400, extra
        field = f"persons[0].{next(iter(extra))}"
        assert field in {e["field"] for e in response.json()["errors"]}
    body = referral_body()
    body["receiver"]["agency_id"] = 1
    assert cbp.post("/api/v1/referrals/", body, format="json").status_code == 400
    from referrals.models import Referral

    assert Referral.objects.count() == 0


def test_the_sender_is_always_the_callers_agency(token_client):
    cbp = token_client("CBP")
    response = cbp.post("/api/v1/referrals/", referral_body(sender={"agency": "ICE"}), format="json")
    assert response.status_code == 400
    created = cbp.post("/api/v1/referrals/", referral_body(), format="json").json()
    assert created["sender"]["agency"] == "CBP"


# --- masking without pii:read ------------------------------------------------------------------------------
NO_PII = ["referrals:read", "referrals:write", "events:read", "webhooks:manage"]


def assert_masked(referral: dict):
    assert referral["persons"], referral
    for person in referral["persons"]:
        assert person["masked"] is True
        for name in IDENTIFYING:
            assert person[name] is None, (name, person)
        # What stays: role, sex, citizenships, languages, is_minor, protected_1367.
        assert person["role"] and person["sex"] and person["citizenships"]


def assert_no_pii_text(content: bytes):
    text = content.decode()
    for secret in ("Maria", "Lopez", "A123456789", "5555550100", "1999-04-01", "San Diego"):
        assert secret not in text, secret


def test_every_representation_is_masked_without_pii_read(seeded, token_client):
    cbp = token_client("CBP", NO_PII)
    ice = token_client("ICE", NO_PII)

    sent = referral_body()
    created = cbp.post("/api/v1/referrals/", sent, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert created.status_code == 201
    assert_masked(created.json())
    assert_no_pii_text(created.content)
    pk = created.json()["id"]

    replay = cbp.post("/api/v1/referrals/", sent, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert_masked(replay.json())
    assert_no_pii_text(replay.content)

    for response in (
        cbp.get("/api/v1/referrals/"),
        ice.get("/api/v1/referrals/"),
    ):
        assert response.status_code == 200
        for referral in response.json()["results"]:
            assert_masked(referral)
        assert_no_pii_text(response.content)

    for client in (cbp, ice):
        detail = client.get(f"/api/v1/referrals/{pk}/")
        assert detail.status_code == 200
        assert_masked(detail.json())
        assert_no_pii_text(detail.content)

    patched = cbp.patch(f"/api/v1/referrals/{pk}/", {"priority": "urgent"}, format="json", HTTP_IF_MATCH='"1"')
    assert patched.status_code == 200, patched.content
    assert_masked(patched.json())
    assert_no_pii_text(patched.content)

    acted = ice.post(f"/api/v1/referrals/{pk}/acknowledge/", {}, format="json")
    assert acted.status_code == 200, acted.content
    assert_masked(acted.json())
    assert_no_pii_text(acted.content)

    for path in (f"/api/v1/referrals/{pk}/history/", f"/api/v1/referrals/{pk}/access-log/", "/api/v1/events/"):
        response = ice.get(path)
        assert response.status_code == 200, (path, response.content[:200])
        assert_no_pii_text(response.content)


def test_with_pii_read_the_same_fields_are_shown(seeded, token_client):
    cbp = token_client("CBP")
    created = cbp.post("/api/v1/referrals/", referral_body(), format="json").json()
    person = created["persons"][0]
    assert person["masked"] is False
    assert person["given_name"] == "Maria"
    assert person["a_number"] == "A123456789"


def test_event_data_carries_no_pii(seeded, token_client):
    cbp = token_client("CBP")
    created = cbp.post("/api/v1/referrals/", referral_body(), format="json").json()
    cbp.patch(
        f"/api/v1/referrals/{created['id']}/",
        {"summary": "Updated summary", "persons": referral_body()["persons"]},
        format="json",
        HTTP_IF_MATCH='"1"',
    )
    feed = cbp.get("/api/v1/events/")
    assert feed.status_code == 200
    assert len(feed.json()["results"]) >= 2
    assert_no_pii_text(feed.content)
    from events.models import Event

    for event in Event.objects.all():
        assert_no_pii_text(str(event.data).encode())


def test_a_webhook_secret_is_shown_once(world):
    listed = world.cbp.get("/api/v1/webhooks/")
    detail = world.cbp.get(f"/api/v1/webhooks/{world.ids['subscription_id']}/")
    for response in (listed, detail):
        assert response.status_code == 200
        assert "whsec_" not in response.content.decode()
        assert "secret" not in response.content.decode().replace("rotate-secret", "")


# --- lifecycle actions take exactly the fields of their row of the table -------------------------------------
def _table_names() -> set[str]:
    return {n for t in TRANSITIONS.values() for n in (*t.field_names, *t.stamps)}


@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_an_action_refuses_every_field_its_row_does_not_name(world, action):
    """What one action takes or any action stamps (``closed_at``, ``outcome``, ``assignee`` ...) is not input to
    another: each is a 400 naming it, whatever the referral's status, and nothing changes."""
    transition = TRANSITIONS[action]
    actor = world.ice if transition.actor == "receiver" else world.cbp
    path = f"/api/v1/referrals/{world.ids['pk']}/{action}/"
    foreign = sorted(_table_names() - set(transition.field_names))
    assert foreign
    for name in foreign:
        before = _state()
        response = actor.post(path, {**transition.example_body(), name: "x"}, format="json")
        assert response.status_code == 400, (action, name, response.content[:300])
        assert name in {e["field"] for e in response.json()["errors"]}, (action, name)
        assert _state() == before
