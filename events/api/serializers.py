"""Event feed and webhook serializers. Input serializers refuse unknown and server-owned fields (400)."""

from __future__ import annotations

from rest_framework import serializers

from events.models import Delivery, EventType
from events.ssrf import UnsafeURL, check_url
from referral_api.fields import ChoiceField
from referral_api.parsers import json_type_errors


class StrictInputMixin:
    """Refuse any body field the serializer does not declare as writable."""

    def to_internal_value(self, data):
        if not isinstance(data, dict):
            raise serializers.ValidationError({"non_field_errors": ["Send a JSON object."]})
        writable = {name for name, field in self.fields.items() if not field.read_only}
        unknown = sorted(set(data) - writable)
        if unknown:
            raise serializers.ValidationError(
                {
                    name: [serializers.ErrorDetail("Unknown or read-only field.", code="unknown_field")]
                    for name in unknown
                }
            )
        # JSON types as sent: DRF would turn 0 into False or 5 into "5" (referral_api.parsers).
        wrong_types = json_type_errors(self.fields, data)
        if wrong_types:
            raise serializers.ValidationError(wrong_types)
        return super().to_internal_value(data)


# --- Feed ---------------------------------------------------------------------------------------------------


class EventReferralSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    reference = serializers.CharField(help_text="Human-readable reference, e.g. REF-2026-000042.")


class EventSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The event id; also the `webhook-id` of its webhook deliveries.")
    type = ChoiceField(choices=EventType.choices)
    occurred_at = serializers.DateTimeField()
    referral = EventReferralSerializer()
    data = serializers.DictField(
        help_text="No PII: `actor_agency`, and e.g. `from_status`/`to_status` or `changed_fields`."
    )


class EventFeedPageSerializer(serializers.Serializer):
    results = EventSerializer(many=True)
    next_after = serializers.UUIDField(
        allow_null=True, help_text="Pass as `after` on the next poll (null only while the feed is empty)."
    )


# --- Webhooks -----------------------------------------------------------------------------------------------


class WebhookURLField(serializers.CharField):
    """An https URL that resolves only to public addresses (see ``events.ssrf``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 2000)
        kwargs.setdefault(
            "help_text",
            "https URL of your endpoint; it must resolve to public addresses only. Redirects are not followed.",
        )
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data).strip()
        try:
            check_url(value)
        except UnsafeURL as exc:
            raise serializers.ValidationError(str(exc), code="unsafe_url") from None
        return value


class EventTypesField(serializers.ListField):
    def __init__(self, **kwargs):
        kwargs.setdefault("child", ChoiceField(choices=EventType.choices))
        kwargs.setdefault("allow_empty", False)
        kwargs.setdefault("max_length", len(EventType.values))
        kwargs.setdefault("help_text", "The event types to deliver to this endpoint.")
        super().__init__(**kwargs)


class WebhookSubscriptionCreateInputSerializer(StrictInputMixin, serializers.Serializer):
    url = WebhookURLField()
    event_types = EventTypesField()
    description = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class WebhookSubscriptionUpdateInputSerializer(StrictInputMixin, serializers.Serializer):
    url = WebhookURLField(required=False)
    event_types = EventTypesField(required=False)
    description = serializers.CharField(max_length=500, required=False, allow_blank=True)
    active = serializers.BooleanField(
        required=False, help_text="Set true to re-enable a subscription disabled by a 410 answer."
    )


class WebhookSubscriptionSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    url = serializers.CharField()
    event_types = serializers.ListField(child=ChoiceField(choices=EventType.choices))
    description = serializers.CharField()
    active = serializers.BooleanField(help_text="False after the endpoint answered 410 Gone, or when set so.")
    disabled_reason = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class WebhookSubscriptionCreatedSerializer(WebhookSubscriptionSerializer):
    secret = serializers.CharField(help_text="`whsec_` + base64 of 32 random bytes. Shown only in this answer.")


class WebhookSubscriptionPageSerializer(serializers.Serializer):
    results = WebhookSubscriptionSerializer(many=True)
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)


class WebhookSecretRotatedSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="The new secret, shown only in this answer.")
    previous_secret_expires_at = serializers.DateTimeField(
        help_text="Until then, deliveries carry a signature with the previous secret as well."
    )


class WebhookDeliveryAttemptSerializer(serializers.Serializer):
    attempted_at = serializers.DateTimeField()
    status_code = serializers.IntegerField(allow_null=True, help_text="The endpoint's HTTP status, if it answered.")
    error = serializers.CharField(allow_blank=True, help_text="Why no answer was received (timeout, refused, ...).")
    duration_ms = serializers.IntegerField()


class WebhookDeliveryEventSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    type = ChoiceField(choices=EventType.choices)


class WebhookDeliverySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    event = WebhookDeliveryEventSerializer()
    status = ChoiceField(choices=Delivery.Status.choices)
    attempt_count = serializers.IntegerField()
    next_attempt_at = serializers.DateTimeField(allow_null=True, help_text="Null unless pending.")
    last_attempt_at = serializers.DateTimeField(allow_null=True)
    last_status_code = serializers.IntegerField(allow_null=True)
    last_error = serializers.CharField(allow_blank=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    attempts = WebhookDeliveryAttemptSerializer(many=True)


class WebhookDeliveryPageSerializer(serializers.Serializer):
    results = WebhookDeliverySerializer(many=True)
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
