"""Celery tasks: webhook delivery and the periodic sweeper (see ``events.delivery``)."""

from __future__ import annotations

from celery import shared_task

from events import conf


@shared_task(name="events.webhook_deliver", ignore_result=True, acks_late=True)
def webhook_deliver(delivery_id: str) -> str:
    """Make one attempt of a delivery; retries are scheduled by ``delivery_attempt`` itself."""
    from events.delivery import delivery_attempt

    return delivery_attempt(delivery_id)


@shared_task(name="events.webhooks_sweep", ignore_result=True)
def webhooks_sweep() -> dict:
    """Number new feed events and re-enqueue every delivery that nobody is working on."""
    from events.delivery import deliveries_sweep

    return deliveries_sweep()


@shared_task(name="events.events_prune", ignore_result=True)
def events_prune() -> dict:
    """Delete feed events, deliveries and attempts past ``EVENT_RETENTION_DAYS``."""
    from events.retention import events_prune as prune

    return prune()


def beat_schedule() -> dict:
    from celery.schedules import crontab

    return {
        "webhooks-sweep": {"task": "events.webhooks_sweep", "schedule": conf.sweep_interval()},
        "events-prune": {"task": "events.events_prune", "schedule": crontab(hour=2, minute=47)},
    }
