"""The event outbox, webhook subscriptions and their deliveries.

Events take plain values from their callers (referral id and reference, agency codes): no foreign key into
``referrals``, so an event outlives any row it mentions.
"""

from __future__ import annotations

import uuid

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils import timezone


class EventType(models.TextChoices):
    REFERRAL_CREATED = "referral.created", "A referral was created"
    REFERRAL_UPDATED = "referral.updated", "A referral's content changed"
    REFERRAL_STATUS_CHANGED = "referral.status_changed", "A referral moved to another status"
    REFERRAL_NOTE_ADDED = "referral.note_added", "A note was added to a referral"
    REFERRAL_ATTACHMENT_ADDED = "referral.attachment_added", "An attachment was added to a referral"
    REFERRAL_OVERDUE = "referral.overdue", "A referral passed its acknowledgement deadline"
    REFERRAL_PROTECTION_CHANGED = "referral.protection_changed", "A person's 8 U.S.C. 1367 protection was set"
    REFERRAL_HHS_NOTIFIED = "referral.hhs_notified", "The HHS child notice was recorded"
    REFERRAL_HHS_NOTIFICATION_OVERDUE = (
        "referral.hhs_notification_overdue",
        "A required HHS child notice passed its due time unrecorded",
    )
    REFERRAL_RECALLED = "referral.recalled", "The sender recalled a referral sent in error"
    REFERRAL_FORWARDED = "referral.forwarded", "The receiver forwarded people of a referral to another agency"
    REFERRAL_CONTINUED_PRESENCE_EXPIRING = (
        "referral.continued_presence_expiring",
        "A granted Continued Presence expires in one of CP_REMINDER_DAYS days",
    )
    REFERRAL_DISPOSED = "referral.disposed", "A referral was disposed of under its retention policy"


class Event(models.Model):
    """One event, visible to every agency in ``agency_codes`` (sender and receiver of the referral).

    ``position`` is the feed order. It is assigned only after the event's transaction has committed, by the
    sequencer (``events.feed.feed_sequence``), so a reader never skips an event whose transaction was still
    running when it read: see docs/webhooks.md, "Ordering".
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=40, choices=EventType.choices)
    occurred_at = models.DateTimeField(default=timezone.now)
    referral_id = models.UUIDField()
    reference = models.CharField(max_length=64)
    agency_codes = ArrayField(models.CharField(max_length=16))
    actor_agency = models.CharField(max_length=16)
    data = models.JSONField(default=dict)
    position = models.BigIntegerField(null=True, blank=True, unique=True)

    class Meta:
        indexes = [
            GinIndex(fields=["agency_codes"], name="event_agency_codes_gin"),
            models.Index(fields=["occurred_at"], name="event_unsequenced", condition=models.Q(position__isnull=True)),
            models.Index(fields=["referral_id"], name="event_referral"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.reference}"


class WebhookSubscriptionQuerySet(models.QuerySet):
    def deliverable(self):
        """Subscriptions whose agency is active and whose creating client (when recorded) is active.

        A deactivated agency, or a revoked client's subscriptions, get no new deliveries (checked when the
        deliveries are created, and again before each attempt: ``events.delivery.delivery_attempt``).
        """
        from agencies.models import Client

        creator_active = models.Exists(
            Client.objects.filter(client_id=models.OuterRef("created_by_client_id"), active=True)
        )
        return self.filter(agency__active=True).filter(models.Q(created_by_client_id="") | creator_active)


class WebhookSubscription(models.Model):
    """An agency's webhook endpoint. The signing secret is stored encrypted (``referral_api.crypto``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="webhook_subscriptions")
    url = models.URLField(max_length=2000)
    event_types = ArrayField(models.CharField(max_length=40, choices=EventType.choices))
    description = models.CharField(max_length=500, blank=True, default="")
    active = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=200, blank=True, default="")
    secret_encrypted = models.BinaryField()
    # During a rotation the previous secret keeps signing too (Standard Webhooks: several signatures).
    previous_secret_encrypted = models.BinaryField(null=True, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    created_by_client_id = models.CharField(max_length=255, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = WebhookSubscriptionQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["agency", "created_at", "id"], name="webhook_agency_created")]

    def __str__(self) -> str:
        return f"{self.agency_id} -> {self.url}"


class Delivery(models.Model):
    """One event to one subscription: written with the event (outbox), retried until success or give-up."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed (gave up)"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempt_count = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # A worker that claims a delivery holds it until ``lease_until``; a crashed worker's claim simply expires.
    lease_until = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True, default="")
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "deliveries"
        indexes = [
            models.Index(fields=["subscription", "created_at", "id"], name="delivery_subscription_created"),
            models.Index(fields=["next_attempt_at"], name="delivery_due", condition=models.Q(status="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} -> {self.subscription_id}: {self.status}"


class DeliveryAttempt(models.Model):
    """One HTTP attempt of a delivery: when, the status code or error, how long. Response bodies are not kept."""

    id = models.BigAutoField(primary_key=True)
    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts")
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=200, blank=True, default="")
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["attempted_at", "id"]

    def __str__(self) -> str:
        return f"{self.delivery_id} at {self.attempted_at}: {self.status_code or self.error}"


class PrunedEvent(models.Model):
    """The id and feed position of an event removed by the retention job (``events.retention``).

    Kept so that a client polling with ``after=<a pruned event>`` gets a clear 410 ``gone`` (its cursor is older
    than the oldest kept event) instead of a 400 or, worse, silently missing the events pruned after it.
    """

    id = models.UUIDField(primary_key=True)
    position = models.BigIntegerField()
    agency_codes = ArrayField(models.CharField(max_length=16))
    pruned_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"pruned event {self.id}"
