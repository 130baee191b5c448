from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.forward_input_request import ForwardInputRequest
from ...models.problem import Problem
from ...models.referral_created import ReferralCreated
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    body: ForwardInputRequest,
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
        "url": "/api/v1/referrals/{id}/forward/".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ReferralCreated | None:
    if response.status_code == 201:
        response_201 = ReferralCreated.from_dict(response.json())

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


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Problem | ReferralCreated]:
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
    body: ForwardInputRequest,
    idempotency_key: str | Unset = UNSET,
    if_match: str | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> Response[Problem | ReferralCreated]:
    """Forward people to a third agency (receiver)

     The receiving agency, while the referral is `accepted` or `in_progress`, hands chosen people
    (`person_ids`) on to a third agency. The answer (201) is a **new referral** from your agency to that
    agency, whose `parent` names this one; this referral's status does not change, its `children` list
    the new referral (to both of its parties: the original sender learns where its referral went and how
    it stands, not the new referral's people or narrative) and its history records the forward. Every
    create rule applies to the new referral: routing (422 on `receiver.agency`), 8 U.S.C. 1367 (a
    protected person going to an agency not marked `may_receive_1367_protected` needs a basis in
    `disclosure_bases`, else 422 `disclosure-basis-required`), minors and the HHS notice, deprecated
    types. The priority is the original's. Emits `referral.forwarded` to this referral's parties and
    `referral.created` to the new one's. 403 for the sender, 409 `invalid-transition` from another
    status.

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
        body (ForwardInputRequest): Forward chosen people of a referral you received to a third
            agency, as a new referral from you.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReferralCreated]
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
    body: ForwardInputRequest,
    idempotency_key: str | Unset = UNSET,
    if_match: str | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> Problem | ReferralCreated | None:
    """Forward people to a third agency (receiver)

     The receiving agency, while the referral is `accepted` or `in_progress`, hands chosen people
    (`person_ids`) on to a third agency. The answer (201) is a **new referral** from your agency to that
    agency, whose `parent` names this one; this referral's status does not change, its `children` list
    the new referral (to both of its parties: the original sender learns where its referral went and how
    it stands, not the new referral's people or narrative) and its history records the forward. Every
    create rule applies to the new referral: routing (422 on `receiver.agency`), 8 U.S.C. 1367 (a
    protected person going to an agency not marked `may_receive_1367_protected` needs a basis in
    `disclosure_bases`, else 422 `disclosure-basis-required`), minors and the HHS notice, deprecated
    types. The priority is the original's. Emits `referral.forwarded` to this referral's parties and
    `referral.created` to the new one's. 403 for the sender, 409 `invalid-transition` from another
    status.

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
        body (ForwardInputRequest): Forward chosen people of a referral you received to a third
            agency, as a new referral from you.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReferralCreated
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
    body: ForwardInputRequest,
    idempotency_key: str | Unset = UNSET,
    if_match: str | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> Response[Problem | ReferralCreated]:
    """Forward people to a third agency (receiver)

     The receiving agency, while the referral is `accepted` or `in_progress`, hands chosen people
    (`person_ids`) on to a third agency. The answer (201) is a **new referral** from your agency to that
    agency, whose `parent` names this one; this referral's status does not change, its `children` list
    the new referral (to both of its parties: the original sender learns where its referral went and how
    it stands, not the new referral's people or narrative) and its history records the forward. Every
    create rule applies to the new referral: routing (422 on `receiver.agency`), 8 U.S.C. 1367 (a
    protected person going to an agency not marked `may_receive_1367_protected` needs a basis in
    `disclosure_bases`, else 422 `disclosure-basis-required`), minors and the HHS notice, deprecated
    types. The priority is the original's. Emits `referral.forwarded` to this referral's parties and
    `referral.created` to the new one's. 403 for the sender, 409 `invalid-transition` from another
    status.

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
        body (ForwardInputRequest): Forward chosen people of a referral you received to a third
            agency, as a new referral from you.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReferralCreated]
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
    body: ForwardInputRequest,
    idempotency_key: str | Unset = UNSET,
    if_match: str | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> Problem | ReferralCreated | None:
    """Forward people to a third agency (receiver)

     The receiving agency, while the referral is `accepted` or `in_progress`, hands chosen people
    (`person_ids`) on to a third agency. The answer (201) is a **new referral** from your agency to that
    agency, whose `parent` names this one; this referral's status does not change, its `children` list
    the new referral (to both of its parties: the original sender learns where its referral went and how
    it stands, not the new referral's people or narrative) and its history records the forward. Every
    create rule applies to the new referral: routing (422 on `receiver.agency`), 8 U.S.C. 1367 (a
    protected person going to an agency not marked `may_receive_1367_protected` needs a basis in
    `disclosure_bases`, else 422 `disclosure-basis-required`), minors and the HHS notice, deprecated
    types. The priority is the original's. Emits `referral.forwarded` to this referral's parties and
    `referral.created` to the new one's. 403 for the sender, 409 `invalid-transition` from another
    status.

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
        body (ForwardInputRequest): Forward chosen people of a referral you received to a third
            agency, as a new referral from you.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReferralCreated
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
