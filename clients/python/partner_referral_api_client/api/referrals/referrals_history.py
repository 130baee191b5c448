from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.paginated_status_event_list import PaginatedStatusEventList
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
    x_purpose_of_use: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_purpose_of_use, Unset):
        headers["X-Purpose-Of-Use"] = x_purpose_of_use

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    params["page_size"] = page_size

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/referrals/{id}/history/".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PaginatedStatusEventList | Problem | None:
    if response.status_code == 200:
        response_200 = PaginatedStatusEventList.from_dict(response.json())

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
) -> Response[PaginatedStatusEventList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
    x_purpose_of_use: str | Unset = UNSET,
) -> Response[PaginatedStatusEventList | Problem]:
    """Status history, oldest first

     Base for every referral route: caller identity, need-to-know lookup, denied-access audit.

    Scopes: `referrals:read`.

    Args:
        id (UUID):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.
        x_purpose_of_use (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedStatusEventList | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        cursor=cursor,
        page_size=page_size,
        x_purpose_of_use=x_purpose_of_use,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
    x_purpose_of_use: str | Unset = UNSET,
) -> PaginatedStatusEventList | Problem | None:
    """Status history, oldest first

     Base for every referral route: caller identity, need-to-know lookup, denied-access audit.

    Scopes: `referrals:read`.

    Args:
        id (UUID):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.
        x_purpose_of_use (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedStatusEventList | Problem
    """

    return sync_detailed(
        id=id,
        client=client,
        cursor=cursor,
        page_size=page_size,
        x_purpose_of_use=x_purpose_of_use,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
    x_purpose_of_use: str | Unset = UNSET,
) -> Response[PaginatedStatusEventList | Problem]:
    """Status history, oldest first

     Base for every referral route: caller identity, need-to-know lookup, denied-access audit.

    Scopes: `referrals:read`.

    Args:
        id (UUID):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.
        x_purpose_of_use (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedStatusEventList | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        cursor=cursor,
        page_size=page_size,
        x_purpose_of_use=x_purpose_of_use,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    page_size: int | Unset = 50,
    x_purpose_of_use: str | Unset = UNSET,
) -> PaginatedStatusEventList | Problem | None:
    """Status history, oldest first

     Base for every referral route: caller identity, need-to-know lookup, denied-access audit.

    Scopes: `referrals:read`.

    Args:
        id (UUID):
        cursor (str | Unset):
        page_size (int | Unset):  Default: 50.
        x_purpose_of_use (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedStatusEventList | Problem
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            cursor=cursor,
            page_size=page_size,
            x_purpose_of_use=x_purpose_of_use,
        )
    ).parsed
