"""Celery tasks of the events app (found by Celery's autodiscovery here): they live in ``events.delivery``, next to
the code they run and the hand-off that enqueues them, so no module of the app imports another in a circle."""

from events.delivery import webhook_deliver, webhooks_sweep

__all__ = ["webhook_deliver", "webhooks_sweep"]
