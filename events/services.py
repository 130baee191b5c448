"""Writes: the event outbox (``event_emit``) and webhook subscriptions.

Each subscription service owns its transaction and writes its audit row in it, like the referral services.

``event_emit`` is called by other apps inside their own transaction: the event row and its pending deliveries
commit or roll back with the change they describe (transactional outbox). Delivery is enqueued only after
commit; if the broker cannot be reached then, nothing is lost: the sweeper (``webhooks_sweep``, and the
Celery beat schedule) enqueues every pending delivery that is overdue.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from agencies.models import Client
from audit.context import AuditContext
from audit.services import audit_record
from events import conf
from events.models import Delivery, Event, EventType, WebhookSubscription
from events.signing import secret_generate
from referral_api.crypto import decrypt_str, encrypt_str

logger = logging.getLogger("events")


def event_emit(
    *,
    event_type: str,
    referral_id: uuid.UUID,
    reference: str,
    agency_codes: list[str],
    actor_agency: str,
    data: dict,
) -> None:
    """Record an event for the sender and receiver agencies, in the caller's transaction, and its deliveries.

    ``data`` must hold no PII: statuses, changed field names, codes. ``actor_agency`` is added to it on output.
    """
    if event_type not in EventType.values:
        raise ValueError(f"Unknown event type {event_type!r}.")
    codes = sorted({code for code in agency_codes if code})
    if not codes:
        raise ValueError("An event needs at least one agency.")
    event = Event.objects.create(
        type=event_type,
        referral_id=referral_id,
        reference=reference,
        agency_codes=codes,
        actor_agency=actor_agency,
        data=dict(data),
    )
    subscription_ids = WebhookSubscription.objects.filter(
        agency__code__in=codes, active=True, event_types__contains=[event_type]
    ).values_list("id", flat=True)
    deliveries = Delivery.objects.bulk_create(
        [Delivery(subscription_id=sid, event=event, next_attempt_at=event.occurred_at) for sid in subscription_ids]
    )
    if deliveries:
        delivery_ids = [str(d.id) for d in deliveries]
        transaction.on_commit(lambda: deliveries_enqueue(delivery_ids))


def event_emit_many(*, event_type: str, events: list[dict], actor_agency: str) -> int:
    """``event_emit`` for many referrals at once (e.g. a disposal batch): one INSERT of events, one query of
    subscriptions, one INSERT of deliveries. Each item of ``events``: ``referral_id``, ``reference``,
    ``agency_codes``, ``data`` (no PII). Returns how many events were written."""
    if event_type not in EventType.values:
        raise ValueError(f"Unknown event type {event_type!r}.")
    rows = []
    for item in events:
        codes = sorted({code for code in item["agency_codes"] if code})
        if not codes:
            raise ValueError("An event needs at least one agency.")
        rows.append(
            Event(type=event_type, referral_id=item["referral_id"], reference=item["reference"], agency_codes=codes,
                  actor_agency=actor_agency, data=dict(item["data"]))
        )  # fmt: skip
    if not rows:
        return 0
    Event.objects.bulk_create(rows)
    all_codes = sorted({code for row in rows for code in row.agency_codes})
    subscriptions = list(
        WebhookSubscription.objects.filter(
            agency__code__in=all_codes, active=True, event_types__contains=[event_type]
        ).values_list("id", "agency__code")
    )
    deliveries = Delivery.objects.bulk_create(
        [
            Delivery(subscription_id=sid, event=row, next_attempt_at=row.occurred_at)
            for row in rows
            for sid, code in subscriptions
            if code in row.agency_codes
        ]
    )
    if deliveries:
        delivery_ids = [str(d.id) for d in deliveries]
        transaction.on_commit(lambda: deliveries_enqueue(delivery_ids))
    return len(rows)


def deliveries_enqueue(delivery_ids: Iterable[str], *, countdown: float | None = None) -> int:
    """Hand deliveries to the Celery broker; return how many were enqueued.

    Never raises, and gives up within about two seconds: when the broker is unreachable the deliveries stay
    pending in the database and the sweeper enqueues them later. (In eager mode, without Redis, the task runs
    here and now.)
    """
    from events.tasks import webhook_deliver
    from referral_api.celery import app

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


# --- Subscriptions --------------------------------------------------------------------------------------------


def _audited(action: str, subscription_id, context: AuditContext) -> None:
    audit_record(action=action, object_type="webhook_subscription", object_id=str(subscription_id), context=context)


@transaction.atomic
def webhook_subscription_create(
    *, client: Client, url: str, event_types: list[str], description: str = "", context: AuditContext
) -> tuple[WebhookSubscription, str]:
    """Create a subscription for the client's agency; return it and its signing secret (the only time the secret
    is available)."""
    secret = secret_generate()
    subscription = WebhookSubscription.objects.create(
        agency=client.agency,
        url=url,
        event_types=sorted(set(event_types)),
        description=description,
        secret_encrypted=encrypt_str(secret),
        created_by_client_id=client.client_id,
    )
    _audited("webhook.create", subscription.id, context)
    return subscription, secret


@transaction.atomic
def webhook_subscription_update(
    *, subscription: WebhookSubscription, changes: dict, context: AuditContext
) -> WebhookSubscription:
    """Apply ``url``, ``event_types``, ``description`` or ``active``; re-enabling clears the disable reason."""
    fields = []
    for name in ("url", "description"):
        if name in changes:
            setattr(subscription, name, changes[name])
            fields.append(name)
    if "event_types" in changes:
        subscription.event_types = sorted(set(changes["event_types"]))
        fields.append("event_types")
    if "active" in changes:
        subscription.active = bool(changes["active"])
        subscription.disabled_reason = "" if subscription.active else "Disabled by the subscriber."
        fields += ["active", "disabled_reason"]
    if fields:
        subscription.save(update_fields=[*fields, "updated_at"])
    _audited("webhook.update", subscription.id, context)
    return subscription


@transaction.atomic
def webhook_subscription_delete(*, subscription: WebhookSubscription, context: AuditContext) -> None:
    """Delete the subscription and its delivery log; pending deliveries are dropped."""
    _audited("webhook.delete", subscription.id, context)
    subscription.delete()


@transaction.atomic
def webhook_subscription_rotate_secret(
    *, subscription: WebhookSubscription, context: AuditContext
) -> tuple[str, datetime.datetime]:
    """Give the subscription a new secret; the old one keeps signing (alongside) until the returned time."""
    secret = secret_generate()
    expires = timezone.now() + datetime.timedelta(seconds=conf.rotation_overlap_seconds())
    subscription.previous_secret_encrypted = subscription.secret_encrypted
    subscription.previous_secret_expires_at = expires
    subscription.secret_encrypted = encrypt_str(secret)
    subscription.save(
        update_fields=["secret_encrypted", "previous_secret_encrypted", "previous_secret_expires_at", "updated_at"]
    )
    _audited("webhook.rotate_secret", subscription.id, context)
    return secret, expires


def webhook_signing_secrets(subscription: WebhookSubscription) -> list[str]:
    """Return the secrets that sign now: the current one, plus the previous one during a rotation."""
    secrets_ = [decrypt_str(bytes(subscription.secret_encrypted))]
    if (
        subscription.previous_secret_encrypted
        and subscription.previous_secret_expires_at
        and subscription.previous_secret_expires_at > timezone.now()
    ):
        secrets_.append(decrypt_str(bytes(subscription.previous_secret_encrypted)))
    return secrets_


@transaction.atomic
def delivery_redeliver(*, delivery: Delivery, context: AuditContext) -> Delivery:
    """Send a delivery again (whatever its outcome so far), with a fresh retry schedule."""
    now = timezone.now()
    delivery.status = Delivery.Status.PENDING
    delivery.attempt_count = 0
    delivery.next_attempt_at = now
    delivery.lease_until = None
    delivery.save(update_fields=["status", "attempt_count", "next_attempt_at", "lease_until"])
    _audited("webhook.redeliver", delivery.subscription_id, context)
    delivery_id = str(delivery.id)
    transaction.on_commit(lambda: deliveries_enqueue([delivery_id]))
    return delivery
