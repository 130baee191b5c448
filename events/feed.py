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

from django.db import connection, transaction

from events.models import Event

# pg_advisory lock key of the sequencer ("evseq" in ASCII, arbitrary but fixed).
SEQUENCER_LOCK_KEY = 0x6576736571

_SEQUENCE_SQL = """
UPDATE events_event AS e
   SET position = n.base + n.rn
  FROM (
        SELECT id,
               (SELECT COALESCE(MAX(position), 0) FROM events_event) AS base,
               row_number() OVER (ORDER BY occurred_at, id) AS rn
          FROM events_event
         WHERE position IS NULL
         ORDER BY occurred_at, id
         LIMIT %s
       ) AS n
 WHERE e.id = n.id
"""


def feed_sequence(*, wait: bool = False, batch: int = 10000) -> int:
    """Give feed positions to committed, unnumbered events; return how many were numbered.

    ``wait=False`` returns 0 at once when another sequencer is running (its batch will show up next poll).
    """
    with transaction.atomic(), connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEQUENCER_LOCK_KEY])
        else:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SEQUENCER_LOCK_KEY])
            if not cursor.fetchone()[0]:
                return 0
        # READ COMMITTED: this statement's snapshot is taken after the lock is held, so it sees every batch
        # numbered before it and only rows whose transactions have committed.
        cursor.execute(_SEQUENCE_SQL, [batch])
        return cursor.rowcount


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


def feed_page(*, agency_code: str, after: Event | None, limit: int) -> list[Event]:
    """Return up to ``limit`` numbered events after ``after``, in feed order."""
    rows = events_visible_to(agency_code=agency_code).filter(position__isnull=False)
    if after is not None:
        rows = rows.filter(position__gt=after.position)
    return list(rows.order_by("position")[:limit])


def event_representation(event: Event) -> dict:
    """Return the public JSON of an event (the feed item and the webhook body)."""
    return {
        "id": str(event.id),
        "type": event.type,
        "occurred_at": event.occurred_at.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "referral": {"id": str(event.referral_id), "reference": event.reference},
        "data": {**event.data, "actor_agency": event.actor_agency},
    }
