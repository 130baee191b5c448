from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.referral_create_request import ReferralCreateRequest
from ...models.referral_created import ReferralCreated
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: ReferralCreateRequest,
    idempotency_key: str | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(idempotency_key, Unset):
        headers["Idempotency-Key"] = idempotency_key

    if not isinstance(x_purpose_of_use, Unset):
        headers["X-Purpose-Of-Use"] = x_purpose_of_use

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/v1/referrals/",
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

    if response.status_code == 406:
        response_406 = Problem.from_dict(response.json())

        return response_406

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
    *,
    client: AuthenticatedClient,
    body: ReferralCreateRequest,
    idempotency_key: str | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> Response[Problem | ReferralCreated]:
    """Send a referral

     Create a referral from your agency to another. The receiving agency must accept the `referral_type`
    (routing table, see `GET /agencies/`; 422 otherwise). A person flagged `protected_1367` (8 U.S.C.
    1367(a)(2)) may go to an agency that is not `may_receive_1367_protected` only with a
    `disclosure_basis` naming an exception of 1367(b) for that person (422 `disclosure-basis-required`
    on `persons[i].disclosure_basis`); a `b4_waiver` is refused when any person is a minor (422 `waiver-
    requires-adults`, 1367(b)(4)). `consent` is consent to services and never lifts 1367. A minor (under
    18 at `encountered_at` by date of birth, or `is_minor`) raises the priority to at least `urgent`; a
    minor victim or possible victim who is not a U.S. citizen or LPR makes the HHS notice required, due
    24 hours after `encountered_at` (22 U.S.C. 7105(b)(1)(G)). The answer lists `possible_duplicates`:
    referrals you can already see that name the same person. See docs/legal-rules.md for every legal
    rule and its source.

    Args:
        idempotency_key (str | Unset):
        x_purpose_of_use (str | Unset):
        body (ReferralCreateRequest): Refuses unknown fields and fields the server owns, naming
            each (api-contract.md, Conventions).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReferralCreated]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
        x_purpose_of_use=x_purpose_of_use,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: ReferralCreateRequest,
    idempotency_key: str | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> Problem | ReferralCreated | None:
    """Send a referral

     Create a referral from your agency to another. The receiving agency must accept the `referral_type`
    (routing table, see `GET /agencies/`; 422 otherwise). A person flagged `protected_1367` (8 U.S.C.
    1367(a)(2)) may go to an agency that is not `may_receive_1367_protected` only with a
    `disclosure_basis` naming an exception of 1367(b) for that person (422 `disclosure-basis-required`
    on `persons[i].disclosure_basis`); a `b4_waiver` is refused when any person is a minor (422 `waiver-
    requires-adults`, 1367(b)(4)). `consent` is consent to services and never lifts 1367. A minor (under
    18 at `encountered_at` by date of birth, or `is_minor`) raises the priority to at least `urgent`; a
    minor victim or possible victim who is not a U.S. citizen or LPR makes the HHS notice required, due
    24 hours after `encountered_at` (22 U.S.C. 7105(b)(1)(G)). The answer lists `possible_duplicates`:
    referrals you can already see that name the same person. See docs/legal-rules.md for every legal
    rule and its source.

    Args:
        idempotency_key (str | Unset):
        x_purpose_of_use (str | Unset):
        body (ReferralCreateRequest): Refuses unknown fields and fields the server owns, naming
            each (api-contract.md, Conventions).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReferralCreated
    """

    return sync_detailed(
        client=client,
        body=body,
        idempotency_key=idempotency_key,
        x_purpose_of_use=x_purpose_of_use,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ReferralCreateRequest,
    idempotency_key: str | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> Response[Problem | ReferralCreated]:
    """Send a referral

     Create a referral from your agency to another. The receiving agency must accept the `referral_type`
    (routing table, see `GET /agencies/`; 422 otherwise). A person flagged `protected_1367` (8 U.S.C.
    1367(a)(2)) may go to an agency that is not `may_receive_1367_protected` only with a
    `disclosure_basis` naming an exception of 1367(b) for that person (422 `disclosure-basis-required`
    on `persons[i].disclosure_basis`); a `b4_waiver` is refused when any person is a minor (422 `waiver-
    requires-adults`, 1367(b)(4)). `consent` is consent to services and never lifts 1367. A minor (under
    18 at `encountered_at` by date of birth, or `is_minor`) raises the priority to at least `urgent`; a
    minor victim or possible victim who is not a U.S. citizen or LPR makes the HHS notice required, due
    24 hours after `encountered_at` (22 U.S.C. 7105(b)(1)(G)). The answer lists `possible_duplicates`:
    referrals you can already see that name the same person. See docs/legal-rules.md for every legal
    rule and its source.

    Args:
        idempotency_key (str | Unset):
        x_purpose_of_use (str | Unset):
        body (ReferralCreateRequest): Refuses unknown fields and fields the server owns, naming
            each (api-contract.md, Conventions).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReferralCreated]
    """

    kwargs = _get_kwargs(
        body=body,
        idempotency_key=idempotency_key,
        x_purpose_of_use=x_purpose_of_use,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ReferralCreateRequest,
    idempotency_key: str | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> Problem | ReferralCreated | None:
    """Send a referral

     Create a referral from your agency to another. The receiving agency must accept the `referral_type`
    (routing table, see `GET /agencies/`; 422 otherwise). A person flagged `protected_1367` (8 U.S.C.
    1367(a)(2)) may go to an agency that is not `may_receive_1367_protected` only with a
    `disclosure_basis` naming an exception of 1367(b) for that person (422 `disclosure-basis-required`
    on `persons[i].disclosure_basis`); a `b4_waiver` is refused when any person is a minor (422 `waiver-
    requires-adults`, 1367(b)(4)). `consent` is consent to services and never lifts 1367. A minor (under
    18 at `encountered_at` by date of birth, or `is_minor`) raises the priority to at least `urgent`; a
    minor victim or possible victim who is not a U.S. citizen or LPR makes the HHS notice required, due
    24 hours after `encountered_at` (22 U.S.C. 7105(b)(1)(G)). The answer lists `possible_duplicates`:
    referrals you can already see that name the same person. See docs/legal-rules.md for every legal
    rule and its source.

    Args:
        idempotency_key (str | Unset):
        x_purpose_of_use (str | Unset):
        body (ReferralCreateRequest): Refuses unknown fields and fields the server owns, naming
            each (api-contract.md, Conventions).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReferralCreated
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            idempotency_key=idempotency_key,
            x_purpose_of_use=x_purpose_of_use,
        )
    ).parsed
