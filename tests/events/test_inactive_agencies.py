"""Security review (issue 16) M2: a deactivated agency, or a revoked client's subscriptions, get no webhooks."""

from __future__ import annotations

import pytest

from events.delivery import delivery_attempt
from events.models import Delivery
from tests.events.helpers import emit, subscribe


@pytest.fixture
def ice_subscription(seeded, settings, receiver):
    from referral_api.celery import app

    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    subscription, _secret = subscribe("ICE", url=receiver.url, event_types=["referral.status_changed"])
    yield subscription
    app.conf.task_always_eager = before


def test_m2_deactivated_agency_gets_no_new_deliveries(ice_subscription, receiver):
    from agencies.models import Agency

    Agency.objects.filter(code="ICE").update(active=False)
    emit(event_type="referral.status_changed")
    assert Delivery.objects.count() == 0
    assert receiver.requests == []


def test_m2_delivery_queued_before_deactivation_is_not_sent(ice_subscription, receiver):
    from agencies.models import Agency

    emit(event_type="referral.status_changed")
    delivery = Delivery.objects.get()
    Agency.objects.filter(code="ICE").update(active=False)
    assert delivery_attempt(str(delivery.id)) == Delivery.Status.FAILED
    assert receiver.requests == []
    delivery.refresh_from_db()
    assert delivery.last_error == "Agency or client inactive."


def test_m2_subscription_of_a_revoked_client_gets_nothing(ice_subscription, receiver, make_client):
    from agencies.services import client_revoke
    from events.models import WebhookSubscription

    issued = make_client("ICE")
    WebhookSubscription.objects.filter(pk=ice_subscription.pk).update(created_by_client_id=issued.client.client_id)
    emit(event_type="referral.status_changed")
    queued = Delivery.objects.get()
    client_revoke(client_id=issued.client.client_id)
    emit(event_type="referral.status_changed")
    assert Delivery.objects.count() == 1  # none created for the second event
    assert delivery_attempt(str(queued.id)) == Delivery.Status.FAILED
    assert receiver.requests == []


def test_m2_active_agency_still_gets_its_deliveries(ice_subscription, receiver):
    emit(event_type="referral.status_changed")
    assert delivery_attempt(str(Delivery.objects.get().id)) == Delivery.Status.SUCCEEDED
    assert len(receiver.requests) == 1
