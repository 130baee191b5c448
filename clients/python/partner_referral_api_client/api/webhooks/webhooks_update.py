from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.patched_webhook_subscription_update_input_request import PatchedWebhookSubscriptionUpdateInputRequest
from ...models.problem import Problem
from ...models.webhook_subscription import WebhookSubscription
from ...types import UNSET, Response, Unset


def _get_kwargs(
    subscription_id: UUID,
    *,
    body: PatchedWebhookSubscriptionUpdateInputRequest | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "patch",
        "url": "/api/v1/webhooks/{subscription_id}/".format(
            subscription_id=quote(str(subscription_id), safe=""),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | WebhookSubscription | None:
    if response.status_code == 200:
        response_200 = WebhookSubscription.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[Problem | WebhookSubscription]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    subscription_id: UUID,
    *,
    client: AuthenticatedClient,
    body: PatchedWebhookSubscriptionUpdateInputRequest | Unset = UNSET,
) -> Response[Problem | WebhookSubscription]:
    """Change a webhook subscription

     Change `url`, `event_types`, `description`, or set `active` (e.g. re-enable after a 410).

    Args:
        subscription_id (UUID):
        body (PatchedWebhookSubscriptionUpdateInputRequest | Unset): Refuse any body field the
            serializer does not declare as writable.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookSubscription]
    """

    kwargs = _get_kwargs(
        subscription_id=subscription_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    subscription_id: UUID,
    *,
    client: AuthenticatedClient,
    body: PatchedWebhookSubscriptionUpdateInputRequest | Unset = UNSET,
) -> Problem | WebhookSubscription | None:
    """Change a webhook subscription

     Change `url`, `event_types`, `description`, or set `active` (e.g. re-enable after a 410).

    Args:
        subscription_id (UUID):
        body (PatchedWebhookSubscriptionUpdateInputRequest | Unset): Refuse any body field the
            serializer does not declare as writable.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookSubscription
    """

    return sync_detailed(
        subscription_id=subscription_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    subscription_id: UUID,
    *,
    client: AuthenticatedClient,
    body: PatchedWebhookSubscriptionUpdateInputRequest | Unset = UNSET,
) -> Response[Problem | WebhookSubscription]:
    """Change a webhook subscription

     Change `url`, `event_types`, `description`, or set `active` (e.g. re-enable after a 410).

    Args:
        subscription_id (UUID):
        body (PatchedWebhookSubscriptionUpdateInputRequest | Unset): Refuse any body field the
            serializer does not declare as writable.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | WebhookSubscription]
    """

    kwargs = _get_kwargs(
        subscription_id=subscription_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    subscription_id: UUID,
    *,
    client: AuthenticatedClient,
    body: PatchedWebhookSubscriptionUpdateInputRequest | Unset = UNSET,
) -> Problem | WebhookSubscription | None:
    """Change a webhook subscription

     Change `url`, `event_types`, `description`, or set `active` (e.g. re-enable after a 410).

    Args:
        subscription_id (UUID):
        body (PatchedWebhookSubscriptionUpdateInputRequest | Unset): Refuse any body field the
            serializer does not declare as writable.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | WebhookSubscription
    """

    return (
        await asyncio_detailed(
            subscription_id=subscription_id,
            client=client,
            body=body,
        )
    ).parsed
