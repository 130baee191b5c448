"""Statistics fixtures: referrals written straight to the table with chosen timestamps, and their plain-Python
description, so that the tests compute every expected number independently of the database."""

from __future__ import annotations

import datetime
import itertools
import math
import random
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.utils import timezone

H = datetime.timedelta(hours=1)


@dataclass
class Spec:
    sender: str
    receiver: str
    referral_type: str
    status: str
    priority: str
    created_at: datetime.datetime
    acknowledged_at: datetime.datetime | None = None
    accepted_at: datetime.datetime | None = None
    closed_at: datetime.datetime | None = None

    @property
    def acknowledge_by(self) -> datetime.datetime:
        return self.created_at + datetime.timedelta(seconds=settings.ACKNOWLEDGE_DEADLINES[self.priority])


_counter = itertools.count(1)


@pytest.fixture
def write_referrals(seeded):
    """Insert referrals described by ``Spec``s (one bulk INSERT); returns the created rows."""
    from agencies.models import Agency
    from referrals.models import Referral

    def _write(specs: list[Spec]):
        agencies = {a.code: a for a in Agency.objects.all()}
        rows = [
            Referral(
                reference=f"REF-STATS-{next(_counter):06d}",
                referral_type=s.referral_type,
                status=s.status,
                priority=s.priority,
                sender_agency=agencies[s.sender],
                receiver_agency=agencies[s.receiver],
                sender_client_id="stats-test",
                summary="Seeded for statistics",
                created_at=s.created_at,
                updated_at=s.created_at,
                acknowledge_by=s.acknowledge_by,
                acknowledged_at=s.acknowledged_at,
                accepted_at=s.accepted_at,
                closed_at=s.closed_at,
            )
            for s in specs
        ]
        return Referral.objects.bulk_create(rows)

    return _write


TYPES = ["investigative_lead", "victim_assistance", "continued_presence", "immigration_relief_screening",
         "information_request"]  # fmt: skip
PRIORITIES = ["routine", "urgent", "immediate_danger"]
# (sender, receiver): ICE is a party to all but the last pair, which must never appear in ICE's numbers.
PAIRS = [("CBP", "ICE"), ("ICE", "USCIS"), ("USCIS", "ICE"), ("ICE", "CBP"), ("CBP", "USCIS")]


def varied_specs(now: datetime.datetime, n: int = 60, seed: int = 7) -> list[Spec]:
    """Referrals over six months, every type, status and priority, on time and late, some overdue now."""
    rng = random.Random(seed)
    statuses = ["submitted", "acknowledged", "info_requested", "rejected", "accepted", "in_progress", "completed",
                "withdrawn"]  # fmt: skip
    specs = []
    for i in range(n):
        sender, receiver = PAIRS[i % len(PAIRS)]
        status = statuses[rng.randrange(len(statuses))]
        priority = PRIORITIES[rng.randrange(3)]
        # Mostly past months; a few within the last hours (deadline not yet passed: not overdue).
        if i % 9 == 0:
            created = now - datetime.timedelta(minutes=30 + i)
            priority = "routine"
        else:
            created = now - datetime.timedelta(days=rng.randrange(3, 170), hours=rng.randrange(24))
        spec = Spec(sender, receiver, TYPES[rng.randrange(len(TYPES))], status, priority, created)
        answer = created + datetime.timedelta(minutes=rng.randrange(5, 100 * 60))
        if status in ("acknowledged", "info_requested", "rejected"):
            spec.acknowledged_at = answer
        if status in ("accepted", "in_progress", "completed"):
            spec.acknowledged_at = answer
            spec.accepted_at = answer + datetime.timedelta(minutes=rng.randrange(0, 3000))
        if status in ("rejected", "completed"):
            spec.closed_at = answer + 5 * H
        if status == "withdrawn":
            spec.closed_at = created + datetime.timedelta(hours=rng.randrange(1, 120))
        if created > now - 2 * H and status not in ("submitted",):
            spec.status, spec.acknowledged_at, spec.accepted_at, spec.closed_at = "submitted", None, None, None
        specs.append(spec)
    return specs


# --- independent computation of the expected statistics ---------------------------------------------------


def percentile_cont(values: list[float], fraction: float) -> float | None:
    """PostgreSQL's percentile_cont: linear interpolation between the closest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def dimension_value(spec: Spec, dimension: str, agency: str) -> str:
    utc = spec.created_at.astimezone(datetime.UTC)
    if dimension == "month":
        return utc.strftime("%Y-%m")
    if dimension == "week":
        year, week, _ = utc.isocalendar()
        return f"{year}-W{week:02d}"
    if dimension == "direction":
        return "outgoing" if spec.sender == agency else "incoming"
    if dimension == "counterpart":
        return spec.receiver if spec.sender == agency else spec.sender
    return getattr(spec, dimension)


def expected_stats(specs: list[Spec], *, agency: str, group_by: list[str], now, start=None, end=None) -> list[dict]:
    mine = [
        s
        for s in specs
        if agency in (s.sender, s.receiver)
        and (start is None or s.created_at >= start)
        and (end is None or s.created_at < end)
    ]
    groups: dict[tuple, list[Spec]] = {}
    for s in mine:
        groups.setdefault(tuple(dimension_value(s, d, agency) for d in group_by), []).append(s)
    results = []
    for key in sorted(groups):
        members = groups[key]
        due = [s for s in members if s.acknowledged_at or s.acknowledge_by <= (s.closed_at or now)]
        on_time = [s for s in members if s.acknowledged_at and s.acknowledged_at <= s.acknowledge_by]
        to_ack = [(s.acknowledged_at - s.created_at).total_seconds() for s in members if s.acknowledged_at]
        to_accept = [(s.accepted_at - s.created_at).total_seconds() for s in members if s.accepted_at]
        results.append(
            {
                **dict(zip(group_by, key, strict=True)),
                "count": len(members),
                "acknowledged_by_deadline_share": len(on_time) / len(due) if due else None,
                "median_seconds_to_acknowledge": percentile_cont(to_ack, 0.5),
                "p90_seconds_to_acknowledge": percentile_cont(to_ack, 0.9),
                "median_seconds_to_accept": percentile_cont(to_accept, 0.5),
                "p90_seconds_to_accept": percentile_cont(to_accept, 0.9),
                "overdue_now": sum(1 for s in members if s.status == "submitted" and s.acknowledge_by <= now),
                # The sample has no HHS child notice (no minor victim): nothing was due.
                "hhs_notified_on_time_share": None,
                # The specs record no Continued Presence grant (tests/stats/test_continued_presence_stats.py does).
                "cp_granted": 0,
                "cp_expiring_90d": 0,
                "cp_extended": 0,
            }
        )
    return results


@pytest.fixture
def now():
    return timezone.now()
