from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.webhook_subscription_create_input_request import WebhookSubscriptionCreateInputRequest
from ...models.webhook_subscription_created import WebhookSubscriptionCreated
from ...types import Response


def _get_kwargs(
    *,
    body: WebhookSubscriptionCreateInputRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/webhooks/",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | WebhookSubscriptionCreated | None:
    if response.status_code == 201:
        response_201 = WebhookSubscriptionCreated.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 406:
        response_406 = Problem.from_dict(response.json())

        return response_406

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | WebhookSubscriptionCreated]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: WebhookSubscriptionCreateInputRequest,
) -> Response[Problem | WebhookSubscriptionCreated]:
    """Subscribe an endpoint

     Creates a subscription for your agency. The answer carries the signing `secret`, shown only this
    once (it is stored encrypted). The URL is checked now (400 naming `url` if it is not https or
    resolves to a non-public address) and again at every delivery.

    **Signatures** (Standard Webhooks): every delivery is a `POST` of the event JSON (the same object as
    in the
    feed) with headers `webhook-id` (the event id), `webhook-timestamp` (Unix seconds) and
    `webhook-signature: v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{raw body}">`, keyed
    with the
    base64-decoded part of your `whsec_` secret. After a secret rotation, the header carries one
    signature per
    valid secret, space-separated; accept the message if any matches. Reject timestamps more than 5
    minutes off.

    **Retries**: any 2xx is success. Anything else (including 3xx: redirects are never followed), a
    timeout
    (3 s to connect, 10 s in all) or a refused connection is retried with exponential backoff and up to
    25%
    jitter after about 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h and 12 h: eleven attempts
    over about
    28 hours, then the delivery is marked `failed` (you can redeliver it). `410 Gone` disables the
    subscription
    (re-enable with `PATCH {"active": true}`).

    **Ordering and duplicates**: delivery is at-least-once and not ordered: a retry can arrive after a
    later
    event, and a message can arrive twice (e.g. your endpoint answered but the answer was lost). Dedupe
    by
    `webhook-id`; order by the feed (`GET /api/v1/events/`), which is the ordered, exactly-once record.

    **Endpoints** must be `https` and resolve only to public internet addresses; the address is checked
    again
    at every delivery, and the connection goes to the checked address.

    Args:
        body (WebhookSubscriptionCreateInputRequest): Refuse any body field the serializer does
            not declare as writable.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookSubscriptionCreated]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: WebhookSubscriptionCreateInputRequest,
) -> Problem | WebhookSubscriptionCreated | None:
    """Subscribe an endpoint

     Creates a subscription for your agency. The answer carries the signing `secret`, shown only this
    once (it is stored encrypted). The URL is checked now (400 naming `url` if it is not https or
    resolves to a non-public address) and again at every delivery.

    **Signatures** (Standard Webhooks): every delivery is a `POST` of the event JSON (the same object as
    in the
    feed) with headers `webhook-id` (the event id), `webhook-timestamp` (Unix seconds) and
    `webhook-signature: v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{raw body}">`, keyed
    with the
    base64-decoded part of your `whsec_` secret. After a secret rotation, the header carries one
    signature per
    valid secret, space-separated; accept the message if any matches. Reject timestamps more than 5
    minutes off.

    **Retries**: any 2xx is success. Anything else (including 3xx: redirects are never followed), a
    timeout
    (3 s to connect, 10 s in all) or a refused connection is retried with exponential backoff and up to
    25%
    jitter after about 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h and 12 h: eleven attempts
    over about
    28 hours, then the delivery is marked `failed` (you can redeliver it). `410 Gone` disables the
    subscription
    (re-enable with `PATCH {"active": true}`).

    **Ordering and duplicates**: delivery is at-least-once and not ordered: a retry can arrive after a
    later
    event, and a message can arrive twice (e.g. your endpoint answered but the answer was lost). Dedupe
    by
    `webhook-id`; order by the feed (`GET /api/v1/events/`), which is the ordered, exactly-once record.

    **Endpoints** must be `https` and resolve only to public internet addresses; the address is checked
    again
    at every delivery, and the connection goes to the checked address.

    Args:
        body (WebhookSubscriptionCreateInputRequest): Refuse any body field the serializer does
            not declare as writable.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookSubscriptionCreated
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: WebhookSubscriptionCreateInputRequest,
) -> Response[Problem | WebhookSubscriptionCreated]:
    """Subscribe an endpoint

     Creates a subscription for your agency. The answer carries the signing `secret`, shown only this
    once (it is stored encrypted). The URL is checked now (400 naming `url` if it is not https or
    resolves to a non-public address) and again at every delivery.

    **Signatures** (Standard Webhooks): every delivery is a `POST` of the event JSON (the same object as
    in the
    feed) with headers `webhook-id` (the event id), `webhook-timestamp` (Unix seconds) and
    `webhook-signature: v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{raw body}">`, keyed
    with the
    base64-decoded part of your `whsec_` secret. After a secret rotation, the header carries one
    signature per
    valid secret, space-separated; accept the message if any matches. Reject timestamps more than 5
    minutes off.

    **Retries**: any 2xx is success. Anything else (including 3xx: redirects are never followed), a
    timeout
    (3 s to connect, 10 s in all) or a refused connection is retried with exponential backoff and up to
    25%
    jitter after about 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h and 12 h: eleven attempts
    over about
    28 hours, then the delivery is marked `failed` (you can redeliver it). `410 Gone` disables the
    subscription
    (re-enable with `PATCH {"active": true}`).

    **Ordering and duplicates**: delivery is at-least-once and not ordered: a retry can arrive after a
    later
    event, and a message can arrive twice (e.g. your endpoint answered but the answer was lost). Dedupe
    by
    `webhook-id`; order by the feed (`GET /api/v1/events/`), which is the ordered, exactly-once record.

    **Endpoints** must be `https` and resolve only to public internet addresses; the address is checked
    again
    at every delivery, and the connection goes to the checked address.

    Args:
        body (WebhookSubscriptionCreateInputRequest): Refuse any body field the serializer does
            not declare as writable.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookSubscriptionCreated]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: WebhookSubscriptionCreateInputRequest,
) -> Problem | WebhookSubscriptionCreated | None:
    """Subscribe an endpoint

     Creates a subscription for your agency. The answer carries the signing `secret`, shown only this
    once (it is stored encrypted). The URL is checked now (400 naming `url` if it is not https or
    resolves to a non-public address) and again at every delivery.

    **Signatures** (Standard Webhooks): every delivery is a `POST` of the event JSON (the same object as
    in the
    feed) with headers `webhook-id` (the event id), `webhook-timestamp` (Unix seconds) and
    `webhook-signature: v1,<base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{raw body}">`, keyed
    with the
    base64-decoded part of your `whsec_` secret. After a secret rotation, the header carries one
    signature per
    valid secret, space-separated; accept the message if any matches. Reject timestamps more than 5
    minutes off.

    **Retries**: any 2xx is success. Anything else (including 3xx: redirects are never followed), a
    timeout
    (3 s to connect, 10 s in all) or a refused connection is retried with exponential backoff and up to
    25%
    jitter after about 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h and 12 h: eleven attempts
    over about
    28 hours, then the delivery is marked `failed` (you can redeliver it). `410 Gone` disables the
    subscription
    (re-enable with `PATCH {"active": true}`).

    **Ordering and duplicates**: delivery is at-least-once and not ordered: a retry can arrive after a
    later
    event, and a message can arrive twice (e.g. your endpoint answered but the answer was lost). Dedupe
    by
    `webhook-id`; order by the feed (`GET /api/v1/events/`), which is the ordered, exactly-once record.

    **Endpoints** must be `https` and resolve only to public internet addresses; the address is checked
    again
    at every delivery, and the connection goes to the checked address.

    Args:
        body (WebhookSubscriptionCreateInputRequest): Refuse any body field the serializer does
            not declare as writable.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookSubscriptionCreated
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
