"""Sending one webhook delivery, and the sweeper that finds deliveries nobody is working on.

At-least-once: a delivery is retried until a 2xx, so a receiver may see a message twice (e.g. when it
answered but the worker died before recording it); receivers dedupe by ``webhook-id`` (the event id).
"""

from __future__ import annotations

import datetime
import logging
import random
import time
from collections.abc import Iterable

import orjson
import requests
from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from events.feed import event_representation, feed_sequence
from events.models import Delivery, DeliveryAttempt, WebhookSubscription
from events.selectors import webhook_signing_secrets
from events.signing import signature_header
from referral_api.celery import app
from referral_api.ssrf import PinnedAddressAdapter, UnsafeURL, check_url, pinned_request_url

logger = logging.getLogger("events")

USER_AGENT = "PartnerReferralAPI-Webhooks/1.0"
# Retries shorter than this are scheduled on the broker; longer ones are picked up by the sweeper.
MAX_BROKER_COUNTDOWN = 300


def retry_delay(attempt_count: int) -> float | None:
    """Return seconds until the next attempt after ``attempt_count`` failures (with jitter), or ``None``: give up."""
    delays = settings.WEBHOOK_RETRY_DELAYS
    if attempt_count > len(delays):
        return None
    base = delays[attempt_count - 1]
    return base * (1 + random.random() * 0.25)


