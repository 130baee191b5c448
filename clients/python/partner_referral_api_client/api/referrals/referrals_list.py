import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.paginated_referral_list import PaginatedReferralList
from ...models.problem import Problem
from ...models.referrals_list_direction import ReferralsListDirection
from ...models.referrals_list_priority import ReferralsListPriority
from ...models.referrals_list_referral_type import ReferralsListReferralType
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    cp_expires_before: datetime.date | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    cursor: str | Unset = UNSET,
    deadline_before: datetime.datetime | Unset = UNSET,
    direction: ReferralsListDirection | Unset = UNSET,
    external_reference: str | Unset = UNSET,
    hhs_overdue: bool | Unset = UNSET,
    overdue: bool | Unset = UNSET,
    page_size: int | Unset = UNSET,
    priority: ReferralsListPriority | Unset = UNSET,
    receiver: str | Unset = UNSET,
    receiver_reference: str | Unset = UNSET,
    referral_type: ReferralsListReferralType | Unset = UNSET,
    sender: str | Unset = UNSET,
    status: str | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(x_purpose_of_use, Unset):
        headers["X-Purpose-Of-Use"] = x_purpose_of_use

    params: dict[str, Any] = {}

    json_cp_expires_before: str | Unset = UNSET
    if not isinstance(cp_expires_before, Unset):
        json_cp_expires_before = cp_expires_before.isoformat()
    params["cp_expires_before"] = json_cp_expires_before

    json_created_after: str | Unset = UNSET
    if not isinstance(created_after, Unset):
        json_created_after = created_after.isoformat()
    params["created_after"] = json_created_after

    json_created_before: str | Unset = UNSET
    if not isinstance(created_before, Unset):
        json_created_before = created_before.isoformat()
    params["created_before"] = json_created_before

    params["cursor"] = cursor

    json_deadline_before: str | Unset = UNSET
    if not isinstance(deadline_before, Unset):
        json_deadline_before = deadline_before.isoformat()
    params["deadline_before"] = json_deadline_before

    json_direction: str | Unset = UNSET
    if not isinstance(direction, Unset):
        json_direction = direction.value

    params["direction"] = json_direction

    params["external_reference"] = external_reference

    params["hhs_overdue"] = hhs_overdue

    params["overdue"] = overdue

    params["page_size"] = page_size

    json_priority: str | Unset = UNSET
    if not isinstance(priority, Unset):
        json_priority = priority.value

    params["priority"] = json_priority

    params["receiver"] = receiver

    params["receiver_reference"] = receiver_reference

    json_referral_type: str | Unset = UNSET
    if not isinstance(referral_type, Unset):
        json_referral_type = referral_type.value

    params["referral_type"] = json_referral_type

    params["sender"] = sender

    params["status"] = status

    json_updated_after: str | Unset = UNSET
    if not isinstance(updated_after, Unset):
        json_updated_after = updated_after.isoformat()
    params["updated_after"] = json_updated_after

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/referrals/",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> PaginatedReferralList | Problem | None:
    if response.status_code == 200:
        response_200 = PaginatedReferralList.from_dict(response.json())

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
) -> Response[PaginatedReferralList | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    cp_expires_before: datetime.date | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    cursor: str | Unset = UNSET,
    deadline_before: datetime.datetime | Unset = UNSET,
    direction: ReferralsListDirection | Unset = UNSET,
    external_reference: str | Unset = UNSET,
    hhs_overdue: bool | Unset = UNSET,
    overdue: bool | Unset = UNSET,
    page_size: int | Unset = UNSET,
    priority: ReferralsListPriority | Unset = UNSET,
    receiver: str | Unset = UNSET,
    receiver_reference: str | Unset = UNSET,
    referral_type: ReferralsListReferralType | Unset = UNSET,
    sender: str | Unset = UNSET,
    status: str | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> Response[PaginatedReferralList | Problem]:
    """List your agency's referrals

     Referrals your agency sent or received, newest first. Filters: `status`: Comma-separated statuses,
    e.g. `submitted,acknowledged`.; `referral_type`: One referral type.; `priority`: One priority.;
    `direction`: `incoming` (you are the receiver) or `outgoing` (you are the sender).; `sender`:
    Sending agency code.; `receiver`: Receiving agency code.; `created_after`: RFC 3339 timestamp
    (inclusive).; `created_before`: RFC 3339 timestamp (exclusive).; `updated_after`: RFC 3339 timestamp
    (inclusive).; `external_reference`: Exact external reference.; `overdue`: `true`: not acknowledged
    by the deadline; `false`: the others.; `hhs_overdue`: `true`: an HHS child notice is required,
    unrecorded and past its `due_by`; `false`: the others.; `receiver_reference`: Exact receiver
    reference (the receiving agency's own case number).; `cp_expires_before`: Date (`2027-03-01`):
    granted Continued Presence whose `expires_on` is before it.; `deadline_before`: RFC 3339 timestamp:
    referrals with any open deadline due before it (see `deadlines`).. Unknown parameters are refused
    (400).

    Args:
        cp_expires_before (datetime.date | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        cursor (str | Unset):
        deadline_before (datetime.datetime | Unset):
        direction (ReferralsListDirection | Unset):
        external_reference (str | Unset):
        hhs_overdue (bool | Unset):
        overdue (bool | Unset):
        page_size (int | Unset):
        priority (ReferralsListPriority | Unset):
        receiver (str | Unset):
        receiver_reference (str | Unset):
        referral_type (ReferralsListReferralType | Unset):
        sender (str | Unset):
        status (str | Unset):
        updated_after (datetime.datetime | Unset):
        x_purpose_of_use (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedReferralList | Problem]
    """

    kwargs = _get_kwargs(
        cp_expires_before=cp_expires_before,
        created_after=created_after,
        created_before=created_before,
        cursor=cursor,
        deadline_before=deadline_before,
        direction=direction,
        external_reference=external_reference,
        hhs_overdue=hhs_overdue,
        overdue=overdue,
        page_size=page_size,
        priority=priority,
        receiver=receiver,
        receiver_reference=receiver_reference,
        referral_type=referral_type,
        sender=sender,
        status=status,
        updated_after=updated_after,
        x_purpose_of_use=x_purpose_of_use,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    cp_expires_before: datetime.date | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    cursor: str | Unset = UNSET,
    deadline_before: datetime.datetime | Unset = UNSET,
    direction: ReferralsListDirection | Unset = UNSET,
    external_reference: str | Unset = UNSET,
    hhs_overdue: bool | Unset = UNSET,
    overdue: bool | Unset = UNSET,
    page_size: int | Unset = UNSET,
    priority: ReferralsListPriority | Unset = UNSET,
    receiver: str | Unset = UNSET,
    receiver_reference: str | Unset = UNSET,
    referral_type: ReferralsListReferralType | Unset = UNSET,
    sender: str | Unset = UNSET,
    status: str | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> PaginatedReferralList | Problem | None:
    """List your agency's referrals

     Referrals your agency sent or received, newest first. Filters: `status`: Comma-separated statuses,
    e.g. `submitted,acknowledged`.; `referral_type`: One referral type.; `priority`: One priority.;
    `direction`: `incoming` (you are the receiver) or `outgoing` (you are the sender).; `sender`:
    Sending agency code.; `receiver`: Receiving agency code.; `created_after`: RFC 3339 timestamp
    (inclusive).; `created_before`: RFC 3339 timestamp (exclusive).; `updated_after`: RFC 3339 timestamp
    (inclusive).; `external_reference`: Exact external reference.; `overdue`: `true`: not acknowledged
    by the deadline; `false`: the others.; `hhs_overdue`: `true`: an HHS child notice is required,
    unrecorded and past its `due_by`; `false`: the others.; `receiver_reference`: Exact receiver
    reference (the receiving agency's own case number).; `cp_expires_before`: Date (`2027-03-01`):
    granted Continued Presence whose `expires_on` is before it.; `deadline_before`: RFC 3339 timestamp:
    referrals with any open deadline due before it (see `deadlines`).. Unknown parameters are refused
    (400).

    Args:
        cp_expires_before (datetime.date | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        cursor (str | Unset):
        deadline_before (datetime.datetime | Unset):
        direction (ReferralsListDirection | Unset):
        external_reference (str | Unset):
        hhs_overdue (bool | Unset):
        overdue (bool | Unset):
        page_size (int | Unset):
        priority (ReferralsListPriority | Unset):
        receiver (str | Unset):
        receiver_reference (str | Unset):
        referral_type (ReferralsListReferralType | Unset):
        sender (str | Unset):
        status (str | Unset):
        updated_after (datetime.datetime | Unset):
        x_purpose_of_use (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedReferralList | Problem
    """

    return sync_detailed(
        client=client,
        cp_expires_before=cp_expires_before,
        created_after=created_after,
        created_before=created_before,
        cursor=cursor,
        deadline_before=deadline_before,
        direction=direction,
        external_reference=external_reference,
        hhs_overdue=hhs_overdue,
        overdue=overdue,
        page_size=page_size,
        priority=priority,
        receiver=receiver,
        receiver_reference=receiver_reference,
        referral_type=referral_type,
        sender=sender,
        status=status,
        updated_after=updated_after,
        x_purpose_of_use=x_purpose_of_use,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    cp_expires_before: datetime.date | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    cursor: str | Unset = UNSET,
    deadline_before: datetime.datetime | Unset = UNSET,
    direction: ReferralsListDirection | Unset = UNSET,
    external_reference: str | Unset = UNSET,
    hhs_overdue: bool | Unset = UNSET,
    overdue: bool | Unset = UNSET,
    page_size: int | Unset = UNSET,
    priority: ReferralsListPriority | Unset = UNSET,
    receiver: str | Unset = UNSET,
    receiver_reference: str | Unset = UNSET,
    referral_type: ReferralsListReferralType | Unset = UNSET,
    sender: str | Unset = UNSET,
    status: str | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> Response[PaginatedReferralList | Problem]:
    """List your agency's referrals

     Referrals your agency sent or received, newest first. Filters: `status`: Comma-separated statuses,
    e.g. `submitted,acknowledged`.; `referral_type`: One referral type.; `priority`: One priority.;
    `direction`: `incoming` (you are the receiver) or `outgoing` (you are the sender).; `sender`:
    Sending agency code.; `receiver`: Receiving agency code.; `created_after`: RFC 3339 timestamp
    (inclusive).; `created_before`: RFC 3339 timestamp (exclusive).; `updated_after`: RFC 3339 timestamp
    (inclusive).; `external_reference`: Exact external reference.; `overdue`: `true`: not acknowledged
    by the deadline; `false`: the others.; `hhs_overdue`: `true`: an HHS child notice is required,
    unrecorded and past its `due_by`; `false`: the others.; `receiver_reference`: Exact receiver
    reference (the receiving agency's own case number).; `cp_expires_before`: Date (`2027-03-01`):
    granted Continued Presence whose `expires_on` is before it.; `deadline_before`: RFC 3339 timestamp:
    referrals with any open deadline due before it (see `deadlines`).. Unknown parameters are refused
    (400).

    Args:
        cp_expires_before (datetime.date | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        cursor (str | Unset):
        deadline_before (datetime.datetime | Unset):
        direction (ReferralsListDirection | Unset):
        external_reference (str | Unset):
        hhs_overdue (bool | Unset):
        overdue (bool | Unset):
        page_size (int | Unset):
        priority (ReferralsListPriority | Unset):
        receiver (str | Unset):
        receiver_reference (str | Unset):
        referral_type (ReferralsListReferralType | Unset):
        sender (str | Unset):
        status (str | Unset):
        updated_after (datetime.datetime | Unset):
        x_purpose_of_use (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[PaginatedReferralList | Problem]
    """

    kwargs = _get_kwargs(
        cp_expires_before=cp_expires_before,
        created_after=created_after,
        created_before=created_before,
        cursor=cursor,
        deadline_before=deadline_before,
        direction=direction,
        external_reference=external_reference,
        hhs_overdue=hhs_overdue,
        overdue=overdue,
        page_size=page_size,
        priority=priority,
        receiver=receiver,
        receiver_reference=receiver_reference,
        referral_type=referral_type,
        sender=sender,
        status=status,
        updated_after=updated_after,
        x_purpose_of_use=x_purpose_of_use,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    cp_expires_before: datetime.date | Unset = UNSET,
    created_after: datetime.datetime | Unset = UNSET,
    created_before: datetime.datetime | Unset = UNSET,
    cursor: str | Unset = UNSET,
    deadline_before: datetime.datetime | Unset = UNSET,
    direction: ReferralsListDirection | Unset = UNSET,
    external_reference: str | Unset = UNSET,
    hhs_overdue: bool | Unset = UNSET,
    overdue: bool | Unset = UNSET,
    page_size: int | Unset = UNSET,
    priority: ReferralsListPriority | Unset = UNSET,
    receiver: str | Unset = UNSET,
    receiver_reference: str | Unset = UNSET,
    referral_type: ReferralsListReferralType | Unset = UNSET,
    sender: str | Unset = UNSET,
    status: str | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    x_purpose_of_use: str | Unset = UNSET,
) -> PaginatedReferralList | Problem | None:
    """List your agency's referrals

     Referrals your agency sent or received, newest first. Filters: `status`: Comma-separated statuses,
    e.g. `submitted,acknowledged`.; `referral_type`: One referral type.; `priority`: One priority.;
    `direction`: `incoming` (you are the receiver) or `outgoing` (you are the sender).; `sender`:
    Sending agency code.; `receiver`: Receiving agency code.; `created_after`: RFC 3339 timestamp
    (inclusive).; `created_before`: RFC 3339 timestamp (exclusive).; `updated_after`: RFC 3339 timestamp
    (inclusive).; `external_reference`: Exact external reference.; `overdue`: `true`: not acknowledged
    by the deadline; `false`: the others.; `hhs_overdue`: `true`: an HHS child notice is required,
    unrecorded and past its `due_by`; `false`: the others.; `receiver_reference`: Exact receiver
    reference (the receiving agency's own case number).; `cp_expires_before`: Date (`2027-03-01`):
    granted Continued Presence whose `expires_on` is before it.; `deadline_before`: RFC 3339 timestamp:
    referrals with any open deadline due before it (see `deadlines`).. Unknown parameters are refused
    (400).

    Args:
        cp_expires_before (datetime.date | Unset):
        created_after (datetime.datetime | Unset):
        created_before (datetime.datetime | Unset):
        cursor (str | Unset):
        deadline_before (datetime.datetime | Unset):
        direction (ReferralsListDirection | Unset):
        external_reference (str | Unset):
        hhs_overdue (bool | Unset):
        overdue (bool | Unset):
        page_size (int | Unset):
        priority (ReferralsListPriority | Unset):
        receiver (str | Unset):
        receiver_reference (str | Unset):
        referral_type (ReferralsListReferralType | Unset):
        sender (str | Unset):
        status (str | Unset):
        updated_after (datetime.datetime | Unset):
        x_purpose_of_use (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        PaginatedReferralList | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            cp_expires_before=cp_expires_before,
            created_after=created_after,
            created_before=created_before,
            cursor=cursor,
            deadline_before=deadline_before,
            direction=direction,
            external_reference=external_reference,
            hhs_overdue=hhs_overdue,
            overdue=overdue,
            page_size=page_size,
            priority=priority,
            receiver=receiver,
            receiver_reference=receiver_reference,
            referral_type=referral_type,
            sender=sender,
            status=status,
            updated_after=updated_after,
            x_purpose_of_use=x_purpose_of_use,
        )
    ).parsed
