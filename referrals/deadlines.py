"""Every deadline of a referral, computed in one place, each citing its source (domain.md, "Deadlines").

The API, events, statistics and docs read these functions; none computes a deadline on its own.

Deadline jobs (what happens once when a deadline passes) are rows of ``DEADLINE_JOBS``: the scheduler (Celery
beat runs ``referrals.deadlines_run``) and ``manage.py deadlines_run`` both run every row, so adding a job
here is all it takes to schedule it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils.module_loading import import_string

from referrals.codes import PRIORITY_RANK, Priority


def acknowledge_by(*, priority: str, created_at: datetime.datetime) -> datetime.datetime:
    """The receiver's acknowledgement deadline: ``immediate_danger`` 1 hour, ``urgent`` 24 hours, ``routine``
    3 days from the referral's creation, each configurable (``ACK_DEADLINE_*_SECONDS``; domain.md,
    "Deadlines"; an agreement between the partner agencies, not a statute)."""
    return created_at + datetime.timedelta(seconds=settings.ACKNOWLEDGE_DEADLINES[priority])


def minimum_priority(*, priority: str, involves_minor: bool) -> str:
    """A referral about a minor is at least ``urgent`` (domain.md, "Deadlines": the HHS notice runs in 24 hours,
    22 U.S.C. 7105(b)(1)(G))."""
    if involves_minor and PRIORITY_RANK[priority] < PRIORITY_RANK[Priority.URGENT]:
        return Priority.URGENT
    return priority


def hhs_notification_due_by(*, encountered_at: datetime.datetime) -> datetime.datetime:
    """HHS must be notified within 24 hours of *discovering* that a foreign national minor may be a trafficking
    victim: TVPRA of 2008 (Pub. L. 110-457) §212, 22 U.S.C. 7105(b)(1)(G). The clock runs from the encounter
    (``encountered_at``), not from when the referral was typed; ``HHS_NOTIFICATION_SECONDS`` defaults to 24 h."""
    return encountered_at + datetime.timedelta(seconds=settings.HHS_NOTIFICATION_SECONDS)


# name -> dotted path of a function taking no arguments and returning how many referrals it acted on.
# Each job is idempotent (it acts once per referral and deadline) and safe to run from several workers.
DEADLINE_JOBS: dict[str, str] = {
    "acknowledgement_overdue": "referrals.tasks.referrals_mark_overdue",
    "hhs_notification_overdue": "referrals.tasks.referrals_mark_hhs_overdue",
}


def deadlines_run() -> dict[str, int]:
    """Run every deadline job once, in table order; return how many referrals each acted on."""
    return {name: import_string(path)() for name, path in DEADLINE_JOBS.items()}
