"""Event feed and webhook subscription endpoints. Every query is narrowed to the caller's agency first.

Every route under ``/webhooks/{subscription_id}/`` resolves the subscription once, in
``WebhookScopedView.initial()``: another agency's subscription is a 404 on every path and method, and every
refused access to a subscription is audited.
"""

from __future__ import annotations

import uuid

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.context import audit_context
from audit.services import audit_denied
from events.api import docs
from events.api.serializers import (
    EventFeedPageSerializer,
    WebhookDeliveryPageSerializer,
    WebhookDeliverySerializer,
    WebhookSecretRotatedSerializer,
    WebhookSubscriptionCreatedSerializer,
    WebhookSubscriptionCreateInputSerializer,
    WebhookSubscriptionPageSerializer,
    WebhookSubscriptionSerializer,
    WebhookSubscriptionUpdateInputSerializer,
)
from events.feed import event_row_representation, feed_cursor_event, feed_page, feed_sequence
from events.models import WebhookSubscription
from events.retention import pruned_cursor, retention_days
from events.selectors import deliveries_of, delivery_of, webhook_subscription_of, webhook_subscriptions_of
from events.services import (
    delivery_redeliver,
    webhook_subscription_create,
    webhook_subscription_delete,
    webhook_subscription_rotate_secret,
    webhook_subscription_update,
)
from referral_api.errors import Gone
from referral_api.pagination import MAX_PAGE_SIZE, KeysetPagination, parse_page_size
from referral_api.permissions import client_of
from referral_api.query import check_query
from referral_api.renderers import rfc3339
from referral_api.throttling import ClientRateThrottle, SlidingWindowThrottle

EVENT_EXAMPLE = {
    "id": "0b5e7c1e-9d3f-4a57-a1a4-9d8f4f0c2b11",
    "type": "referral.status_changed",
    "occurred_at": "2026-11-28T19:46:32Z",
    "referral": {"id": "5f0c1a7e-2b1d-4c3e-8f6a-7d9e0b1c2a3f", "reference": "REF-2026-000042"},
    "data": {"from_status": "submitted", "to_status": "acknowledged", "actor_agency": "ICE"},
}
SUBSCRIPTION_EXAMPLE = {
    "id": "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d",
    "url": "https://hooks.example.gov/referrals",
    "event_types": ["referral.created", "referral.status_changed"],
    "description": "Case system inbox",
    "active": True,
    "disabled_reason": "",
    "created_at": "2026-11-28T19:46:32Z",
    "updated_at": "2026-11-28T19:46:32Z",
}
SECRET_EXAMPLE = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw+0Ppf9ryoi0="
DELIVERY_EXAMPLE = {
    "id": "3c2b1a09-8f7e-4d6c-b5a4-392817161514",
    "event": {"id": EVENT_EXAMPLE["id"], "type": "referral.status_changed"},
    "status": "pending",
    "attempt_count": 1,
    "next_attempt_at": "2026-11-28T19:47:05Z",
    "last_attempt_at": "2026-11-28T19:46:35Z",
    "last_status_code": 503,
    "last_error": "",
    "delivered_at": None,
    "created_at": "2026-11-28T19:46:32Z",
    "attempts": [{"attempted_at": "2026-11-28T19:46:35Z", "status_code": 503, "error": "", "duration_ms": 41}],
}
PAGE_SIZE_PARAMETER = OpenApiParameter(
    "page_size", OpenApiTypes.INT, description=f"Items per page, 1 to {MAX_PAGE_SIZE} (default 50)."
)
NOT_FOUND = OpenApiResponse(description="No such subscription for your agency (`not-found`).")


class EventFeedView(APIView):
    required_scopes = ["events:read"]

    @extend_schema(
        tags=["events"],
        operation_id="events_list",
        summary="Event feed",
        description=docs.FEED,
        parameters=[
            OpenApiParameter(
                "after", OpenApiTypes.UUID, description="The `next_after` of your previous poll (an event id)."
            ),
            PAGE_SIZE_PARAMETER,
        ],
        responses={
            200: EventFeedPageSerializer,
            410: OpenApiResponse(description="`after` names an event older than the oldest kept one (`gone`)."),
        },
        examples=[
            OpenApiExample("A page of events", value={"results": [EVENT_EXAMPLE], "next_after": EVENT_EXAMPLE["id"]})
        ],
    )
    def get(self, request):
        check_query(request.query_params, {"after", "page_size"})
        agency_code = client_of(request).agency.code
        size = parse_page_size(request)
        raw_after = request.query_params.get("after")
        after = None
        feed_sequence()
        if raw_after is not None:
            try:
                after_id = uuid.UUID(raw_after)
            except ValueError:
                raise ValidationError({"after": ["Must be an event id (a UUID) from your feed."]}) from None
            after = feed_cursor_event(agency_code=agency_code, event_id=after_id)
            if after is None and pruned_cursor(agency_code=agency_code, event_id=after_id):
                raise Gone(
                    f"This event is older than the oldest kept event (events are kept {retention_days()} days). "
                    "Poll without `after` to start again from the oldest kept event."
                )
            if after is None:
                raise ValidationError({"after": ["No event with this id in your agency's feed."]})
        rows = feed_page(agency_code=agency_code, after=after, limit=size)
        next_after = rows[-1]["id"] if rows else (after.id if after is not None else None)
        return Response(
            {
                "results": [event_row_representation(row) for row in rows],
                "next_after": str(next_after) if next_after else None,
            }
        )


