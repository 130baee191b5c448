from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.webhook_subscription_page import WebhookSubscriptionPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    params["page_size"] = page_size

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/webhooks/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | WebhookSubscriptionPage | None:
    if response.status_code == 200:
        response_200 = WebhookSubscriptionPage.from_dict(response.json())

        return response_200

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
) -> Response[Problem | WebhookSubscriptionPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> Response[Problem | WebhookSubscriptionPage]:
    """List your webhook subscriptions

     Your agency's subscriptions, newest first (cursor paginated).

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
        cursor (str | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookSubscriptionPage]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        page_size=page_size,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> Problem | WebhookSubscriptionPage | None:
    """List your webhook subscriptions

     Your agency's subscriptions, newest first (cursor paginated).

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
        cursor (str | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookSubscriptionPage
    """

    return sync_detailed(
        client=client,
        cursor=cursor,
        page_size=page_size,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> Response[Problem | WebhookSubscriptionPage]:
    """List your webhook subscriptions

     Your agency's subscriptions, newest first (cursor paginated).

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
        cursor (str | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookSubscriptionPage]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        page_size=page_size,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> Problem | WebhookSubscriptionPage | None:
    """List your webhook subscriptions

     Your agency's subscriptions, newest first (cursor paginated).

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
        cursor (str | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookSubscriptionPage
    """

    return (
        await asyncio_detailed(
            client=client,
            cursor=cursor,
            page_size=page_size,
        )
    ).parsed
