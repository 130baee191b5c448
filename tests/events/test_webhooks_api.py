"""Webhook subscriptions API: ownership, secrets shown once and stored encrypted, audit, delivery log."""

from __future__ import annotations

import base64
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.models import AuditEntry
from events.models import Delivery, DeliveryAttempt, WebhookSubscription
from events.selectors import webhook_signing_secrets
from tests.events.helpers import emit

HOOKS = "/api/v1/webhooks/"
BODY = {"url": "https://hooks.example.net/x", "event_types": ["referral.created"], "description": "inbox"}


@pytest.fixture
def public_dns(monkeypatch):
    """Resolve every name to a public documentation-free address (no network in tests)."""
    import referral_api.ssrf

    monkeypatch.setattr(referral_api.ssrf, "resolve", lambda host, port: ["93.184.215.14"])


@pytest.fixture
def hooks(api, public_dns):
    return api("CBP", "webhooks:manage")


def test_create_answers_the_secret_once_and_stores_it_encrypted(hooks):
    response = hooks.post(HOOKS, BODY, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["secret"].startswith("whsec_")
    assert len(base64.b64decode(body["secret"].removeprefix("whsec_"))) == 32
    assert response["Location"] == f"/api/v1/webhooks/{body['id']}/"
    assert {k: body[k] for k in BODY} == BODY
    assert body["active"] is True
    stored = WebhookSubscription.objects.get(id=body["id"])
    assert stored.agency.code == "CBP"
    assert body["secret"].encode() not in bytes(stored.secret_encrypted)
    assert webhook_signing_secrets(stored) == [body["secret"]]
    again = hooks.get(f"{HOOKS}{body['id']}/").json()
    assert "secret" not in again
    assert AuditEntry.objects.filter(action="webhook.create", object_id=body["id"], agency_code="CBP").exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**BODY, "secret": "whsec_x"}, "secret"),
        ({**BODY, "id": str(uuid.uuid4())}, "id"),
        ({**BODY, "colour": "red"}, "colour"),
        ({**BODY, "event_types": []}, "event_types"),
        ({**BODY, "event_types": ["referral.deleted"]}, "event_types.0"),
        ({"event_types": ["referral.created"]}, "url"),
        ({**BODY, "url": "ftp://hooks.example.net/"}, "url"),
        ({**BODY, "url": "http://hooks.example.net/"}, "url"),
        ({**BODY, "url": "https://user:pw@hooks.example.net/"}, "url"),
    ],
)
def test_invalid_bodies_are_400_naming_the_field(hooks, body, field):
    response = hooks.post(HOOKS, body, format="json")
    assert response.status_code == 400
    assert response.json()["type"].endswith("/validation-error")
    # A list item is named `event_types[0]` (or `event_types.0`): match on the field's name.
    fields = [e["field"].replace("[", ".").rstrip("]") for e in response.json()["errors"]]
    assert field.replace("[", ".").rstrip("]") in fields
    assert not WebhookSubscription.objects.exists()


def test_update_rotate_delete_are_audited(hooks):
    created = hooks.post(HOOKS, BODY, format="json").json()
    url = f"{HOOKS}{created['id']}/"
    response = hooks.patch(url, {"event_types": ["referral.overdue", "referral.created"]}, format="json")
    assert response.status_code == 200
    assert response.json()["event_types"] == ["referral.created", "referral.overdue"]
    assert hooks.patch(url, {"secret": "x"}, format="json").status_code == 400

    rotated = hooks.post(f"{url}rotate-secret/")
    assert rotated.status_code == 200
    new_secret = rotated.json()["secret"]
    assert new_secret != created["secret"]
    # During the overlap both secrets sign, newest first.
    assert webhook_signing_secrets(WebhookSubscription.objects.get(id=created["id"])) == [new_secret, created["secret"]]

    assert hooks.delete(url).status_code == 204
    assert not WebhookSubscription.objects.exists()
    actions = set(AuditEntry.objects.filter(object_id=created["id"]).values_list("action", flat=True))
    assert {"webhook.create", "webhook.update", "webhook.rotate_secret", "webhook.delete"} <= actions


