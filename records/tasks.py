"""Celery tasks of the records lifecycle."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="records.dispose", ignore_result=True)
def records_dispose_daily() -> int:
    """Dispose of every referral past its retention period (nothing at all while no policy exists)."""
    from records.services import records_dispose

    return len(records_dispose())
