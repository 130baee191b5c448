from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.attachment import Attachment
from ...models.attachment_upload_request import AttachmentUploadRequest
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    body: AttachmentUploadRequest,
    x_purpose_of_use: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_purpose_of_use, Unset):
        headers["X-Purpose-Of-Use"] = x_purpose_of_use

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/referrals/{id}/attachments/".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["files"] = body.to_multipart()

    headers["Content-Type"] = "multipart/form-data; boundary=+++"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Attachment | Problem | None:
    if response.status_code == 201:
        response_201 = Attachment.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 410:
        response_410 = Problem.from_dict(response.json())

        return response_410

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

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
    *,
    client: AuthenticatedClient,
    body: AttachmentUploadRequest,
    x_purpose_of_use: str | Unset = UNSET,
) -> Response[Attachment | Problem]:
    """Upload an attachment

     Either party may upload while the referral is not terminal (409 `invalid-transition` otherwise).
    Send `multipart/form-data` with exactly the fields `file`, `kind`, optionally `description`, and
    `signed_on` for a Supplement B (`i914_supplement_b`, `i918_supplement_b`: required, a date not in
    the future); any other field is a 400. The metadata of an `i918_supplement_b` adds `usable_until`
    (signed_on + 6 months). The kind `supplement_b` is deprecated (answered with `Deprecation`).

    The type is decided by the file's **content**, never its name or declared type: PDF (with a real PDF
    structure), PNG, JPEG or plain UTF-8 text (no NUL or other control characters, not HTML/XML).
    Anything else is 415 `unsupported-media-type`. Files over `ATTACHMENT_MAX_BYTES` (default 10 MiB)
    are 413 `payload-too-large`, refused as soon as the limit is passed.

    Metadata (EXIF with GPS position, XMP, IPTC, comments, text chunks) is removed from PNG and JPEG
    images before storage, so `size` and `sha256` describe the file as stored and served. The file name
    is kept for display only (path and control characters removed). The file is scanned for malware: a
    flagged file is recorded with `scan_status: infected` and its content is discarded (never served).
    If the scanner cannot answer, nothing is stored: 503 `service-unavailable` with `Retry-After`.

    Emits `referral.attachment_added` (id, kind, media type, size; never the name or content).

    Args:
        id (UUID):
        x_purpose_of_use (str | Unset):
        body (AttachmentUploadRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Attachment | Problem]
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
    body: AttachmentUploadRequest,
    x_purpose_of_use: str | Unset = UNSET,
) -> Attachment | Problem | None:
    """Upload an attachment

     Either party may upload while the referral is not terminal (409 `invalid-transition` otherwise).
    Send `multipart/form-data` with exactly the fields `file`, `kind`, optionally `description`, and
    `signed_on` for a Supplement B (`i914_supplement_b`, `i918_supplement_b`: required, a date not in
    the future); any other field is a 400. The metadata of an `i918_supplement_b` adds `usable_until`
    (signed_on + 6 months). The kind `supplement_b` is deprecated (answered with `Deprecation`).

    The type is decided by the file's **content**, never its name or declared type: PDF (with a real PDF
    structure), PNG, JPEG or plain UTF-8 text (no NUL or other control characters, not HTML/XML).
    Anything else is 415 `unsupported-media-type`. Files over `ATTACHMENT_MAX_BYTES` (default 10 MiB)
    are 413 `payload-too-large`, refused as soon as the limit is passed.

    Metadata (EXIF with GPS position, XMP, IPTC, comments, text chunks) is removed from PNG and JPEG
    images before storage, so `size` and `sha256` describe the file as stored and served. The file name
    is kept for display only (path and control characters removed). The file is scanned for malware: a
    flagged file is recorded with `scan_status: infected` and its content is discarded (never served).
    If the scanner cannot answer, nothing is stored: 503 `service-unavailable` with `Retry-After`.

    Emits `referral.attachment_added` (id, kind, media type, size; never the name or content).

    Args:
        id (UUID):
        x_purpose_of_use (str | Unset):
        body (AttachmentUploadRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Attachment | Problem
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
    body: AttachmentUploadRequest,
    x_purpose_of_use: str | Unset = UNSET,
) -> Response[Attachment | Problem]:
    """Upload an attachment

     Either party may upload while the referral is not terminal (409 `invalid-transition` otherwise).
    Send `multipart/form-data` with exactly the fields `file`, `kind`, optionally `description`, and
    `signed_on` for a Supplement B (`i914_supplement_b`, `i918_supplement_b`: required, a date not in
    the future); any other field is a 400. The metadata of an `i918_supplement_b` adds `usable_until`
    (signed_on + 6 months). The kind `supplement_b` is deprecated (answered with `Deprecation`).

    The type is decided by the file's **content**, never its name or declared type: PDF (with a real PDF
    structure), PNG, JPEG or plain UTF-8 text (no NUL or other control characters, not HTML/XML).
    Anything else is 415 `unsupported-media-type`. Files over `ATTACHMENT_MAX_BYTES` (default 10 MiB)
    are 413 `payload-too-large`, refused as soon as the limit is passed.

    Metadata (EXIF with GPS position, XMP, IPTC, comments, text chunks) is removed from PNG and JPEG
    images before storage, so `size` and `sha256` describe the file as stored and served. The file name
    is kept for display only (path and control characters removed). The file is scanned for malware: a
    flagged file is recorded with `scan_status: infected` and its content is discarded (never served).
    If the scanner cannot answer, nothing is stored: 503 `service-unavailable` with `Retry-After`.

    Emits `referral.attachment_added` (id, kind, media type, size; never the name or content).

    Args:
        id (UUID):
        x_purpose_of_use (str | Unset):
        body (AttachmentUploadRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Attachment | Problem]
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
    body: AttachmentUploadRequest,
    x_purpose_of_use: str | Unset = UNSET,
) -> Attachment | Problem | None:
    """Upload an attachment

     Either party may upload while the referral is not terminal (409 `invalid-transition` otherwise).
    Send `multipart/form-data` with exactly the fields `file`, `kind`, optionally `description`, and
    `signed_on` for a Supplement B (`i914_supplement_b`, `i918_supplement_b`: required, a date not in
    the future); any other field is a 400. The metadata of an `i918_supplement_b` adds `usable_until`
    (signed_on + 6 months). The kind `supplement_b` is deprecated (answered with `Deprecation`).

    The type is decided by the file's **content**, never its name or declared type: PDF (with a real PDF
    structure), PNG, JPEG or plain UTF-8 text (no NUL or other control characters, not HTML/XML).
    Anything else is 415 `unsupported-media-type`. Files over `ATTACHMENT_MAX_BYTES` (default 10 MiB)
    are 413 `payload-too-large`, refused as soon as the limit is passed.

    Metadata (EXIF with GPS position, XMP, IPTC, comments, text chunks) is removed from PNG and JPEG
    images before storage, so `size` and `sha256` describe the file as stored and served. The file name
    is kept for display only (path and control characters removed). The file is scanned for malware: a
    flagged file is recorded with `scan_status: infected` and its content is discarded (never served).
    If the scanner cannot answer, nothing is stored: 503 `service-unavailable` with `Retry-After`.

    Emits `referral.attachment_added` (id, kind, media type, size; never the name or content).

    Args:
        id (UUID):
        x_purpose_of_use (str | Unset):
        body (AttachmentUploadRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Attachment | Problem
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
            x_purpose_of_use=x_purpose_of_use,
        )
    ).parsed
