from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.note import Note
from ...models.note_create_request import NoteCreateRequest
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    body: NoteCreateRequest,
    x_purpose_of_use: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_purpose_of_use, Unset):
        headers["X-Purpose-Of-Use"] = x_purpose_of_use

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/referrals/{id}/notes/".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Note | Problem | None:
    if response.status_code == 201:
        response_201 = Note.from_dict(response.json())

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Note | Problem]:
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
    body: NoteCreateRequest,
    x_purpose_of_use: str | Unset = UNSET,
) -> Response[Note | Problem]:
    """Add a note

     Either party may add a note, at any time (notes are never edited or deleted). Say where the
    information came from in `information_source`.

    Args:
        id (UUID):
        x_purpose_of_use (str | Unset):
        body (NoteCreateRequest): Refuses unknown fields and fields the server owns, naming each
            (api-contract.md, Conventions).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Note | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
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
    body: NoteCreateRequest,
    x_purpose_of_use: str | Unset = UNSET,
) -> Note | Problem | None:
    """Add a note

     Either party may add a note, at any time (notes are never edited or deleted). Say where the
    information came from in `information_source`.

    Args:
        id (UUID):
        x_purpose_of_use (str | Unset):
        body (NoteCreateRequest): Refuses unknown fields and fields the server owns, naming each
            (api-contract.md, Conventions).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Note | Problem
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
        x_purpose_of_use=x_purpose_of_use,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: NoteCreateRequest,
    x_purpose_of_use: str | Unset = UNSET,
) -> Response[Note | Problem]:
    """Add a note

     Either party may add a note, at any time (notes are never edited or deleted). Say where the
    information came from in `information_source`.

    Args:
        id (UUID):
        x_purpose_of_use (str | Unset):
        body (NoteCreateRequest): Refuses unknown fields and fields the server owns, naming each
            (api-contract.md, Conventions).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Note | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        x_purpose_of_use=x_purpose_of_use,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: NoteCreateRequest,
    x_purpose_of_use: str | Unset = UNSET,
) -> Note | Problem | None:
    """Add a note

     Either party may add a note, at any time (notes are never edited or deleted). Say where the
    information came from in `information_source`.

    Args:
        id (UUID):
        x_purpose_of_use (str | Unset):
        body (NoteCreateRequest): Refuses unknown fields and fields the server owns, naming each
            (api-contract.md, Conventions).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Note | Problem
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
            x_purpose_of_use=x_purpose_of_use,
        )
    ).parsed
