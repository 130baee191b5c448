"""Events and deliveries retention: only a prefix of the feed older than EVENT_RETENTION_DAYS is pruned, never
past a pending delivery; a cursor that was pruned answers 410 ``gone``."""

from __future__ import annotations

import datetime
import io

import orjson
import pytest
from django.core.management import call_command
from django.utils import timezone

from agencies.models import Agency
from events.feed import feed_sequence
from events.models import Delivery, DeliveryAttempt, Event, PrunedEvent, WebhookSubscription
from events.retention import events_prune
from tests.events.helpers import emit

FEED = "/api/v1/events/"


def events_aged(days_ago: list[int], agencies=("CBP", "ICE")) -> list[Event]:
    """Emit one event per entry, aged that many days, numbered in that order."""
    for n, _ in enumerate(days_ago):
        emit(n=n, agencies=agencies)
    feed_sequence(wait=True)
    events = list(Event.objects.order_by("position"))
    for event, days in zip(events, days_ago, strict=True):
        Event.objects.filter(pk=event.pk).update(occurred_at=timezone.now() - datetime.timedelta(days=days))
    return events


def subscription(agency="ICE") -> WebhookSubscription:
    return WebhookSubscription.objects.create(
        agency=Agency.objects.get(code=agency), url="https://hooks.example.gov/x", event_types=["referral.created"],
        secret_encrypted=b"x",
    )  # fmt: skip


def test_old_events_deliveries_and_attempts_are_pruned(seeded, settings):
    settings.EVENT_RETENTION_DAYS = 90
    old, recent = events_aged([100, 10])
    sub = subscription()
    for event in (old, recent):
        delivery = Delivery.objects.create(subscription=sub, event=event, status=Delivery.Status.SUCCEEDED)
        DeliveryAttempt.objects.create(delivery=delivery, status_code=200)
    counts = events_prune()
    assert counts == {"events": 1, "deliveries": 1, "attempts": 1, "retention_days": 90}
    assert list(Event.objects.values_list("pk", flat=True)) == [recent.pk]
    assert Delivery.objects.get().event_id == recent.pk
    assert PrunedEvent.objects.get().id == old.pk
    assert events_prune()["events"] == 0  # idempotent


def test_a_pending_delivery_stops_the_prefix(seeded):
    _first, pending, later = events_aged([200, 150, 120])
    sub = subscription()
    Delivery.objects.create(subscription=sub, event=pending, status=Delivery.Status.PENDING)
    events_prune()
    # Only the prefix before the pending delivery's event goes: nothing after it, though it is old too.
    assert set(Event.objects.values_list("pk", flat=True)) == {pending.pk, later.pk}
    Delivery.objects.filter(event=pending).update(status=Delivery.Status.FAILED)
    events_prune()
    assert not Event.objects.exists()


def test_retention_days_setting_is_honoured(seeded, settings):
    settings.EVENT_RETENTION_DAYS = 5
    events_aged([6, 4])
    assert events_prune()["events"] == 1


def test_feed_after_a_pruned_event_is_410_and_a_kept_cursor_misses_nothing(api):
    client = api("CBP", "events:read")
    old, kept, newest = events_aged([120, 100, 1])
    body = client.get(FEED, {"after": str(kept.pk)}).json()
    assert [e["id"] for e in body["results"]] == [str(newest.pk)]
    events_prune()
    response = client.get(FEED, {"after": str(old.pk)})
    assert response.status_code == 410
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["type"].endswith("/gone")
    response = client.get(FEED, {"after": str(kept.pk)})
    assert response.status_code == 410
    # Starting again from the beginning gives the oldest kept event.
    assert [e["id"] for e in client.get(FEED).json()["results"]] == [str(newest.pk)]


def test_another_agencys_pruned_cursor_stays_a_400(api):
    (old, _) = events_aged([120, 1], agencies=("CBP", "ICE"))
    events_prune()
    response = api("USCIS", "events:read").get(FEED, {"after": str(old.pk)})
    assert response.status_code == 400


def test_command_and_schedule(seeded):
    from referral_api.celery import app

    events_aged([400])
    out = io.StringIO()
    call_command("events_prune", "--json", stdout=out)
    assert orjson.loads(out.getvalue())["events"] == 1
    assert app.conf.beat_schedule["events-prune"]["task"] == "events.events_prune"


@pytest.mark.parametrize("days", [89, 90])
def test_events_inside_the_period_are_kept(seeded, days):
    events_aged([days - 1])
    assert events_prune()["events"] == 0
