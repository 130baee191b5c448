from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.referral_stats import ReferralStats
from ...models.stats_referrals_format import StatsReferralsFormat
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    format_: StatsReferralsFormat | Unset = UNSET,
    from_: str | Unset = UNSET,
    group_by: str | Unset = UNSET,
    to: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_format_: str | Unset = UNSET
    if not isinstance(format_, Unset):
        json_format_ = format_.value

    params["format"] = json_format_

    params["from"] = from_

    params["group_by"] = group_by

    params["to"] = to

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/api/v1/stats/referrals/",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ReferralStats | None:
    if response.status_code == 200:
        response_200 = ReferralStats.from_dict(response.json())

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
) -> Response[Problem | ReferralStats]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    format_: StatsReferralsFormat | Unset = UNSET,
    from_: str | Unset = UNSET,
    group_by: str | Unset = UNSET,
    to: str | Unset = UNSET,
) -> Response[Problem | ReferralStats]:
    """Counts and timeliness of your agency's referrals

     Over the referrals your agency sent or received (no other agency's referral is ever counted),
    created in `[from, to)`, grouped by any combination of dimensions. Without `group_by`, one row for
    everything. Add `direction` to `group_by` to tell incoming from outgoing; without it a row counts
    both. Computed in the database; no personal data is used or returned. Unknown parameters, repeated
    parameters and bad values are refused (400 `validation-error` naming the parameter).

    Dimensions: `month`: Calendar month of `created_at` in UTC, `YYYY-MM`.; `week`: ISO 8601 week of
    `created_at` in UTC, `YYYY-Www` (weeks start on Monday).; `direction`: `outgoing` (your agency sent
    it) or `incoming` (your agency received it).; `referral_type`: The referral type.; `status`: The
    referral's status now.; `priority`: The referral's priority.; `counterpart`: Code of the other
    agency: the receiver of an outgoing referral, the sender of an incoming one.

    **CSV: small cells are suppressed** (`?format=csv`; JSON is not suppressed: it is your agency's own
    data,
    for your own systems). The CSV is meant to be shared. Like the tables of statistical agencies
    (threshold and
    complementary cell suppression, FCSM Statistical Policy Working Paper 22), and like the National
    Human
    Trafficking Hotline, which redacts or groups published figures that could identify a person or
    situation, it
    shows no small count:

    1. Any count from 1 to 4 (`count` and `overdue_now`) is shown as `<5`; 0 and counts of 5 or more as
    they are.
    2. The CSV adds subtotal rows for every leading prefix of `group_by` (dimension value `total`) and a
    grand
       total row. Wherever a line of the table (the rows of one group with their subtotal, or rows that
    differ in
       one dimension only) holds exactly one suppressed count, the smallest non-zero count left in that
    line is
       suppressed too and shown as `suppressed`; this repeats until no line holds exactly one suppressed
    count,
       so no suppressed count can be recomputed by subtraction from a total.
    3. A row whose `count` is suppressed shows no timeliness measure (empty cells).

    Args:
        format_ (StatsReferralsFormat | Unset):
        from_ (str | Unset):
        group_by (str | Unset):
        to (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReferralStats]
    """

    kwargs = _get_kwargs(
        format_=format_,
        from_=from_,
        group_by=group_by,
        to=to,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    format_: StatsReferralsFormat | Unset = UNSET,
    from_: str | Unset = UNSET,
    group_by: str | Unset = UNSET,
    to: str | Unset = UNSET,
) -> Problem | ReferralStats | None:
    """Counts and timeliness of your agency's referrals

     Over the referrals your agency sent or received (no other agency's referral is ever counted),
    created in `[from, to)`, grouped by any combination of dimensions. Without `group_by`, one row for
    everything. Add `direction` to `group_by` to tell incoming from outgoing; without it a row counts
    both. Computed in the database; no personal data is used or returned. Unknown parameters, repeated
    parameters and bad values are refused (400 `validation-error` naming the parameter).

    Dimensions: `month`: Calendar month of `created_at` in UTC, `YYYY-MM`.; `week`: ISO 8601 week of
    `created_at` in UTC, `YYYY-Www` (weeks start on Monday).; `direction`: `outgoing` (your agency sent
    it) or `incoming` (your agency received it).; `referral_type`: The referral type.; `status`: The
    referral's status now.; `priority`: The referral's priority.; `counterpart`: Code of the other
    agency: the receiver of an outgoing referral, the sender of an incoming one.

    **CSV: small cells are suppressed** (`?format=csv`; JSON is not suppressed: it is your agency's own
    data,
    for your own systems). The CSV is meant to be shared. Like the tables of statistical agencies
    (threshold and
    complementary cell suppression, FCSM Statistical Policy Working Paper 22), and like the National
    Human
    Trafficking Hotline, which redacts or groups published figures that could identify a person or
    situation, it
    shows no small count:

    1. Any count from 1 to 4 (`count` and `overdue_now`) is shown as `<5`; 0 and counts of 5 or more as
    they are.
    2. The CSV adds subtotal rows for every leading prefix of `group_by` (dimension value `total`) and a
    grand
       total row. Wherever a line of the table (the rows of one group with their subtotal, or rows that
    differ in
       one dimension only) holds exactly one suppressed count, the smallest non-zero count left in that
    line is
       suppressed too and shown as `suppressed`; this repeats until no line holds exactly one suppressed
    count,
       so no suppressed count can be recomputed by subtraction from a total.
    3. A row whose `count` is suppressed shows no timeliness measure (empty cells).

    Args:
        format_ (StatsReferralsFormat | Unset):
        from_ (str | Unset):
        group_by (str | Unset):
        to (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReferralStats
    """

    return sync_detailed(
        client=client,
        format_=format_,
        from_=from_,
        group_by=group_by,
        to=to,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    format_: StatsReferralsFormat | Unset = UNSET,
    from_: str | Unset = UNSET,
    group_by: str | Unset = UNSET,
    to: str | Unset = UNSET,
) -> Response[Problem | ReferralStats]:
    """Counts and timeliness of your agency's referrals

     Over the referrals your agency sent or received (no other agency's referral is ever counted),
    created in `[from, to)`, grouped by any combination of dimensions. Without `group_by`, one row for
    everything. Add `direction` to `group_by` to tell incoming from outgoing; without it a row counts
    both. Computed in the database; no personal data is used or returned. Unknown parameters, repeated
    parameters and bad values are refused (400 `validation-error` naming the parameter).

    Dimensions: `month`: Calendar month of `created_at` in UTC, `YYYY-MM`.; `week`: ISO 8601 week of
    `created_at` in UTC, `YYYY-Www` (weeks start on Monday).; `direction`: `outgoing` (your agency sent
    it) or `incoming` (your agency received it).; `referral_type`: The referral type.; `status`: The
    referral's status now.; `priority`: The referral's priority.; `counterpart`: Code of the other
    agency: the receiver of an outgoing referral, the sender of an incoming one.

    **CSV: small cells are suppressed** (`?format=csv`; JSON is not suppressed: it is your agency's own
    data,
    for your own systems). The CSV is meant to be shared. Like the tables of statistical agencies
    (threshold and
    complementary cell suppression, FCSM Statistical Policy Working Paper 22), and like the National
    Human
    Trafficking Hotline, which redacts or groups published figures that could identify a person or
    situation, it
    shows no small count:

    1. Any count from 1 to 4 (`count` and `overdue_now`) is shown as `<5`; 0 and counts of 5 or more as
    they are.
    2. The CSV adds subtotal rows for every leading prefix of `group_by` (dimension value `total`) and a
    grand
       total row. Wherever a line of the table (the rows of one group with their subtotal, or rows that
    differ in
       one dimension only) holds exactly one suppressed count, the smallest non-zero count left in that
    line is
       suppressed too and shown as `suppressed`; this repeats until no line holds exactly one suppressed
    count,
       so no suppressed count can be recomputed by subtraction from a total.
    3. A row whose `count` is suppressed shows no timeliness measure (empty cells).

    Args:
        format_ (StatsReferralsFormat | Unset):
        from_ (str | Unset):
        group_by (str | Unset):
        to (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReferralStats]
    """

    kwargs = _get_kwargs(
        format_=format_,
        from_=from_,
        group_by=group_by,
        to=to,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    format_: StatsReferralsFormat | Unset = UNSET,
    from_: str | Unset = UNSET,
    group_by: str | Unset = UNSET,
    to: str | Unset = UNSET,
) -> Problem | ReferralStats | None:
    """Counts and timeliness of your agency's referrals

     Over the referrals your agency sent or received (no other agency's referral is ever counted),
    created in `[from, to)`, grouped by any combination of dimensions. Without `group_by`, one row for
    everything. Add `direction` to `group_by` to tell incoming from outgoing; without it a row counts
    both. Computed in the database; no personal data is used or returned. Unknown parameters, repeated
    parameters and bad values are refused (400 `validation-error` naming the parameter).

    Dimensions: `month`: Calendar month of `created_at` in UTC, `YYYY-MM`.; `week`: ISO 8601 week of
    `created_at` in UTC, `YYYY-Www` (weeks start on Monday).; `direction`: `outgoing` (your agency sent
    it) or `incoming` (your agency received it).; `referral_type`: The referral type.; `status`: The
    referral's status now.; `priority`: The referral's priority.; `counterpart`: Code of the other
    agency: the receiver of an outgoing referral, the sender of an incoming one.

    **CSV: small cells are suppressed** (`?format=csv`; JSON is not suppressed: it is your agency's own
    data,
    for your own systems). The CSV is meant to be shared. Like the tables of statistical agencies
    (threshold and
    complementary cell suppression, FCSM Statistical Policy Working Paper 22), and like the National
    Human
    Trafficking Hotline, which redacts or groups published figures that could identify a person or
    situation, it
    shows no small count:

    1. Any count from 1 to 4 (`count` and `overdue_now`) is shown as `<5`; 0 and counts of 5 or more as
    they are.
    2. The CSV adds subtotal rows for every leading prefix of `group_by` (dimension value `total`) and a
    grand
       total row. Wherever a line of the table (the rows of one group with their subtotal, or rows that
    differ in
       one dimension only) holds exactly one suppressed count, the smallest non-zero count left in that
    line is
       suppressed too and shown as `suppressed`; this repeats until no line holds exactly one suppressed
    count,
       so no suppressed count can be recomputed by subtraction from a total.
    3. A row whose `count` is suppressed shows no timeliness measure (empty cells).

    Args:
        format_ (StatsReferralsFormat | Unset):
        from_ (str | Unset):
        group_by (str | Unset):
        to (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReferralStats
    """

    return (
        await asyncio_detailed(
            client=client,
            format_=format_,
            from_=from_,
            group_by=group_by,
            to=to,
        )
    ).parsed
