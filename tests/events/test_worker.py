"""End to end with a real Celery worker (subprocess), Redis as broker and an HTTP receiver on loopback.

Nothing is lost while the receiver, the worker or the broker is down: the outbox rows stay pending and the
sweeper hands them out again.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from django.core.management import call_command
from django.db import transaction

from events.models import Delivery
from events.signing import verify
from tests.events.helpers import ROOT, Receiver, Worker, emit, subscribe, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def worker(django_db_setup, django_db_blocker):
    from referral_api.celery import app

    app.control.purge()  # messages left by earlier runs or tests
    w = Worker()
    w.start()
    yield w
    w.kill()  # nothing to wait for: undelivered work is in the database


@pytest.fixture
def subscribed(seeded, settings, receiver):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    return subscribe("ICE", url=receiver.url, event_types=["referral.created", "referral.updated"])


def _emit_committed(n: int = 1, **kwargs) -> None:
    with transaction.atomic():
        emit(n=n, **kwargs)


def _all_succeeded(count: int):
    return lambda: Delivery.objects.filter(status="succeeded").count() == count


def test_worker_delivers_with_a_verifiable_signature(worker, subscribed, receiver):
    _subscription, secret = subscribed
    _emit_committed()
    assert wait_for(lambda: receiver.requests, timeout=10)
    request = receiver.requests[0]
    assert verify(secret=secret, headers=request["headers"], body=request["body"])
    assert wait_for(_all_succeeded(1), timeout=5)


def test_receiver_down_for_a_while_then_back_gets_every_event(worker, subscribed, receiver):
    port = receiver.port
    receiver.stop()  # connection refused from now on
    for n in range(5):
        _emit_committed(n=n)
    assert wait_for(lambda: Delivery.objects.filter(attempt_count__gte=2).count() == 5, timeout=10)
    assert Delivery.objects.filter(status="succeeded").count() == 0
    back = Receiver(port=port)
    try:
        assert wait_for(_all_succeeded(5), timeout=15)
        assert sorted(set(back.event_ids())) == sorted(str(d.event_id) for d in Delivery.objects.all())
    finally:
        back.stop()


def test_worker_killed_mid_delivery_loses_nothing(worker, subscribed, receiver):
    receiver.hold.set()  # the receiver keeps the first request open
    _emit_committed(n=1)
    assert receiver.arrived.wait(10)
    worker.kill()  # SIGKILL mid-request: no result recorded, no ack sent
    _emit_committed(n=2)  # written while no worker runs
    receiver.hold.clear()
    worker.start()

    def swept_and_done():
        call_command("webhooks_sweep", "--grace", "0")
        return _all_succeeded(2)()

    assert wait_for(swept_and_done, timeout=20, interval=0.5)
    ids = receiver.event_ids()
    assert set(ids) == {str(d.event_id) for d in Delivery.objects.all()}
    # At-least-once: the interrupted message may come again, with the same webhook-id.
    assert len(ids) >= 2


def test_broker_down_at_commit_then_the_sweeper_delivers(worker, subscribed, receiver):
    """The event is written by a process whose CELERY_BROKER_URL is a closed port: the commit still succeeds."""
    script = (
        "import time, uuid\n"
        "from django.db import transaction\n"
        "from events.services import event_emit\n"
        "started = time.monotonic()\n"
        "with transaction.atomic():\n"
        "    event_emit(event_type='referral.created', referral_id=uuid.uuid4(), reference='REF-2026-000007',\n"
        "               agency_codes=['CBP', 'ICE'], actor_agency='CBP', data={'to_status': 'submitted'})\n"
        "print('committed in', round(time.monotonic() - started, 2))\n"
    )
    env = {**worker.env, "CELERY_BROKER_URL": "redis://127.0.0.1:1/5"}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "committed in" in result.stdout
    assert float(result.stdout.split("committed in")[1]) < 5
    assert "not enqueued" in result.stderr  # logged, not raised
    assert Delivery.objects.get().status == "pending"
    time.sleep(0.5)
    assert receiver.requests == []
    assert '"enqueued":1' in _sweep()
    assert wait_for(_all_succeeded(1), timeout=10)
    assert len(receiver.requests) == 1


def _sweep() -> str:
    import io

    buffer = io.StringIO()
    call_command("webhooks_sweep", "--grace", "0", stdout=buffer)
    return buffer.getvalue()
