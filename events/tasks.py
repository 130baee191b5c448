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


def beat_schedule() -> dict:
    return {
        "webhooks-sweep": {"task": "events.webhooks_sweep", "schedule": conf.sweep_interval()},
    }
