"""Celery tasks of the records lifecycle."""

from __future__ import annotations

from celery import shared_task
from celery.schedules import crontab


@shared_task(name="records.dispose", ignore_result=True)
def records_dispose_daily() -> int:
    """Dispose of every referral past its retention period (nothing at all while no policy exists)."""
    from records.services import records_dispose

    return len(records_dispose())


def beat_schedule() -> dict:
    # Daily at 03:17 UTC: a quiet hour, off the round minutes other jobs use.
    return {"records-dispose": {"task": "records.dispose", "schedule": crontab(hour=3, minute=17)}}
