"""One delivery attempt, in-process: signature, success, retries with backoff, 410, timeouts, the sweeper."""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.context import AuditContext
from events.delivery import delivery_attempt, retry_delay
from events.models import Delivery, DeliveryAttempt, WebhookSubscription
from events.services import webhook_subscription_rotate_secret
from events.signing import verify
from tests.events.helpers import emit, subscribe


@pytest.fixture
def setup(seeded, settings, receiver):
    from referral_api.celery import app

    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True  # retries wait for the sweeper, not the broker
    subscription, secret = subscribe("ICE", url=receiver.url, event_types=["referral.status_changed"])
    yield subscription, secret
    app.conf.task_always_eager = before


def _only_delivery() -> Delivery:
    return Delivery.objects.get()


def test_delivery_is_signed_per_standard_webhooks(setup, receiver):
    _subscription, secret = setup
    referral_id = emit(event_type="referral.status_changed", data={"from_status": "submitted", "to_status": "accepted"})
    delivery = _only_delivery()
    assert delivery_attempt(str(delivery.id)) == "succeeded"
    (request,) = receiver.requests
    headers, body = request["headers"], request["body"]
    # Verify exactly as docs/webhooks.md tells a receiver to.
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert headers["webhook-signature"] == expected
    assert verify(secret=secret, headers=headers, body=body)
    event = json.loads(body)
    assert headers["webhook-id"] == event["id"] == str(delivery.event_id)
    assert event["referral"]["id"] == str(referral_id)
    assert event["data"] == {"from_status": "submitted", "to_status": "accepted", "actor_agency": "CBP"}
    delivery.refresh_from_db()
    assert delivery.delivered_at is not None and delivery.attempt_count == 1
    assert DeliveryAttempt.objects.get().status_code == 200


def test_after_rotation_both_secrets_sign(setup, receiver):
    subscription, old = setup
    new, _ = webhook_subscription_rotate_secret(subscription=subscription, context=AuditContext())
    emit(event_type="referral.status_changed")
    delivery_attempt(str(_only_delivery().id))
    headers, body = receiver.requests[0]["headers"], receiver.requests[0]["body"]
    assert len(headers["webhook-signature"].split()) == 2
    assert verify(secret=new, headers=headers, body=body) and verify(secret=old, headers=headers, body=body)


def test_failures_back_off_exponentially_then_give_up(setup, receiver, settings):
    receiver.status = 503
    emit(event_type="referral.status_changed")
    delivery = _only_delivery()
    before = timezone.now()
    assert delivery_attempt(str(delivery.id)) == "pending"
    delivery.refresh_from_db()
    wait = (delivery.next_attempt_at - before).total_seconds()
    assert 5 <= wait <= 5 * 1.25 + 1
    assert delivery.last_status_code == 503
    # Not due yet: a second worker (or a duplicate message) does nothing.
    assert delivery_attempt(str(delivery.id)) == "skipped"
    settings.WEBHOOK_RETRY_DELAYS = "0,0"  # two retries after the first attempt
    for expected in ("pending", "failed"):
        Delivery.objects.filter(id=delivery.id).update(next_attempt_at=timezone.now())
        assert delivery_attempt(str(delivery.id)) == expected
    assert DeliveryAttempt.objects.filter(delivery=delivery).count() == 3
    assert len(receiver.requests) == 3


def test_default_schedule_spans_more_than_24_hours():
    total = 0.0
    n = 1
    while (delay := retry_delay(n)) is not None:
        total += delay
        n += 1
    assert total >= 24 * 3600
    assert n - 1 == 10  # ten retries after the first attempt


def test_410_disables_the_subscription(setup, receiver):
    subscription, _ = setup
    receiver.status = 410
    emit(event_type="referral.status_changed")
    assert delivery_attempt(str(_only_delivery().id)) == "failed"
    subscription.refresh_from_db()
    assert subscription.active is False and "410" in subscription.disabled_reason
    emit(event_type="referral.status_changed", n=2)
    assert Delivery.objects.count() == 1  # a disabled subscription gets no new deliveries


def test_a_slow_receiver_times_out(setup, receiver, settings):
    settings.WEBHOOK_READ_TIMEOUT = 0.3
    receiver.delay = 1.0
    emit(event_type="referral.status_changed")
    delivery = _only_delivery()
    assert delivery_attempt(str(delivery.id)) == "pending"
    delivery.refresh_from_db()
    assert delivery.last_error == "Timed out." and delivery.last_status_code is None


def test_a_dead_workers_claim_expires_and_the_sweeper_sends_it(setup, receiver, capsys):
    emit(event_type="referral.status_changed")
    delivery = _only_delivery()
    # A worker claimed it and died: the lease is still running, so nobody may take it.
    Delivery.objects.filter(id=delivery.id).update(lease_until=timezone.now() + datetime.timedelta(minutes=1))
    call_command("webhooks_sweep", "--grace", "0", "--deliver")
    assert receiver.requests == []
    Delivery.objects.filter(id=delivery.id).update(lease_until=timezone.now() - datetime.timedelta(seconds=1))
    call_command("webhooks_sweep", "--grace", "0", "--deliver")
    assert len(receiver.requests) == 1
    assert _only_delivery().status == "succeeded"
    assert WebhookSubscription.objects.get().active


def test_response_bodies_are_not_stored(setup, receiver):
    emit(event_type="referral.status_changed")
    delivery_attempt(str(_only_delivery().id))
    attempt = DeliveryAttempt.objects.get()
    assert not hasattr(attempt, "response_body")
    assert {f.name for f in DeliveryAttempt._meta.fields} == {
        "id",
        "delivery",
        "attempted_at",
        "status_code",
        "error",
        "duration_ms",
    }


def test_the_sweeper_is_on_the_beat_schedule():
    from referral_api.celery import app

    entry = app.conf.beat_schedule["webhooks-sweep"]
    assert entry["task"] == "events.webhooks_sweep"
    assert entry["schedule"] <= 60
    assert "events.webhooks_sweep" in app.tasks and "events.webhook_deliver" in app.tasks
