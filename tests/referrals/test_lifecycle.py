"""Every cell of the lifecycle table: each action, from each status, by each side."""

from __future__ import annotations

import pytest

from referrals.lifecycle import STATUS_ACTIONS, TRANSITIONS
from referrals.models import Referral, StatusEvent
from tests.referrals.conftest import ACTION_BODIES, PATHS, action_body, source_status

STATUSES = list(PATHS)
CELLS = [(action, status, side) for action in TRANSITIONS for status in STATUSES for side in ("sender", "receiver")]


@pytest.mark.parametrize(("action", "status", "side"), CELLS, ids=[f"{a}-{s}-{d}" for a, s, d in CELLS])
def test_lifecycle_cell(make_referral, cbp, ice, action, status, side):
    referral = make_referral(status)
    transition = TRANSITIONS[action]
    actor = cbp if side == "sender" else ice
    before = Referral.objects.get(pk=referral["id"])
    events_before = StatusEvent.objects.filter(referral_id=referral["id"]).count()

    response = actor.post(f"/api/v1/referrals/{referral['id']}/{action}/", action_body(action, referral), format="json")

    after = Referral.objects.get(pk=referral["id"])
    if side != transition.actor:
        assert response.status_code == 403, response.content
        assert response.json()["type"].endswith("/permission-denied")
    elif status not in transition.sources:
        assert response.status_code == 409, response.content
        body = response.json()
        assert body["type"].endswith("/invalid-transition")
        assert body["allowed_actions"] == [a for a, t in TRANSITIONS.items() if t.actor == side and status in t.sources]
    elif transition.target is None:  # forward: a new child referral, the original's status unchanged
        assert response.status_code == 201, response.content
        assert response.json()["parent"] == {"id": referral["id"], "reference": referral["reference"]}
        assert (after.status, after.version) == (status, before.version + 1)
        event = StatusEvent.objects.filter(referral_id=referral["id"]).order_by("-created_at").first()
        assert (event.from_status, event.to_status, event.action) == (status, status, action)
        return
    else:
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["status"] == transition.target
        assert body["version"] == before.version + 1
        assert response["ETag"] == f'"{before.version + 1}"'
        assert after.status == transition.target
        event = StatusEvent.objects.filter(referral_id=referral["id"]).order_by("-created_at").first()
        assert (event.from_status, event.to_status, event.action) == (status, transition.target, action)
        assert event.actor_agency.code == ("CBP" if side == "sender" else "ICE")
        return
    # Refused: nothing changed and no status event was written.
    assert (after.status, after.version) == (before.status, before.version)
    assert StatusEvent.objects.filter(referral_id=referral["id"]).count() == events_before


@pytest.mark.parametrize("status", STATUSES)
def test_allowed_actions_match_the_table_for_each_side(make_referral, cbp, ice, status):
    referral = make_referral(status)
    for client, side in ((cbp, "sender"), (ice, "receiver")):
        shown = client.get(f"/api/v1/referrals/{referral['id']}/").json()["allowed_actions"]
        expected = [a for a, t in TRANSITIONS.items() if t.actor == side and status in t.sources]
        assert shown == expected


