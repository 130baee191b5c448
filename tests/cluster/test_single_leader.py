"""Issue 19 item 2: the periodic jobs are safe when several schedulers and workers run them at once.

Two beat schedulers started by mistake and four workers mean up to six concurrent runs of each job. Here six
threads (each with its own database connection, as separate processes have) run every periodic job over
and over while writers keep adding audit rows and events, then the results are checked: every audit row
sealed once in one unbroken chain, every event numbered once in a gapless feed, one ``referral.overdue``
per overdue referral, one webhook delivery per event (by ``webhook-id``), one anchor per published head.
"""

from __future__ import annotations

import collections
import datetime
import threading

import pytest
from django.db import connections, transaction
from django.utils import timezone

from audit.anchors import audit_publish_anchor
from audit.chain import audit_seal, audit_verify_chain
from audit.models import AuditEntry
from audit.services import audit_record
from events.delivery import deliveries_sweep
from events.feed import feed_sequence
from events.models import Delivery, DeliveryAttempt, Event, EventType
from referrals.deadlines import deadlines_run
from referrals.models import Referral
from tests.events.helpers import Receiver, emit, subscribe
from tests.referrals.conftest import create_and_walk

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

RUNNERS = 6  # two beat schedulers + four workers
ROUNDS = 5


def _jobs():
    return [
        lambda: audit_seal(wait=False),
        lambda: feed_sequence(wait=False),
        deadlines_run,
        lambda: deliveries_sweep(grace_seconds=0, deliver_inline=True),
        audit_publish_anchor,
    ]


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.stop()


def test_every_periodic_job_acts_once_with_two_schedulers_and_four_workers(api, settings, receiver, tmp_path):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the sweepers here deliver inline; nothing goes to a broker
    settings.STORAGES = {
        **settings.STORAGES,
        "audit_anchors": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "anchors")},
        },
    }
    subscribe("ICE", url=receiver.url, event_types=[t.value for t in EventType])
    cbp, ice = api("CBP"), api("ICE")
    referrals = [create_and_walk(cbp, ice) for _ in range(6)]
    past = timezone.now() - datetime.timedelta(hours=1)
    Referral.objects.filter(id__in=[r["id"] for r in referrals]).update(acknowledge_by=past)

    stop = threading.Event()
    errors: list[BaseException] = []

    def writer(n: int):
        try:
            i = 0
            while not stop.is_set() and i < 40:
                with transaction.atomic():
                    audit_record(action="referral.read", object_type="referral", object_id=f"w{n}-{i}")
                    emit(n=1000 * n + i)
                i += 1
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def runner():
        try:
            for _ in range(ROUNDS):
                for job in _jobs():
                    job()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    writers = [threading.Thread(target=writer, args=(n,)) for n in range(2)]
    runners = [threading.Thread(target=runner) for _ in range(RUNNERS)]
    for thread in writers + runners:
        thread.start()
    for thread in runners + writers:
        thread.join(timeout=300)
    stop.set()
    assert not errors, errors
    # One last pass by one scheduler picks up what the writers committed after the runners' last round.
    for job in _jobs():
        job()

    # Audit: every row sealed exactly once, one chain 1..n without gap or fork, and it verifies.
    assert not AuditEntry.objects.filter(chain_seq__isnull=True).exists()
    seqs = list(AuditEntry.objects.order_by("chain_seq").values_list("chain_seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert audit_verify_chain().intact

    # Feed: every event numbered exactly once, positions 1..n in order.
    positions = list(Event.objects.order_by("position").values_list("position", flat=True))
    assert None not in positions
    assert positions == list(range(1, len(positions) + 1))

    # Overdue: exactly one referral.overdue event per overdue referral.
    overdue = collections.Counter(
        str(rid) for rid in Event.objects.filter(type="referral.overdue").values_list("referral_id", flat=True)
    )
    assert overdue == {r["id"]: 1 for r in referrals}

    # Webhooks: one delivery per event, each attempted once and received once (webhook-id unique).
    deliveries = Delivery.objects.count()
    assert deliveries == Event.objects.filter(agency_codes__contains=["ICE"]).count()
    assert Delivery.objects.filter(status="succeeded").count() == deliveries
    assert DeliveryAttempt.objects.count() == deliveries
    received = receiver.event_ids()
    assert len(received) == len(set(received)) == deliveries

    # Anchors: each published head once (one file per chain_seq, never overwritten).
    names = sorted(p.name for p in (tmp_path / "anchors").iterdir())
    assert len(names) == len(set(names)) >= 1
