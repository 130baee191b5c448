"""Events and deliveries retention: feed events, their webhook deliveries and attempts older than
``EVENT_RETENTION_DAYS`` (default 90) are deleted by ``events_prune`` and the daily scheduler job.

Only a **prefix of the feed** is ever pruned: every numbered event below a horizon position, where the horizon is
the first event that is still inside the retention period or still has a pending delivery (a receiver that is
down keeps its events until they are delivered or given up). So a client whose ``after`` is kept never misses
a pruned event, and a client whose ``after`` was pruned gets 410 ``gone`` (``PrunedEvent``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from events.models import Delivery, DeliveryAttempt, Event, PrunedEvent

PRUNE_BATCH_SIZE = 5000


def retention_days() -> int:
    return int(getattr(settings, "EVENT_RETENTION_DAYS", 90))


def prune_horizon(*, now: datetime.datetime) -> int | None:
    """The lowest feed position that must be kept (``None``: nothing is numbered yet)."""
    cutoff = now - datetime.timedelta(days=retention_days())
    numbered = Event.objects.filter(position__isnull=False)
    candidates = [
        numbered.filter(occurred_at__gte=cutoff).aggregate(p=Min("position"))["p"],
        numbered.filter(deliveries__status=Delivery.Status.PENDING).aggregate(p=Min("position"))["p"],
    ]
    kept = [p for p in candidates if p is not None]
    if kept:
        return min(kept)
    # Everything numbered is prunable: the horizon is just past the newest position.
    newest = numbered.order_by("-position").values_list("position", flat=True).first()
    return None if newest is None else newest + 1


def events_prune(*, now: datetime.datetime | None = None, batch_size: int = PRUNE_BATCH_SIZE) -> dict:
    """Delete events below the horizon with their deliveries and attempts, in batches; return the counts."""
    now = now or timezone.now()
    counts = {"events": 0, "deliveries": 0, "attempts": 0, "retention_days": retention_days()}
    horizon = prune_horizon(now=now)
    if horizon is None:
        return counts
    while True:
        with transaction.atomic():
            rows = list(
                Event.objects.filter(position__lt=horizon)
                .order_by("position")
                .values_list("id", "position", "agency_codes")[:batch_size]
            )
            if not rows:
                break
            ids = [row[0] for row in rows]
            PrunedEvent.objects.bulk_create(
                [PrunedEvent(id=i, position=p, agency_codes=codes, pruned_at=now) for i, p, codes in rows],
                ignore_conflicts=True,
            )
            counts["attempts"] += DeliveryAttempt.objects.filter(delivery__event_id__in=ids).delete()[0]
            counts["deliveries"] += Delivery.objects.filter(event_id__in=ids).delete()[0]
            counts["events"] += Event.objects.filter(id__in=ids).delete()[0]
    return counts


def pruned_cursor(*, agency_code: str, event_id) -> bool:
    """Whether ``event_id`` was an event of this agency's feed that has since been pruned."""
    return PrunedEvent.objects.filter(id=event_id, agency_codes__contains=[agency_code]).exists()
