"""Check the database against what the API acknowledged during a load run: ``verify.py RESULTS.json``.

For every referral answered 201: it exists exactly once (by id, and by its sender's external reference), with
its ``create`` status event, its ``referral.created`` audit row and its ``referral.created`` outbox event. Also
counts the referrals stored that no client saw acknowledged (possible when an answer is lost in an outage; the
client's retry with the same Idempotency-Key then gets the first answer) and the webhook deliveries by status.
Prints one JSON line.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(path: str) -> dict:
    django.setup()
    from django.db.models import Count

    from audit.models import AuditEntry
    from events.models import Delivery, Event
    from referrals.models import Referral, StatusEvent

    created = json.loads(open(path).read())["created"]
    ids = [row["id"] for row in created]
    acknowledged = set(ids)
    stored = {str(pk) for pk in Referral.objects.filter(pk__in=ids).values_list("pk", flat=True)}
    create_events = {
        str(r)
        for r in StatusEvent.objects.filter(referral_id__in=ids, action="create").values_list("referral_id", flat=True)
    }
    audited = set(
        AuditEntry.objects.filter(action="referral.created", object_type="referral", object_id__in=ids).values_list(
            "object_id", flat=True
        )
    )
    outboxed = {
        str(r)
        for r in Event.objects.filter(type="referral.created", referral_id__in=ids).values_list(
            "referral_id", flat=True
        )
    }
    duplicate_refs = (
        Referral.objects.values("sender_agency", "external_reference").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    all_referrals = Referral.objects.count()
    deliveries = dict(Delivery.objects.values_list("status").annotate(n=Count("id")))
    return {
        "acknowledged": len(acknowledged),
        "acknowledged_twice": len(ids) - len(acknowledged),
        "lost": len(acknowledged - stored),
        "missing_status_event": len(acknowledged - create_events),
        "missing_audit": len(acknowledged - audited),
        "missing_outbox_event": len(acknowledged - outboxed),
        "duplicate_external_references": duplicate_refs,
        "stored_not_acknowledged": all_referrals - len(stored),
        "referrals": all_referrals,
        "status_events": StatusEvent.objects.count(),
        "events": Event.objects.count(),
        "deliveries": {str(k): v for k, v in deliveries.items()},
        "deliveries_total": sum(deliveries.values()),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
