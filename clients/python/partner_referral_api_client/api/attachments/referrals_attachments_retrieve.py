from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.attachment import Attachment
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    attachment_id: UUID,
    *,
    x_purpose_of_use: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_purpose_of_use, Unset):
        headers["X-Purpose-Of-Use"] = x_purpose_of_use

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/referrals/{id}/attachments/{attachment_id}/".format(
            id=quote(str(id), safe=""),
            attachment_id=quote(str(attachment_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Attachment | Problem | None:
    if response.status_code == 200:
        response_200 = Attachment.from_dict(response.json())

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
) -> Response[Attachment | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    attachment_id: UUID,
    *,
    client: AuthenticatedClient,
    x_purpose_of_use: str | Unset = UNSET,
) -> Response[Attachment | Problem]:
    """Read an attachment's metadata

     Resolves the referral once, with only the columns these routes need.

    Scopes: `referrals:read`.

    Args:
        id (UUID):
        attachment_id (UUID):
        x_purpose_of_use (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Attachment | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        attachment_id=attachment_id,
        x_purpose_of_use=x_purpose_of_use,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    attachment_id: UUID,
    *,
    client: AuthenticatedClient,
    x_purpose_of_use: str | Unset = UNSET,
) -> Attachment | Problem | None:
    """Read an attachment's metadata

     Resolves the referral once, with only the columns these routes need.

    Scopes: `referrals:read`.

    Args:
        id (UUID):
        attachment_id (UUID):
        x_purpose_of_use (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Attachment | Problem
    """

    return sync_detailed(
        id=id,
        attachment_id=attachment_id,
        client=client,
        x_purpose_of_use=x_purpose_of_use,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    attachment_id: UUID,
    *,
    client: AuthenticatedClient,
    x_purpose_of_use: str | Unset = UNSET,
) -> Response[Attachment | Problem]:
    """Read an attachment's metadata

     Resolves the referral once, with only the columns these routes need.

    Scopes: `referrals:read`.

    Args:
        id (UUID):
        attachment_id (UUID):
        x_purpose_of_use (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Attachment | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        attachment_id=attachment_id,
        x_purpose_of_use=x_purpose_of_use,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    attachment_id: UUID,
    *,
    client: AuthenticatedClient,
    x_purpose_of_use: str | Unset = UNSET,
) -> Attachment | Problem | None:
    """Read an attachment's metadata

     Resolves the referral once, with only the columns these routes need.

    Scopes: `referrals:read`.

    Args:
        id (UUID):
        attachment_id (UUID):
        x_purpose_of_use (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Attachment | Problem
    """

    return (
        await asyncio_detailed(
            id=id,
            attachment_id=attachment_id,
            client=client,
            x_purpose_of_use=x_purpose_of_use,
        )
    ).parsed