def test_other_agencies_subscriptions_are_404_on_every_route(api, hooks):
    created = hooks.post(HOOKS, BODY, format="json").json()
    other = api("ICE", "webhooks:manage")
    base = f"{HOOKS}{created['id']}/"
    assert other.get(HOOKS).json()["results"] == []
    for method, path in [
        ("get", base),
        ("patch", base),
        ("delete", base),
        ("post", f"{base}rotate-secret/"),
        ("get", f"{base}deliveries/"),
        ("post", f"{base}deliveries/{uuid.uuid4()}/redeliver/"),
    ]:
        response = getattr(other, method)(path, {}, format="json")
        assert response.status_code == 404, (method, path)
        assert response.json()["type"].endswith("/not-found")
    assert WebhookSubscription.objects.filter(id=created["id"]).exists()


FIXED_ID = "00000000-0000-4000-8000-0000000000aa"


@pytest.mark.parametrize("path", [HOOKS, f"{HOOKS}{FIXED_ID}/", f"{HOOKS}{FIXED_ID}/deliveries/"])
def test_webhooks_need_a_token_and_the_manage_scope(api, anon, path):
    assert anon.get(path).status_code == 401
    response = api("CBP", "events:read referrals:read").get(path)
    assert response.status_code == 403
    assert response.json()["type"].endswith("/insufficient-scope")


def test_list_query_count_is_constant(hooks, django_assert_num_queries):
    hooks.post(HOOKS, BODY, format="json")
    hooks.get(HOOKS)  # the token is cached from its second use (referral_api/authentication.py)
    with CaptureQueriesContext(connection) as one:
        assert len(hooks.get(HOOKS).json()["results"]) == 1
    expected = len(one.captured_queries)
    for _ in range(5):
        hooks.post(HOOKS, BODY, format="json")
    with django_assert_num_queries(expected):
        assert len(hooks.get(HOOKS).json()["results"]) == 6


def test_event_creates_deliveries_for_matching_active_subscriptions(api, hooks):
    matching = hooks.post(HOOKS, BODY, format="json").json()
    hooks.post(HOOKS, {**BODY, "event_types": ["referral.overdue"]}, format="json")
    paused = hooks.post(HOOKS, BODY, format="json").json()
    hooks.patch(f"{HOOKS}{paused['id']}/", {"active": False}, format="json")
    api("USCIS", "webhooks:manage").post(HOOKS, BODY, format="json")  # not a party
    emit(agencies=("CBP", "ICE"))
    assert list(Delivery.objects.values_list("subscription_id", flat=True)) == [uuid.UUID(matching["id"])]


def test_delivery_log_is_paginated_with_constant_queries_and_redeliverable(hooks, django_assert_num_queries):
    created = hooks.post(HOOKS, BODY, format="json").json()
    log = f"{HOOKS}{created['id']}/deliveries/"
    emit()
    delivery = Delivery.objects.get()
    DeliveryAttempt.objects.create(delivery=delivery, status_code=503)
    hooks.get(log)  # the token is cached from its second use
    with CaptureQueriesContext(connection) as one:
        assert len(hooks.get(log).json()["results"]) == 1
    expected = len(one.captured_queries)
    for n in range(6):
        emit(n=n)
    for d in Delivery.objects.all():
        DeliveryAttempt.objects.create(delivery=d, status_code=500)
        DeliveryAttempt.objects.create(delivery=d, error="Timed out.")
    with django_assert_num_queries(expected):
        page = hooks.get(log, {"page_size": 5}).json()
    assert len(page["results"]) == 5 and page["next"]
    rest = hooks.get(page["next"]).json()
    assert len(rest["results"]) == 2 and rest["next"] is None
    first = page["results"][0]
    assert {"id", "event", "status", "attempt_count", "attempts", "last_status_code"} <= set(first)

    Delivery.objects.filter(id=delivery.id).update(status="failed", attempt_count=11)
    response = hooks.post(f"{log}{delivery.id}/redeliver/")
    assert response.status_code == 202
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempt_count) == ("pending", 0)
    assert hooks.post(f"{log}{uuid.uuid4()}/redeliver/").status_code == 404
