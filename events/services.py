"""Writes: the event outbox (``event_emit``) and webhook subscriptions.

Each subscription service owns its transaction and writes its audit row in it, like the referral services.

``event_emit`` is called by other apps inside their own transaction: the event row and its pending deliveries
commit or roll back with the change they describe (transactional outbox). Delivery is enqueued only after
commit; if the broker cannot be reached then, nothing is lost: the sweeper (``webhooks_sweep``, and the
Celery beat schedule) enqueues every pending delivery that is overdue.
"""

from __future__ import annotations

import datetime
import uuid

import orjson
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from agencies.models import Client
from audit.context import AuditContext
from audit.services import audit_record
from events.delivery import deliveries_enqueue
from events.models import Delivery, Event, EventType, WebhookSubscription
from events.signing import secret_generate
from referral_api.crypto import encrypt_str

_EMIT_SQL = (
    "WITH event AS ("
    " INSERT INTO events_event (id, type, occurred_at, referral_id, reference, agency_codes, actor_agency, data)"
    " VALUES (%s, %s, %s, %s, %s, %s::varchar[], %s, %s::jsonb) RETURNING id"
    ") INSERT INTO events_delivery (id, subscription_id, event_id, status, attempt_count, next_attempt_at,"
    " last_error, created_at)"
    " SELECT gen_random_uuid(), s.id, event.id, %s, 0, %s, '', %s FROM event, ({subscriptions}) AS s"
    " RETURNING id"
)


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
    # The event row and one delivery per deliverable subscription, in ONE statement (a data-modifying WITH):
    # the outbox costs one round trip per change instead of an INSERT, a subscription query and an INSERT.
    subscriptions = (
        WebhookSubscription.objects.filter(agency__code__in=codes, active=True, event_types__contains=[event_type])
        .deliverable()
        .values("id")
    )
    subscriptions_sql, subscriptions_params = subscriptions.query.sql_with_params()
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            _EMIT_SQL.format(subscriptions=subscriptions_sql),
            [uuid.uuid4(), event_type, now, referral_id, reference, codes, actor_agency,
             orjson.dumps(dict(data)).decode(), Delivery.Status.PENDING, now, now, *subscriptions_params],
        )  # fmt: skip
        delivery_ids = [str(row[0]) for row in cursor.fetchall()]
    if delivery_ids:
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


# --- Subscriptions --------------------------------------------------------------------------------------------


def _audited(action: str, subscription_id, context: AuditContext) -> None:
    audit_record(action=action, object_type="webhook_subscription", object_id=str(subscription_id), context=context)


@transaction.atomic
def webhook_subscription_create(
    *, client: Client, url: str, event_types: list[str], description: str = "", context: AuditContext
) -> tuple[WebhookSubscription, str]:
    """Create a subscription for the client's agency; return it and its signing secret (the only time the secret
    is available). At most ``WEBHOOK_MAX_SUBSCRIPTIONS`` per agency (``SubscriptionLimit``): the agency row is
    locked while counting, so concurrent creates cannot pass the cap together."""
    from django.conf import settings

    from agencies.models import Agency
    from events.errors import SubscriptionLimit

    Agency.objects.select_for_update().filter(pk=client.agency_id).values_list("pk", flat=True).first()
    limit = settings.WEBHOOK_MAX_SUBSCRIPTIONS
    if WebhookSubscription.objects.filter(agency_id=client.agency_id).count() >= limit:
        raise SubscriptionLimit(limit)
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
    expires = timezone.now() + datetime.timedelta(seconds=settings.WEBHOOK_SECRET_ROTATION_OVERLAP_SECONDS)
    subscription.previous_secret_encrypted = subscription.secret_encrypted
    subscription.previous_secret_expires_at = expires
    subscription.secret_encrypted = encrypt_str(secret)
    subscription.save(
        update_fields=["secret_encrypted", "previous_secret_encrypted", "previous_secret_expires_at", "updated_at"]
    )
    _audited("webhook.rotate_secret", subscription.id, context)
    return secret, expires


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
