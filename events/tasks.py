"""Celery tasks of the events app (found here by Celery's autodiscovery). Delivery's tasks live in
``events.delivery``, next to the code they run and the hand-off that enqueues them, so no module of the app
imports another in a circle; they are named here for the autodiscovery."""

from __future__ import annotations

from celery import shared_task

from events.delivery import webhook_deliver, webhooks_sweep
from events.retention import events_prune as _events_prune

__all__ = ["events_prune", "webhook_deliver", "webhooks_sweep"]


@shared_task(name="events.events_prune", ignore_result=True)
def events_prune() -> dict:
    """Delete feed events, deliveries and attempts past ``EVENT_RETENTION_DAYS``."""
    return _events_prune()
