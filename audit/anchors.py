"""Chain anchors: the latest sealed ``(chain_seq, row_hash)``, published where the database roles cannot reach.

The hash chain proves that nobody changed a sealed row without also re-sealing everything after it; the owner
of the table could still do exactly that. An anchor written outside the database (a log line shipped to the
log store, and one object per anchor in the ``audit_anchors`` storage: a directory, or an object-storage
bucket with write-once retention) pins the head as it was: ``manage.py audit_verify --published-anchor``
then fails if the chain no longer contains it. A scheduled task publishes one every
``AUDIT_ANCHOR_INTERVAL_SECONDS`` (docs/audit.md, "Chain anchors").
"""

from __future__ import annotations

import datetime
import json
import logging
import re

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection, transaction

from audit.chain import chain_head

logger = logging.getLogger("audit.anchor")

# pg_advisory_xact_lock key of the publisher ("ANCHOR" in ASCII): two schedulers never publish twice at once.
ANCHOR_LOCK_KEY = 0x414E43484F52
_NAME = re.compile(r"^audit-anchor-(\d{12})\.json$")


def anchor_name(chain_seq: int) -> str:
    return f"audit-anchor-{chain_seq:012d}.json"


def anchor_storage():
    return storages["audit_anchors"]


def audit_publish_anchor() -> dict | None:
    """Publish the current head (log line + one new object); ``None`` when there is nothing new to publish.

    An anchor is never overwritten: each head gets its own object name, written once.
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [ANCHOR_LOCK_KEY])
        if not cursor.fetchone()[0]:
            return None
        seq, row_hash = chain_head()
        if seq == 0:
            return None
        storage = anchor_storage()
        name = anchor_name(seq)
        if storage.exists(name):
            return None
        anchor = {
            "chain_seq": seq,
            "row_hash": row_hash,
            "published_at": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        stored = storage.save(name, ContentFile(json.dumps(anchor).encode()))
        logger.info("audit chain anchor", extra={"chain_seq": seq, "row_hash": row_hash, "anchor_object": stored})
        return anchor


def latest_published_anchor() -> tuple[int, str] | None:
    """Return ``(chain_seq, row_hash)`` of the newest published anchor, or ``None`` when none is published."""
    storage = anchor_storage()
    try:
        _dirs, files = storage.listdir("")
    except FileNotFoundError:
        return None
    names = sorted(name for name in files if _NAME.match(name))
    if not names:
        return None
    with storage.open(names[-1]) as handle:
        anchor = json.loads(handle.read())
    return int(anchor["chain_seq"]), str(anchor["row_hash"])
