from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.event_feed_page import EventFeedPage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    after: UUID | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_after: str | Unset = UNSET
    if not isinstance(after, Unset):
        json_after = str(after)
    params["after"] = json_after

    params["page_size"] = page_size

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/events/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EventFeedPage | Problem | None:
    if response.status_code == 200:
        response_200 = EventFeedPage.from_dict(response.json())

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

    if response.status_code == 410:
        response_410 = Problem.from_dict(response.json())

        return response_410

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
) -> Response[EventFeedPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    after: UUID | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> Response[EventFeedPage | Problem]:
    """Event feed

     Your agency's events (it is the sender or receiver of the referral), oldest first, in commit order.

    Poll with `after` set to the previous answer's `next_after`: every event appears exactly once, in
    order,
    even while events are being written concurrently (an event gets its feed position only once its
    transaction has committed). `after` must be an event id from your own feed, else 400. Without
    `after`, the
    feed starts at the beginning. `next_after` equals `after` when there is nothing new. Events are kept
    `EVENT_RETENTION_DAYS` (default 90): an `after` older than the oldest kept event answers 410 `gone`
    (poll
    without `after` to start again from the oldest kept one).

    `data` carries no personal data: `actor_agency`, and e.g. `from_status`/`to_status` or
    `changed_fields`.
    Read the referral itself (with `referrals:read`) for its content.

    Args:
        after (UUID | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventFeedPage | Problem]
    """

    kwargs = _get_kwargs(
        after=after,
        page_size=page_size,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    after: UUID | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> EventFeedPage | Problem | None:
    """Event feed

     Your agency's events (it is the sender or receiver of the referral), oldest first, in commit order.

    Poll with `after` set to the previous answer's `next_after`: every event appears exactly once, in
    order,
    even while events are being written concurrently (an event gets its feed position only once its
    transaction has committed). `after` must be an event id from your own feed, else 400. Without
    `after`, the
    feed starts at the beginning. `next_after` equals `after` when there is nothing new. Events are kept
    `EVENT_RETENTION_DAYS` (default 90): an `after` older than the oldest kept event answers 410 `gone`
    (poll
    without `after` to start again from the oldest kept one).

    `data` carries no personal data: `actor_agency`, and e.g. `from_status`/`to_status` or
    `changed_fields`.
    Read the referral itself (with `referrals:read`) for its content.

    Args:
        after (UUID | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventFeedPage | Problem
    """

    return sync_detailed(
        client=client,
        after=after,
        page_size=page_size,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    after: UUID | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> Response[EventFeedPage | Problem]:
    """Event feed

     Your agency's events (it is the sender or receiver of the referral), oldest first, in commit order.

    Poll with `after` set to the previous answer's `next_after`: every event appears exactly once, in
    order,
    even while events are being written concurrently (an event gets its feed position only once its
    transaction has committed). `after` must be an event id from your own feed, else 400. Without
    `after`, the
    feed starts at the beginning. `next_after` equals `after` when there is nothing new. Events are kept
    `EVENT_RETENTION_DAYS` (default 90): an `after` older than the oldest kept event answers 410 `gone`
    (poll
    without `after` to start again from the oldest kept one).

    `data` carries no personal data: `actor_agency`, and e.g. `from_status`/`to_status` or
    `changed_fields`.
    Read the referral itself (with `referrals:read`) for its content.

    Args:
        after (UUID | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EventFeedPage | Problem]
    """

    kwargs = _get_kwargs(
        after=after,
        page_size=page_size,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    after: UUID | Unset = UNSET,
    page_size: int | Unset = UNSET,
) -> EventFeedPage | Problem | None:
    """Event feed

     Your agency's events (it is the sender or receiver of the referral), oldest first, in commit order.

    Poll with `after` set to the previous answer's `next_after`: every event appears exactly once, in
    order,
    even while events are being written concurrently (an event gets its feed position only once its
    transaction has committed). `after` must be an event id from your own feed, else 400. Without
    `after`, the
    feed starts at the beginning. `next_after` equals `after` when there is nothing new. Events are kept
    `EVENT_RETENTION_DAYS` (default 90): an `after` older than the oldest kept event answers 410 `gone`
    (poll
    without `after` to start again from the oldest kept one).

    `data` carries no personal data: `actor_agency`, and e.g. `from_status`/`to_status` or
    `changed_fields`.
    Read the referral itself (with `referrals:read`) for its content.

    Args:
        after (UUID | Unset):
        page_size (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EventFeedPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            after=after,
            page_size=page_size,
        )
    ).parsed
