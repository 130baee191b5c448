"""The event feed: commit-ordered positions, and the pages a client polls with ``?after=``.

Why a sequencer: an event's row is written inside its caller's transaction, which may commit long after a
later one. Numbering rows at insert time would let a reader see event 7 (committed) before event 6 (still
running) and, polling ``after=7``, miss 6 forever. Instead, positions are handed out only to rows that are
already committed, by one sequencer at a time (a PostgreSQL advisory lock), each batch numbered above
everything numbered before. So the numbered rows any reader can see are always a prefix of the final order,
and ``position > after`` never skips a row.
"""

from __future__ import annotations

import datetime
import uuid

from django.db import connection

from events.models import Event

# pg_advisory lock key of the sequencer ("evseq" in ASCII, arbitrary but fixed).
SEQUENCER_LOCK_KEY = 0x6576736571


def feed_sequence(*, wait: bool = False, batch: int = 10000) -> int:
    """Give feed positions to committed, unnumbered events; return how many were numbered.

    ``wait=False`` returns 0 at once when another sequencer is running (its batch will show up next poll).
    One statement (``events_feed_sequence``, migration 0004): it takes the advisory lock, then numbers the rows
    with a snapshot taken after the lock was granted (READ COMMITTED, a VOLATILE function), and both end with
    the statement's transaction (or the caller's, inside one).
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT events_feed_sequence(%s, %s, %s)", [SEQUENCER_LOCK_KEY, wait, batch])
        return cursor.fetchone()[0]


def events_visible_to(*, agency_code: str):
    """Return the events the agency may see (it is the sender or receiver of their referral)."""
    return Event.objects.filter(agency_codes__contains=[agency_code])


def feed_cursor_event(*, agency_code: str, event_id: uuid.UUID) -> Event | None:
    """Return the numbered event named by ``after`` if the agency may see it, else ``None``."""
    event = events_visible_to(agency_code=agency_code).filter(id=event_id).only("id", "position").first()
    if event is not None and event.position is None:
        # Known from a webhook before any poll numbered it: number it now (waiting for a running sequencer).
        feed_sequence(wait=True)
        event.refresh_from_db(fields=["position"])
    return event


# What a feed item is made of (``feed_page`` reads only these, as plain rows: no model instances).
FEED_FIELDS = ("id", "type", "occurred_at", "referral_id", "reference", "actor_agency", "data")


def feed_page(*, agency_code: str, after: Event | None, limit: int) -> list[dict]:
    """Return up to ``limit`` numbered events after ``after``, in feed order, as rows of ``FEED_FIELDS``."""
    rows = events_visible_to(agency_code=agency_code).filter(position__isnull=False)
    if after is not None:
        rows = rows.filter(position__gt=after.position)
    return list(rows.order_by("position").values(*FEED_FIELDS)[:limit])


def event_representation(event: Event) -> dict:
    """Return the public JSON of an event (the feed item and the webhook body)."""
    return event_row_representation({name: getattr(event, name) for name in FEED_FIELDS})


def event_row_representation(row: dict) -> dict:
    """``event_representation`` of a row of ``feed_page``."""
    return {
        "id": str(row["id"]),
        "type": row["type"],
        "occurred_at": row["occurred_at"].astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "referral": {"id": str(row["referral_id"]), "reference": row["reference"]},
        "data": {**row["data"], "actor_agency": row["actor_agency"]},
    }
