from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.complete_input_request import CompleteInputRequest
from ...models.problem import Problem
from ...models.referral import Referral
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    body: CompleteInputRequest,
    idempotency_key: str | Unset = UNSET,
    if_match: str | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    if not isinstance(x_purpose_of_use, Unset):
        headers["X-Purpose-Of-Use"] = x_purpose_of_use

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/referrals/{id}/complete/".format(
            id=quote(str(id), safe=""),
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
    *,
    client: AuthenticatedClient,
    body: CompleteInputRequest,
    idempotency_key: str | Unset = UNSET,
    if_match: str | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> Response[Problem | Referral]:
    """Complete (receiver)

     The receiver records the outcome. Only the receiving agency may do this (403 `permission-denied`
    otherwise). From: accepted, in_progress, on_hold; to: `completed` (409 `invalid-transition` from any
    other status, listing `allowed_actions`). Of two concurrent actions on one referral exactly one
    wins.

    The lifecycle:

    | action | who | from | to | body |
    | --- | --- | --- | --- | --- |
    | `acknowledge` | receiver | submitted | acknowledged | `{}` |
    | `accept` | receiver | submitted, acknowledged | accepted | `assignee` (optional),
    `receiver_reference` (optional) |
    | `reject` | receiver | submitted, acknowledged | rejected | `reason_code`, `reason` |
    | `request-info` | receiver | submitted, acknowledged | info_requested | `question` |
    | `respond` | sender | info_requested | acknowledged | `answer` |
    | `start` | receiver | accepted | in_progress | `{}` |
    | `hold` | receiver | in_progress | on_hold | `reason` |
    | `resume` | receiver | on_hold | in_progress | `{}` |
    | `complete` | receiver | accepted, in_progress, on_hold | completed | `outcome_code`, `outcome`,
    `continued_presence` (optional) |
    | `withdraw` | sender | any non-terminal | withdrawn | `reason` |
    | `recall` | sender | any non-terminal | recalled | `reason` |
    | `forward` | receiver | accepted, in_progress | (unchanged; a new child referral) | `receiver`,
    `referral_type`, `person_ids`, `summary`, `note` (optional), `disclosure_bases` (optional) |

    Args:
        id (UUID):
        idempotency_key (str | Unset):
        if_match (str | Unset):
        x_purpose_of_use (str | Unset):
        body (CompleteInputRequest): Refuses unknown fields and fields the server owns, naming
            each (api-contract.md, Conventions).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Referral]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        idempotency_key=idempotency_key,
        if_match=if_match,
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
    body: CompleteInputRequest,
    idempotency_key: str | Unset = UNSET,
    if_match: str | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> Problem | Referral | None:
    """Complete (receiver)

     The receiver records the outcome. Only the receiving agency may do this (403 `permission-denied`
    otherwise). From: accepted, in_progress, on_hold; to: `completed` (409 `invalid-transition` from any
    other status, listing `allowed_actions`). Of two concurrent actions on one referral exactly one
    wins.

    The lifecycle:

    | action | who | from | to | body |
    | --- | --- | --- | --- | --- |
    | `acknowledge` | receiver | submitted | acknowledged | `{}` |
    | `accept` | receiver | submitted, acknowledged | accepted | `assignee` (optional),
    `receiver_reference` (optional) |
    | `reject` | receiver | submitted, acknowledged | rejected | `reason_code`, `reason` |
    | `request-info` | receiver | submitted, acknowledged | info_requested | `question` |
    | `respond` | sender | info_requested | acknowledged | `answer` |
    | `start` | receiver | accepted | in_progress | `{}` |
    | `hold` | receiver | in_progress | on_hold | `reason` |
    | `resume` | receiver | on_hold | in_progress | `{}` |
    | `complete` | receiver | accepted, in_progress, on_hold | completed | `outcome_code`, `outcome`,
    `continued_presence` (optional) |
    | `withdraw` | sender | any non-terminal | withdrawn | `reason` |
    | `recall` | sender | any non-terminal | recalled | `reason` |
    | `forward` | receiver | accepted, in_progress | (unchanged; a new child referral) | `receiver`,
    `referral_type`, `person_ids`, `summary`, `note` (optional), `disclosure_bases` (optional) |

    Args:
        id (UUID):
        idempotency_key (str | Unset):
        if_match (str | Unset):
        x_purpose_of_use (str | Unset):
        body (CompleteInputRequest): Refuses unknown fields and fields the server owns, naming
            each (api-contract.md, Conventions).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Referral
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
        idempotency_key=idempotency_key,
        if_match=if_match,
        x_purpose_of_use=x_purpose_of_use,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: CompleteInputRequest,
    idempotency_key: str | Unset = UNSET,
    if_match: str | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> Response[Problem | Referral]:
    """Complete (receiver)

     The receiver records the outcome. Only the receiving agency may do this (403 `permission-denied`
    otherwise). From: accepted, in_progress, on_hold; to: `completed` (409 `invalid-transition` from any
    other status, listing `allowed_actions`). Of two concurrent actions on one referral exactly one
    wins.

    The lifecycle:

    | action | who | from | to | body |
    | --- | --- | --- | --- | --- |
    | `acknowledge` | receiver | submitted | acknowledged | `{}` |
    | `accept` | receiver | submitted, acknowledged | accepted | `assignee` (optional),
    `receiver_reference` (optional) |
    | `reject` | receiver | submitted, acknowledged | rejected | `reason_code`, `reason` |
    | `request-info` | receiver | submitted, acknowledged | info_requested | `question` |
    | `respond` | sender | info_requested | acknowledged | `answer` |
    | `start` | receiver | accepted | in_progress | `{}` |
    | `hold` | receiver | in_progress | on_hold | `reason` |
    | `resume` | receiver | on_hold | in_progress | `{}` |
    | `complete` | receiver | accepted, in_progress, on_hold | completed | `outcome_code`, `outcome`,
    `continued_presence` (optional) |
    | `withdraw` | sender | any non-terminal | withdrawn | `reason` |
    | `recall` | sender | any non-terminal | recalled | `reason` |
    | `forward` | receiver | accepted, in_progress | (unchanged; a new child referral) | `receiver`,
    `referral_type`, `person_ids`, `summary`, `note` (optional), `disclosure_bases` (optional) |

    Args:
        id (UUID):
        idempotency_key (str | Unset):
        if_match (str | Unset):
        x_purpose_of_use (str | Unset):
        body (CompleteInputRequest): Refuses unknown fields and fields the server owns, naming
            each (api-contract.md, Conventions).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Referral]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        idempotency_key=idempotency_key,
        if_match=if_match,
        x_purpose_of_use=x_purpose_of_use,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: CompleteInputRequest,
    idempotency_key: str | Unset = UNSET,
    if_match: str | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> Problem | Referral | None:
    """Complete (receiver)

     The receiver records the outcome. Only the receiving agency may do this (403 `permission-denied`
    otherwise). From: accepted, in_progress, on_hold; to: `completed` (409 `invalid-transition` from any
    other status, listing `allowed_actions`). Of two concurrent actions on one referral exactly one
    wins.

    The lifecycle:

    | action | who | from | to | body |
    | --- | --- | --- | --- | --- |
    | `acknowledge` | receiver | submitted | acknowledged | `{}` |
    | `accept` | receiver | submitted, acknowledged | accepted | `assignee` (optional),
    `receiver_reference` (optional) |
    | `reject` | receiver | submitted, acknowledged | rejected | `reason_code`, `reason` |
    | `request-info` | receiver | submitted, acknowledged | info_requested | `question` |
    | `respond` | sender | info_requested | acknowledged | `answer` |
    | `start` | receiver | accepted | in_progress | `{}` |
    | `hold` | receiver | in_progress | on_hold | `reason` |
    | `resume` | receiver | on_hold | in_progress | `{}` |
    | `complete` | receiver | accepted, in_progress, on_hold | completed | `outcome_code`, `outcome`,
    `continued_presence` (optional) |
    | `withdraw` | sender | any non-terminal | withdrawn | `reason` |
    | `recall` | sender | any non-terminal | recalled | `reason` |
    | `forward` | receiver | accepted, in_progress | (unchanged; a new child referral) | `receiver`,
    `referral_type`, `person_ids`, `summary`, `note` (optional), `disclosure_bases` (optional) |

    Args:
        id (UUID):
        idempotency_key (str | Unset):
        if_match (str | Unset):
        x_purpose_of_use (str | Unset):
        body (CompleteInputRequest): Refuses unknown fields and fields the server owns, naming
            each (api-contract.md, Conventions).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Referral
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            if_match=if_match,
            x_purpose_of_use=x_purpose_of_use,
        )
    ).parsed