def _claim(delivery_id: str) -> bool:
    now = timezone.now()
    lease = now + datetime.timedelta(seconds=settings.WEBHOOK_DELIVERY_LEASE_SECONDS)
    return bool(
        Delivery.objects.filter(id=delivery_id, status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(lease_until=lease)
    )


def webhook_post(*, url: str, body: bytes, headers: dict) -> int:
    """POST to a webhook URL through the SSRF guard; return the status code (redirects are not followed)."""
    resolved = check_url(url)
    request_url, host_header = pinned_request_url(resolved)
    with requests.Session() as session:
        session.trust_env = False  # no proxy or .netrc from the environment
        session.mount(f"{resolved.scheme}://", PinnedAddressAdapter(resolved))
        response = session.post(
            request_url,
            data=body,
            headers={**headers, "Host": host_header},
            timeout=(settings.WEBHOOK_CONNECT_TIMEOUT, settings.WEBHOOK_READ_TIMEOUT),
            allow_redirects=False,
            verify=settings.WEBHOOK_CA_BUNDLE or True,  # a CA bundle file, or the default (certifi)
            stream=True,  # the body is never read, so never stored
        )
        response.close()
        return response.status_code


def delivery_attempt(delivery_id: str) -> str:
    """Make one attempt of a due delivery; return its status afterwards (or ``"skipped"`` if not claimable)."""
    if not _claim(delivery_id):
        return "skipped"
    delivery = Delivery.objects.select_related("subscription", "event").get(id=delivery_id)
    subscription = delivery.subscription
    now = timezone.now()
    if not subscription.active:
        Delivery.objects.filter(id=delivery.id).update(
            status=Delivery.Status.FAILED, lease_until=None, last_error="Subscription disabled."
        )
        return Delivery.Status.FAILED

    body = orjson.dumps(event_representation(delivery.event))
    msg_id = str(delivery.event_id)
    timestamp = int(time.time())
    headers = {
        "content-type": "application/json",
        "user-agent": USER_AGENT,
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature_header(
            secrets_=webhook_signing_secrets(subscription), msg_id=msg_id, timestamp=timestamp, body=body
        ),
    }
    status_code: int | None = None
    error = ""
    started = time.monotonic()
    try:
        status_code = webhook_post(url=subscription.url, body=body, headers=headers)
    except UnsafeURL as exc:
        error = str(exc)
    except requests.Timeout:
        error = "Timed out."
    except requests.RequestException as exc:
        error = f"Connection failed ({type(exc).__name__})."
    duration_ms = int((time.monotonic() - started) * 1000)

    retry_in: float | None = None
    with transaction.atomic():
        DeliveryAttempt.objects.create(
            delivery=delivery, attempted_at=now, status_code=status_code, error=error[:200], duration_ms=duration_ms
        )
        delivery.attempt_count += 1
        delivery.last_attempt_at = now
        delivery.last_status_code = status_code
        delivery.last_error = error[:200]
        delivery.lease_until = None
        if status_code is not None and 200 <= status_code < 300:
            delivery.status = Delivery.Status.SUCCEEDED
            delivery.delivered_at = timezone.now()
        elif status_code == 410:
            # Standard Webhooks: 410 Gone means the receiver wants no more deliveries.
            delivery.status = Delivery.Status.FAILED
            WebhookSubscription.objects.filter(id=subscription.id).update(
                active=False, disabled_reason="The endpoint answered 410 Gone.", updated_at=timezone.now()
            )
        else:
            retry_in = retry_delay(delivery.attempt_count)
            if retry_in is None:
                delivery.status = Delivery.Status.FAILED
            else:
                delivery.next_attempt_at = now + datetime.timedelta(seconds=retry_in)
        delivery.save(
            update_fields=[
                "attempt_count",
                "last_attempt_at",
                "last_status_code",
                "last_error",
                "lease_until",
                "status",
                "delivered_at",
                "next_attempt_at",
            ]
        )
    if retry_in is not None and retry_in <= MAX_BROKER_COUNTDOWN and not _eager():
        deliveries_enqueue([delivery_id], countdown=retry_in)
    return delivery.status


def _eager() -> bool:
    return bool(app.conf.task_always_eager)


def deliveries_due(*, grace_seconds: float = 0, limit: int = 1000) -> list[str]:
    """Return pending deliveries due for at least ``grace_seconds`` and not held by a live worker."""
    now = timezone.now()
    return [
        str(pk)
        for pk in Delivery.objects.filter(
            status=Delivery.Status.PENDING, next_attempt_at__lte=now - datetime.timedelta(seconds=grace_seconds)
        )
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    ]


def deliveries_sweep(*, grace_seconds: float | None = None, deliver_inline: bool = False, limit: int = 1000) -> dict:
    """Number new feed events, then enqueue (or send here) every pending delivery left behind.

    Left behind: its broker message was lost, its worker died, the broker was down at commit, or its retry is
    too far off to sit on the broker. ``grace_seconds`` (default: the sweep interval) leaves freshly due
    deliveries to the normal path, so a busy queue is not flooded with duplicates.
    """
    sequenced = feed_sequence(wait=True)
    grace = settings.WEBHOOK_SWEEP_INTERVAL_SECONDS if grace_seconds is None else grace_seconds
    due = deliveries_due(grace_seconds=grace, limit=limit)
    if deliver_inline:
        sent = sum(1 for delivery_id in due if delivery_attempt(delivery_id) != "skipped")
        return {"sequenced": sequenced, "due": len(due), "attempted": sent}
    return {"sequenced": sequenced, "due": len(due), "enqueued": deliveries_enqueue(due)}


# --- the broker hand-off and the Celery tasks ------------------------------------------------------------------
def deliveries_enqueue(delivery_ids: Iterable[str], *, countdown: float | None = None) -> int:
    """Hand deliveries to the Celery broker; return how many were enqueued.

    Never raises, and gives up within about two seconds: when the broker is unreachable the deliveries stay
    pending in the database and the sweeper enqueues them later. (In eager mode, without Redis, the task runs
    here and now.)
    """
    delivery_ids = [str(delivery_id) for delivery_id in delivery_ids]
    if not delivery_ids:
        return 0
    if app.conf.task_always_eager:
        for delivery_id in delivery_ids:
            try:
                webhook_deliver.apply_async(args=[delivery_id], countdown=countdown)
            except Exception:
                logger.exception("in-process webhook delivery failed", extra={"delivery_id": delivery_id})
        return len(delivery_ids)
    enqueued = 0
    try:
        with app.connection_for_write() as conn:
            # One quick connection attempt instead of Celery's default publish retries (seconds per message).
            conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0.2, timeout=2)
            for delivery_id in delivery_ids:
                webhook_deliver.apply_async(args=[delivery_id], countdown=countdown, connection=conn, retry=False)
                enqueued += 1
    except Exception as exc:  # noqa: BLE001 - a broker outage must never fail the caller
        logger.warning(
            "webhook deliveries not enqueued; the sweeper will retry",
            extra={"count": len(delivery_ids) - enqueued, "exception_type": type(exc).__name__},
        )
    return enqueued


@shared_task(name="events.webhook_deliver", ignore_result=True, acks_late=True)
def webhook_deliver(delivery_id: str) -> str:
    """Make one attempt of a delivery; retries are scheduled by ``delivery_attempt`` itself."""
    return delivery_attempt(delivery_id)


@shared_task(name="events.webhooks_sweep", ignore_result=True)
def webhooks_sweep() -> dict:
    """Number new feed events and re-enqueue every delivery that nobody is working on."""
    return deliveries_sweep()
