from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.protection_input_request import ProtectionInputRequest
from ...models.referral import Referral
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    person_id: UUID,
    *,
    body: ProtectionInputRequest,
    if_match: str | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    if not isinstance(x_purpose_of_use, Unset):
        headers["X-Purpose-Of-Use"] = x_purpose_of_use

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/referrals/{id}/persons/{person_id}/protection/".format(
            id=quote(str(id), safe=""),
            person_id=quote(str(person_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Problem | Referral | None:
    if response.status_code == 200:
        response_200 = Referral.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

    if response.status_code == 410:
        response_410 = Problem.from_dict(response.json())

        return response_410

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 422:
        response_422 = Problem.from_dict(response.json())

        return response_422

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


def _build_response(*, client: AuthenticatedClient | Client, response: httpx.Response) -> Response[Problem | Referral]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    person_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ProtectionInputRequest,
    if_match: str | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> Response[Problem | Referral]:
    """Protect a person (8 U.S.C. 1367)

     Either party flags a person as protected by 8 U.S.C. 1367 (applied for or holds T, U or VAWA relief;
    1367(a)(2)), with what the protection rests on and, if known, when it ends; the receiver is often
    the one that knows. Protection can only be added or its end date changed, never removed through the
    API (422 otherwise). If the receiving agency is not `may_receive_1367_protected` and the person has
    no `disclosure_basis`, the person is masked for the receiver from then on (`masked: true`,
    `withheld: "1367"`) whatever its scopes; the sender always sees what it sent. Only while the
    referral is open (409 `invalid-transition` otherwise). Emits `referral.protection_changed` (person
    id and which party, no PII). Answers 200 with the referral. See docs/legal-rules.md.

    Args:
        id (UUID):
        person_id (UUID):
        if_match (str | Unset):
        x_purpose_of_use (str | Unset):
        body (ProtectionInputRequest): ``POST referrals/{id}/persons/{person_id}/protection/``:
            add 8 U.S.C. 1367 protection or change its end.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Referral]
    """

    kwargs = _get_kwargs(
        id=id,
        person_id=person_id,
        body=body,
        if_match=if_match,
        x_purpose_of_use=x_purpose_of_use,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    person_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ProtectionInputRequest,
    if_match: str | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> Problem | Referral | None:
    """Protect a person (8 U.S.C. 1367)

     Either party flags a person as protected by 8 U.S.C. 1367 (applied for or holds T, U or VAWA relief;
    1367(a)(2)), with what the protection rests on and, if known, when it ends; the receiver is often
    the one that knows. Protection can only be added or its end date changed, never removed through the
    API (422 otherwise). If the receiving agency is not `may_receive_1367_protected` and the person has
    no `disclosure_basis`, the person is masked for the receiver from then on (`masked: true`,
    `withheld: "1367"`) whatever its scopes; the sender always sees what it sent. Only while the
    referral is open (409 `invalid-transition` otherwise). Emits `referral.protection_changed` (person
    id and which party, no PII). Answers 200 with the referral. See docs/legal-rules.md.

    Args:
        id (UUID):
        person_id (UUID):
        if_match (str | Unset):
        x_purpose_of_use (str | Unset):
        body (ProtectionInputRequest): ``POST referrals/{id}/persons/{person_id}/protection/``:
            add 8 U.S.C. 1367 protection or change its end.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Referral
    """

    return sync_detailed(
        id=id,
        person_id=person_id,
        client=client,
        body=body,
        if_match=if_match,
        x_purpose_of_use=x_purpose_of_use,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    person_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ProtectionInputRequest,
    if_match: str | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> Response[Problem | Referral]:
    """Protect a person (8 U.S.C. 1367)

     Either party flags a person as protected by 8 U.S.C. 1367 (applied for or holds T, U or VAWA relief;
    1367(a)(2)), with what the protection rests on and, if known, when it ends; the receiver is often
    the one that knows. Protection can only be added or its end date changed, never removed through the
    API (422 otherwise). If the receiving agency is not `may_receive_1367_protected` and the person has
    no `disclosure_basis`, the person is masked for the receiver from then on (`masked: true`,
    `withheld: "1367"`) whatever its scopes; the sender always sees what it sent. Only while the
    referral is open (409 `invalid-transition` otherwise). Emits `referral.protection_changed` (person
    id and which party, no PII). Answers 200 with the referral. See docs/legal-rules.md.

    Args:
        id (UUID):
        person_id (UUID):
        if_match (str | Unset):
        x_purpose_of_use (str | Unset):
        body (ProtectionInputRequest): ``POST referrals/{id}/persons/{person_id}/protection/``:
            add 8 U.S.C. 1367 protection or change its end.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Referral]
    """

    kwargs = _get_kwargs(
        id=id,
        person_id=person_id,
        body=body,
        if_match=if_match,
        x_purpose_of_use=x_purpose_of_use,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    person_id: UUID,
    *,
    client: AuthenticatedClient,
    body: ProtectionInputRequest,
    if_match: str | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> Problem | Referral | None:
    """Protect a person (8 U.S.C. 1367)

     Either party flags a person as protected by 8 U.S.C. 1367 (applied for or holds T, U or VAWA relief;
    1367(a)(2)), with what the protection rests on and, if known, when it ends; the receiver is often
    the one that knows. Protection can only be added or its end date changed, never removed through the
    API (422 otherwise). If the receiving agency is not `may_receive_1367_protected` and the person has
    no `disclosure_basis`, the person is masked for the receiver from then on (`masked: true`,
    `withheld: "1367"`) whatever its scopes; the sender always sees what it sent. Only while the
    referral is open (409 `invalid-transition` otherwise). Emits `referral.protection_changed` (person
    id and which party, no PII). Answers 200 with the referral. See docs/legal-rules.md.

    Args:
        id (UUID):
        person_id (UUID):
        if_match (str | Unset):
        x_purpose_of_use (str | Unset):
        body (ProtectionInputRequest): ``POST referrals/{id}/persons/{person_id}/protection/``:
            add 8 U.S.C. 1367 protection or change its end.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Referral
    """

    return (
        await asyncio_detailed(
            id=id,
            person_id=person_id,
            client=client,
            body=body,
            if_match=if_match,
            x_purpose_of_use=x_purpose_of_use,
        )
    ).parsed
