"""Reads on webhook subscriptions and deliveries, always narrowed to one agency first."""

from __future__ import annotations

from django.db.models import QuerySet

from agencies.models import Agency
from events.errors import NotVisible
from events.models import Delivery, WebhookSubscription


def webhook_subscriptions_of(*, agency: Agency) -> QuerySet[WebhookSubscription]:
    """The agency's subscriptions: to every other agency they do not exist."""
    return WebhookSubscription.objects.filter(agency=agency)


def webhook_subscription_of(*, agency: Agency, subscription_id) -> WebhookSubscription:
    """One of the agency's subscriptions, or raise ``NotVisible``."""
    subscription = webhook_subscriptions_of(agency=agency).filter(id=subscription_id).first()
    if subscription is None:
        raise NotVisible()
    return subscription


def deliveries_of(*, subscription: WebhookSubscription) -> QuerySet[Delivery]:
    """A subscription's deliveries, with their event and attempts (for their representation)."""
    return Delivery.objects.filter(subscription=subscription).select_related("event").prefetch_related("attempts")


def delivery_of(*, subscription: WebhookSubscription, delivery_id) -> Delivery:
    """One delivery of the subscription, or raise ``NotVisible``."""
    delivery = deliveries_of(subscription=subscription).filter(id=delivery_id).first()
    if delivery is None:
        raise NotVisible()
    return delivery