class WebhookAPIView(APIView):
    # Base for every webhook route: the ``webhooks:manage`` scope, and the audit of every refused access. (No
    # docstring: a view's docstring becomes its operations' description in the OpenAPI document.)

    required_scopes = ["webhooks:manage"]

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        if response.status_code in (401, 403, 404):
            # NIST SP 800-53 AU-2: a refused access to a subscription is an auditable event.
            audit_denied(
                self.request,
                object_type="webhook_subscription",
                object_id=self.kwargs.get("subscription_id"),
                status=response.status_code,
            )
        return response


class WebhookScopedView(WebhookAPIView):
    # Base for every route under /webhooks/{subscription_id}/: ``self.subscription`` is resolved once, among the
    # caller's agency's subscriptions only.

    subscription: WebhookSubscription

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method == "OPTIONS" or not hasattr(self, request.method.lower()):
            return  # no such operation: 405 (or the OPTIONS answer), as on any route
        self.subscription = webhook_subscription_of(
            agency=client_of(request).agency, subscription_id=kwargs["subscription_id"]
        )


class WebhookListView(WebhookAPIView):
    @extend_schema(
        tags=["webhooks"],
        operation_id="webhooks_list",
        summary="List your webhook subscriptions",
        description="Your agency's subscriptions, newest first (cursor paginated).\n\n" + docs.WEBHOOKS,
        parameters=[PAGE_SIZE_PARAMETER, OpenApiParameter("cursor", OpenApiTypes.STR, description="Page cursor.")],
        responses={200: WebhookSubscriptionPageSerializer},
        examples=[
            OpenApiExample(
                "One subscription", value={"results": [SUBSCRIPTION_EXAMPLE], "next": None, "previous": None}
            )
        ],
    )
    def get(self, request):
        paginator = KeysetPagination()
        rows = paginator.paginate_queryset(
            webhook_subscriptions_of(agency=client_of(request).agency), request, view=self
        )
        return paginator.get_paginated_response(WebhookSubscriptionSerializer(rows, many=True).data)

    @extend_schema(
        tags=["webhooks"],
        operation_id="webhooks_create",
        summary="Subscribe an endpoint",
        description=(
            "Creates a subscription for your agency. The answer carries the signing `secret`, shown only "
            "this once (it is stored encrypted). The URL is checked now (400 naming `url` if it is not https or "
            "resolves to a non-public address) and again at every delivery.\n\n" + docs.WEBHOOKS
        ),
        request=WebhookSubscriptionCreateInputSerializer,
        responses={
            201: WebhookSubscriptionCreatedSerializer,
            409: OpenApiResponse(
                description="Your agency already has `WEBHOOK_MAX_SUBSCRIPTIONS` (default 10) subscriptions "
                "(`validation-error` on `subscriptions`, code `limit_reached`)."
            ),
        },
        examples=[
            OpenApiExample(
                "Subscribe",
                request_only=True,
                value={
                    "url": SUBSCRIPTION_EXAMPLE["url"],
                    "event_types": SUBSCRIPTION_EXAMPLE["event_types"],
                    "description": SUBSCRIPTION_EXAMPLE["description"],
                },
            ),
            OpenApiExample(
                "Created",
                response_only=True,
                status_codes=["201"],
                value={**SUBSCRIPTION_EXAMPLE, "secret": SECRET_EXAMPLE},
            ),
        ],
    )
    def post(self, request):
        serializer = WebhookSubscriptionCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscription, secret = webhook_subscription_create(
            client=client_of(request), context=audit_context(request), **serializer.validated_data
        )
        body = {**WebhookSubscriptionSerializer(subscription).data, "secret": secret}
        return Response(body, status=201, headers={"Location": reverse("webhook", args=[subscription.id])})


