"""API1:2023 Broken object level authorization.

Every object route under /api/v1/ (found from the URL resolver, so a new route is covered the day it is added),
every method, with a token holding every partner scope of each agency that does not own the object: the answer
is 404 ``not-found`` (the same as for an id that does not exist, so existence does not leak), and nothing
changes. The owners themselves get through (so the ids are real).
"""

from __future__ import annotations

import pytest

from tests.security.conftest import OPERATIONS, concrete_path, route_params, send

AGENCIES = ("CBP", "ICE", "USCIS")
OBJECT_OPERATIONS = [op for op in OPERATIONS if op.has_path_params]


def test_object_routes_are_found():
    routes = {op.route for op in OBJECT_OPERATIONS}
    assert "referrals/<uuid:pk>/" in routes
    assert "referrals/<uuid:pk>/attachments/<uuid:attachment_id>/content/" in routes
    assert "webhooks/<uuid:subscription_id>/deliveries/" in routes
    assert len(OBJECT_OPERATIONS) >= 20


def _state(world):
    from audit.models import AuditEntry  # noqa: F401 - imported for its table being there
    from events.models import Delivery, WebhookSubscription
    from referrals.models import Note, Referral

    referral = Referral.objects.get(pk=world.ids["pk"])
    subscription = WebhookSubscription.objects.get(pk=world.ids["subscription_id"])
    return (
        referral.version,
        referral.status,
        Note.objects.filter(referral=referral).count(),
        referral.attachments.count() if hasattr(referral, "attachments") else None,
        subscription.description,
        subscription.active,
        subscription.url,
        Delivery.objects.count(),
        WebhookSubscription.objects.count(),
    )


def _denials(agency: str) -> list[tuple]:
    from audit.models import AuditEntry

    rows = AuditEntry.objects.filter(outcome="denied", agency_code=agency).order_by("id")
    return list(rows.values_list("object_type", "object_id", "reason"))


@pytest.mark.parametrize("operation", OBJECT_OPERATIONS, ids=lambda op: op.id)
def test_other_agencies_get_404_and_change_nothing(world, token_client, operation):
    params = route_params(operation)
    unknown = [p for p in params if p not in world.ids]
    assert not unknown, f"{operation.id}: add an object for {unknown} to the `world` fixture"
    path = concrete_path(operation, world.ids)
    owners = world.owners["subscription_id" if "subscription_id" in params else "pk"]
    before = _state(world)
    audited_type = "webhook_subscription" if "subscription_id" in params else "referral"
    object_id = world.ids["subscription_id" if "subscription_id" in params else "pk"]
    for agency in AGENCIES:
        if agency in owners:
            continue
        denied_before = _denials(agency)
        response = send(token_client(agency), operation, path)
        assert response.status_code == 404, (agency, operation.id, response.status_code, response.content[:300])
        # NIST SP 800-53 AU-2: each refusal is one audit row naming the object and the refused caller.
        assert _denials(agency) == [*denied_before, (audited_type, object_id, "http_404")], operation.id
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["type"].endswith("/not-found")
        # The answer says nothing about the object.
        assert world.ids["pk"] not in response.content.decode() or "instance" in response.json()
    assert _state(world) == before


@pytest.mark.parametrize("operation", [op for op in OBJECT_OPERATIONS if op.method == "GET"], ids=lambda op: op.id)
def test_owners_get_through(world, operation):
    path = concrete_path(operation, world.ids)
    response = send(world.cbp, operation, path)
    assert response.status_code == 200, (operation.id, response.content[:300])


def test_a_missing_id_and_a_foreign_id_answer_alike(world, token_client):
    import uuid

    uscis = token_client("USCIS")
    foreign = uscis.get(f"/api/v1/referrals/{world.ids['pk']}/")
    missing = uscis.get(f"/api/v1/referrals/{uuid.uuid4()}/")
    assert foreign.status_code == missing.status_code == 404
    strip = lambda r: {k: v for k, v in r.json().items() if k not in ("instance", "request_id")}  # noqa: E731
    assert strip(foreign) == strip(missing)


def test_lists_show_only_the_callers_objects(world, token_client):
    uscis = token_client("USCIS")
    assert uscis.get("/api/v1/referrals/").json()["results"] == []
    assert uscis.get("/api/v1/webhooks/").json()["results"] == []
    assert uscis.get("/api/v1/events/").json()["results"] == []
    ice = world.ice
    assert [w["id"] for w in ice.get("/api/v1/webhooks/").json()["results"]] == []
    assert [r["id"] for r in ice.get("/api/v1/referrals/").json()["results"]] == [world.ids["pk"]]


def test_a_party_cannot_take_the_other_sides_actions(world):
    """Object-level, not route-level: the receiver-only and sender-only actions (see tests/referrals for the
    full lifecycle table)."""
    pk = world.ids["pk"]
    sender_tries = world.cbp.post(f"/api/v1/referrals/{pk}/accept/", {}, format="json")
    assert sender_tries.status_code == 403
    assert sender_tries.json()["type"].endswith("/permission-denied")
    receiver_tries = world.ice.post(f"/api/v1/referrals/{pk}/withdraw/", {"reason": "no"}, format="json")
    assert receiver_tries.status_code == 403
    receiver_edits = world.ice.patch(
        f"/api/v1/referrals/{pk}/", {"priority": "urgent"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert receiver_edits.status_code == 403
