"""Security suite fixtures: tokens of each agency with chosen scopes, referrals in place, the route list."""

from __future__ import annotations

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tests.foundation.routes import api_operations
from tests.referrals.conftest import ACTION_BODIES, BASE_PERSON, referral_body

ALL_SCOPES = sorted(settings.PARTNER_SCOPES)
READ_ONLY = ["referrals:read", "events:read", "pii:read"]


def BASE_PERSON_COPY() -> dict:
    import copy

    return copy.deepcopy(BASE_PERSON)


def bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def token_client(api):
    """``token_client("ICE", ["referrals:read"])`` -> an APIClient holding a fresh token of a new client."""

    def _make(agency: str = "CBP", scopes: list[str] | None = None) -> APIClient:
        return api(agency, " ".join(ALL_SCOPES if scopes is None else scopes))

    return _make


OPERATIONS = api_operations()


def text_upload(name: str = "note.txt", content: bytes = b"plain text attachment\n"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/plain")


@pytest.fixture
def world(seeded, settings, token_client):
    """Objects of every kind, owned by CBP: a CBP -> ICE referral with a note and an attachment, a CBP webhook
    subscription with a delivery. ``world.ids`` maps each URL parameter name to the id of its object."""
    from events.models import Delivery, WebhookSubscription

    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    cbp, ice = token_client("CBP"), token_client("ICE")
    hook = cbp.post(
        "/api/v1/webhooks/", {"url": "http://127.0.0.1:9/hook", "event_types": ["referral.created"]}, format="json"
    )
    assert hook.status_code == 201, hook.content
    referral = cbp.post("/api/v1/referrals/", referral_body(), format="json")
    assert referral.status_code == 201, referral.content
    referral = referral.json()
    note = cbp.post(
        f"/api/v1/referrals/{referral['id']}/notes/",
        {"body": "First note.", "information_source": "victim"},
        format="json",
    )
    assert note.status_code == 201, note.content
    upload = cbp.post(
        f"/api/v1/referrals/{referral['id']}/attachments/", {"file": text_upload(), "kind": "other"}, format="multipart"
    )
    assert upload.status_code == 201, upload.content
    subscription = WebhookSubscription.objects.get(id=hook.json()["id"])
    delivery = Delivery.objects.filter(subscription=subscription).first()
    assert delivery is not None

    class World:
        pass

    w = World()
    w.cbp, w.ice = cbp, ice
    w.referral = referral
    w.subscription = subscription
    w.ids = {
        "pk": referral["id"],
        "attachment_id": upload.json()["id"],
        "person_id": referral["persons"][0]["id"],
        "subscription_id": str(subscription.id),
        "delivery_id": str(delivery.id),
    }
    # Who owns what a route's first parameter names: the parties of the referral, or the webhook's agency.
    w.owners = {"pk": {"CBP", "ICE"}, "subscription_id": {"CBP"}}
    return w


_PARAM = __import__("re").compile(r"<(?:[^>:]+:)?([^>]+)>")


def concrete_path(operation, ids: dict) -> str:
    """The operation's route with each parameter replaced by the id of a real object (KeyError: unknown name)."""
    return "/api/v1/" + _PARAM.sub(lambda m: ids[m.group(1)], operation.route)


def route_params(operation) -> list[str]:
    return _PARAM.findall(operation.route)


WRITE_BODIES = {
    # Valid bodies, so a refusal is about who is asking, not what was sent.
    "referrals/<uuid:pk>/notes/": {"body": "A note.", "information_source": "victim"},
    "webhooks/": {"url": "http://127.0.0.1:9/other", "event_types": ["referral.created"]},
    "webhooks/<uuid:subscription_id>/": {"description": "changed"},
    **{f"referrals/<uuid:pk>/{action}/": body for action, body in ACTION_BODIES.items()},
}


def send(client: APIClient, operation, path: str, *, body=None, **headers):
    """Call ``operation`` at ``path`` with a valid body for it (or ``body``)."""
    method = operation.method.lower()
    if method in ("get", "delete"):
        return getattr(client, method)(path, **headers)
    if operation.route.endswith("attachments/") and method == "post":
        return client.post(path, {"file": text_upload(), "kind": "other"}, format="multipart", **headers)
    if method == "patch" and operation.route == "referrals/<uuid:pk>/":
        headers.setdefault("HTTP_IF_MATCH", '"1"')
        body = body if body is not None else {"priority": "urgent"}
    payload = body if body is not None else WRITE_BODIES.get(operation.route, {})
    return getattr(client, method)(path, payload, format="json", **headers)