class WebhookDetailView(WebhookScopedView):
    @extend_schema(
        tags=["webhooks"],
        operation_id="webhooks_retrieve",
        summary="One webhook subscription",
        responses={200: WebhookSubscriptionSerializer, 404: NOT_FOUND},
        examples=[OpenApiExample("Subscription", value=SUBSCRIPTION_EXAMPLE)],
    )
    def get(self, request, subscription_id):
        return Response(WebhookSubscriptionSerializer(self.subscription).data)

    @extend_schema(
        tags=["webhooks"],
        operation_id="webhooks_update",
        summary="Change a webhook subscription",
        description="Change `url`, `event_types`, `description`, or set `active` (e.g. re-enable after a 410).",
        request=WebhookSubscriptionUpdateInputSerializer,
        responses={200: WebhookSubscriptionSerializer, 404: NOT_FOUND},
        examples=[
            OpenApiExample("Re-enable", request_only=True, value={"active": True}),
            OpenApiExample("Updated", response_only=True, value=SUBSCRIPTION_EXAMPLE),
        ],
    )
    def patch(self, request, subscription_id):
        serializer = WebhookSubscriptionUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        subscription = webhook_subscription_update(
            subscription=self.subscription, changes=serializer.validated_data, context=audit_context(request)
        )
        return Response(WebhookSubscriptionSerializer(subscription).data)

    @extend_schema(
        tags=["webhooks"],
        operation_id="webhooks_destroy",
        summary="Delete a webhook subscription",
        description="Deletes the subscription and its delivery log; pending deliveries are dropped.",
        request=None,
        responses={204: OpenApiResponse(description="Deleted."), 404: NOT_FOUND},
    )
    def delete(self, request, subscription_id):
        webhook_subscription_delete(subscription=self.subscription, context=audit_context(request))
        return Response(status=204)


class WebhookRotateSecretView(WebhookScopedView):
    @extend_schema(
        tags=["webhooks"],
        operation_id="webhooks_rotate_secret",
        summary="Rotate the signing secret",
        description=(
            "Issues a new secret, shown only in this answer. Until `previous_secret_expires_at` (24 hours) "
            "deliveries carry two signatures, one per secret, so you can switch without losing messages."
        ),
        request=None,
        responses={200: WebhookSecretRotatedSerializer, 404: NOT_FOUND},
        examples=[
            OpenApiExample(
                "Rotated", value={"secret": SECRET_EXAMPLE, "previous_secret_expires_at": "2026-11-29T19:46:32Z"}
            )
        ],
    )
    def post(self, request, subscription_id):
        _refuse_body(request)
        secret, expires = webhook_subscription_rotate_secret(
            subscription=self.subscription, context=audit_context(request)
        )
        return Response({"secret": secret, "previous_secret_expires_at": rfc3339(expires)})


def _refuse_body(request) -> None:
    """These operations take no body: any field sent is an unknown field (400), never silently ignored."""
    data = request.data
    if data:
        names = list(data) if isinstance(data, dict) else ["non_field_errors"]
        message = "Unknown field: this operation takes no body."
        raise ValidationError({name: [ErrorDetail(message, code="unknown_field")] for name in names})


class WebhookDeliveryListView(WebhookScopedView):
    @extend_schema(
        tags=["webhooks"],
        operation_id="webhooks_deliveries_list",
        summary="Delivery log",
        description=(
            "Deliveries to this subscription, newest first (cursor paginated), each with its attempts: when, "
            "the status code or the error. Response bodies are not stored.\n\n" + docs.WEBHOOKS
        ),
        parameters=[PAGE_SIZE_PARAMETER, OpenApiParameter("cursor", OpenApiTypes.STR, description="Page cursor.")],
        responses={200: WebhookDeliveryPageSerializer, 404: NOT_FOUND},
        examples=[OpenApiExample("Deliveries", value={"results": [DELIVERY_EXAMPLE], "next": None, "previous": None})],
    )
    def get(self, request, subscription_id):
        paginator = KeysetPagination()
        rows = paginator.paginate_queryset(deliveries_of(subscription=self.subscription), request, view=self)
        return paginator.get_paginated_response(WebhookDeliverySerializer(rows, many=True).data)


class RedeliverThrottle(SlidingWindowThrottle):
    """``WEBHOOK_REDELIVER_RATE_LIMIT`` redelivery requests per agency (every client of it counted together):
    each one makes this service connect to the receiver again."""

    scope = "redeliver"

    def get_rate(self):
        from django.conf import settings

        return settings.WEBHOOK_REDELIVER_RATE_LIMIT

    def get_cache_key(self, request, view):
        if request.auth is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": str(request.auth.application.agency_id)}


class WebhookRedeliverView(WebhookScopedView):
    throttle_classes = [ClientRateThrottle, RedeliverThrottle]

    @extend_schema(
        tags=["webhooks"],
        operation_id="webhooks_deliveries_redeliver",
        summary="Send a delivery again",
        description=(
            "Queues the delivery again at once with a fresh retry schedule, whatever its outcome so far. "
            "It keeps its `webhook-id`, so a receiver that already processed it can ignore it. At most "
            "`WEBHOOK_REDELIVER_RATE_LIMIT` (default 30 a minute) per agency (429 `rate-limited`)."
        ),
        request=None,
        responses={202: WebhookDeliverySerializer, 404: NOT_FOUND},
        examples=[
            OpenApiExample(
                "Queued", status_codes=["202"], value={**DELIVERY_EXAMPLE, "attempt_count": 0, "status": "pending"}
            )
        ],
    )
    def post(self, request, subscription_id, delivery_id):
        _refuse_body(request)
        delivery = delivery_of(subscription=self.subscription, delivery_id=delivery_id)
        delivery_redeliver(delivery=delivery, context=audit_context(request))
        return Response(WebhookDeliverySerializer(delivery).data, status=202)
