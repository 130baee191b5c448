"""The feed sequencer as one PostgreSQL function, so a poll numbers new events in one round trip.

``events.feed.feed_sequence`` took the advisory lock and numbered the rows in a transaction of its own: BEGIN,
the lock, the UPDATE and COMMIT, four round trips on every ``GET /events/``. The function does the same in one
statement. It is VOLATILE and PL/pgSQL: under READ COMMITTED each statement it runs takes a fresh snapshot, so
the UPDATE, run after the lock is granted, sees every batch numbered before (the same reason the lock and the
UPDATE were two statements before).
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION events_feed_sequence(lock_key bigint, wait boolean, batch integer)
RETURNS integer LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    numbered integer;
BEGIN
    IF wait THEN
        PERFORM pg_advisory_xact_lock(lock_key);
    ELSIF NOT pg_try_advisory_xact_lock(lock_key) THEN
        RETURN 0;
    END IF;
    UPDATE events_event AS e
       SET position = n.base + n.rn
      FROM (
            SELECT id,
                   (SELECT COALESCE(MAX(position), 0) FROM events_event) AS base,
                   row_number() OVER (ORDER BY occurred_at, id) AS rn
              FROM events_event
             WHERE position IS NULL
             ORDER BY occurred_at, id
             LIMIT batch
           ) AS n
     WHERE e.id = n.id;
    GET DIAGNOSTICS numbered = ROW_COUNT;
    RETURN numbered;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0005_relief"),
    ]

    operations = [
        migrations.RunSQL(FUNCTION, "DROP FUNCTION IF EXISTS events_feed_sequence(bigint, boolean, integer)"),
    ]
