from http import HTTPStatus
from io import BytesIO
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import UNSET, File, Response, Unset


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
        "url": "/api/v1/referrals/{id}/attachments/{attachment_id}/content/".format(
            id=quote(str(id), safe=""),
            attachment_id=quote(str(attachment_id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> File | Problem | None:
    if response.status_code == 200:
        response_200 = File(payload=BytesIO(response.text))

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[File | Problem]:
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
) -> Response[File | Problem]:
    """Download an attachment

     The file as stored, with `Content-Type` set to the type decided from its content, `Content-
    Disposition: attachment` (the display file name, RFC 6266), `X-Content-Type-Options: nosniff` and
    `Repr-Digest` (RFC 9530, the SHA-256 in `sha256`). The stored object is decrypted and checked
    against its SHA-256 before the first byte is sent: a mismatch is a 500 `server-error` and nothing is
    served. A file flagged by the malware scanner is never served (404 `not-found`; its metadata shows
    `scan_status: infected`). Every download is audited.

    Args:
        id (UUID):
        attachment_id (UUID):
        x_purpose_of_use (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
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
) -> File | Problem | None:
    """Download an attachment

     The file as stored, with `Content-Type` set to the type decided from its content, `Content-
    Disposition: attachment` (the display file name, RFC 6266), `X-Content-Type-Options: nosniff` and
    `Repr-Digest` (RFC 9530, the SHA-256 in `sha256`). The stored object is decrypted and checked
    against its SHA-256 before the first byte is sent: a mismatch is a 500 `server-error` and nothing is
    served. A file flagged by the malware scanner is never served (404 `not-found`; its metadata shows
    `scan_status: infected`). Every download is audited.

    Args:
        id (UUID):
        attachment_id (UUID):
        x_purpose_of_use (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
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
) -> Response[File | Problem]:
    """Download an attachment

     The file as stored, with `Content-Type` set to the type decided from its content, `Content-
    Disposition: attachment` (the display file name, RFC 6266), `X-Content-Type-Options: nosniff` and
    `Repr-Digest` (RFC 9530, the SHA-256 in `sha256`). The stored object is decrypted and checked
    against its SHA-256 before the first byte is sent: a mismatch is a 500 `server-error` and nothing is
    served. A file flagged by the malware scanner is never served (404 `not-found`; its metadata shows
    `scan_status: infected`). Every download is audited.

    Args:
        id (UUID):
        attachment_id (UUID):
        x_purpose_of_use (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[File | Problem]
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
) -> File | Problem | None:
    """Download an attachment

     The file as stored, with `Content-Type` set to the type decided from its content, `Content-
    Disposition: attachment` (the display file name, RFC 6266), `X-Content-Type-Options: nosniff` and
    `Repr-Digest` (RFC 9530, the SHA-256 in `sha256`). The stored object is decrypted and checked
    against its SHA-256 before the first byte is sent: a mismatch is a 500 `server-error` and nothing is
    served. A file flagged by the malware scanner is never served (404 `not-found`; its metadata shows
    `scan_status: infected`). Every download is audited.

    Args:
        id (UUID):
        attachment_id (UUID):
        x_purpose_of_use (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        File | Problem
    """

    return (
        await asyncio_detailed(
            id=id,
            attachment_id=attachment_id,
            client=client,
            x_purpose_of_use=x_purpose_of_use,
        )
    ).parsed