def test_allowed_actions_empty_without_write_scope(make_referral, api):
    referral = make_referral()
    reader = api("ICE", "referrals:read")
    assert reader.get(f"/api/v1/referrals/{referral['id']}/").json()["allowed_actions"] == []


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("reject", {"reason": "x"}, "reason_code"),
        ("reject", {"reason_code": "nope", "reason": "x"}, "reason_code"),
        ("reject", {"reason_code": "duplicate"}, "reason"),
        ("request-info", {}, "question"),
        ("hold", {}, "reason"),
        ("complete", {"outcome": "x"}, "outcome_code"),
        ("complete", {"outcome_code": "services_provided", "outcome": ""}, "outcome"),
        ("withdraw", {}, "reason"),
        ("acknowledge", {"note": "x"}, "note"),
        ("accept", {"assignee": "x" * 201}, "assignee"),
    ],
)
def test_action_body_is_validated(make_referral, cbp, ice, action, body, field):
    status = {"hold": "in_progress", "complete": "accepted"}.get(action, "submitted")
    referral = make_referral(status)
    actor = cbp if TRANSITIONS[action].actor == "sender" else ice
    response = actor.post(f"/api/v1/referrals/{referral['id']}/{action}/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in {e["field"] for e in response.json()["errors"]}
    assert Referral.objects.get(pk=referral["id"]).version == referral["version"]


def test_full_history_oldest_first_with_reasons(make_referral, cbp, ice):
    referral = make_referral("on_hold")
    history = cbp.get(f"/api/v1/referrals/{referral['id']}/history/").json()["results"]
    assert [(e["from_status"], e["to_status"]) for e in history] == [
        (None, "submitted"),
        ("submitted", "accepted"),
        ("accepted", "in_progress"),
        ("in_progress", "on_hold"),
    ]
    assert history[-1]["reason"] == ACTION_BODIES["hold"]["reason"]
    assert history[-1]["actor"]["agency"] == "ICE"


def test_terminal_referral_is_never_reopened(make_referral, cbp, ice):
    for status in ("rejected", "completed", "withdrawn", "recalled"):
        referral = make_referral(status)
        for action in TRANSITIONS:
            actor = cbp if TRANSITIONS[action].actor == "sender" else ice
            response = actor.post(
                f"/api/v1/referrals/{referral['id']}/{action}/", action_body(action, referral), format="json"
            )
            assert response.status_code == 409
        assert Referral.objects.get(pk=referral["id"]).status == status


def test_stale_if_match_on_action_is_412(make_referral, ice):
    referral = make_referral()
    response = ice.post(f"/api/v1/referrals/{referral['id']}/acknowledge/", {}, format="json", HTTP_IF_MATCH='"7"')
    assert response.status_code == 412
    assert Referral.objects.get(pk=referral["id"]).status == "submitted"
    response = ice.post(f"/api/v1/referrals/{referral['id']}/acknowledge/", {}, format="json", HTTP_IF_MATCH='"1"')
    assert response.status_code == 200


def test_acknowledgement_timestamps(make_referral, ice):
    referral = make_referral("acknowledged")
    row = Referral.objects.get(pk=referral["id"])
    assert row.acknowledged_at is not None
    assert referral["acknowledged_at"] is not None


# --- the table drives each action's body and what it records ------------------------------------------------
@pytest.mark.parametrize("action", STATUS_ACTIONS)
def test_each_required_field_of_the_table_is_required(make_referral, cbp, ice, action):
    transition = TRANSITIONS[action]
    referral = make_referral(source_status(action))
    actor = cbp if transition.actor == "sender" else ice
    for name in transition.required:
        body = {k: v for k, v in ACTION_BODIES[action].items() if k != name}
        response = actor.post(f"/api/v1/referrals/{referral['id']}/{action}/", body, format="json")
        assert response.status_code == 400, (action, name, response.content)
        assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [(name, "required")]
    assert Referral.objects.get(pk=referral["id"]).version == referral["version"]


@pytest.mark.parametrize("action", STATUS_ACTIONS)
def test_the_status_event_and_referral_record_what_the_table_says(make_referral, cbp, ice, action):
    transition = TRANSITIONS[action]
    referral = make_referral(source_status(action))
    actor = cbp if transition.actor == "sender" else ice
    body = ACTION_BODIES[action]
    response = actor.post(f"/api/v1/referrals/{referral['id']}/{action}/", body, format="json")
    assert response.status_code == 200, response.content
    event = StatusEvent.objects.filter(referral_id=referral["id"], action=action).get()
    assert event.reason == (body[transition.reason] if transition.reason else None)
    assert event.reason_code == (body[transition.reason_code] if transition.reason_code else None)
    row = Referral.objects.get(pk=referral["id"])
    for column in transition.stamps:
        expected = body.get(column) if column in transition.field_names else event.created_at
        if column == "acknowledged_at" and referral["acknowledged_at"] is not None:
            continue  # set once, by the first answer
        assert getattr(row, column) == expected, (action, column)
    unstamped = {c for t in TRANSITIONS.values() for c in t.stamps} - set(transition.stamps)
    before = dict(referral)
    for column in unstamped & set(before):
        assert response.json()[column] == before[column], (action, column)


def test_the_openapi_request_bodies_are_the_tables():
    import yaml
    from django.conf import settings

    document = yaml.safe_load((settings.BASE_DIR / "schema" / "openapi.yaml").read_text())
    schemas = document["components"]["schemas"]
    for action, transition in TRANSITIONS.items():
        operation = document["paths"][f"/api/v1/referrals/{{id}}/{action}/"]["post"]
        if not transition.fields:
            assert "requestBody" not in operation, action  # an action without fields takes ``{}`` or no body
            continue
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        schema = schemas[ref.rsplit("/", 1)[1]]
        assert set(schema.get("properties", {})) == set(transition.field_names), action
        assert set(schema.get("required", [])) == set(transition.required), action
