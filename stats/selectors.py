"""Aggregates over referrals, computed in PostgreSQL in one query (GROUP BY, FILTER, percentile_cont).

No referral row is ever loaded into Python: the database returns one row per group. The set of referrals
comes from a caller-supplied queryset (for the API, ``referrals_visible_to``: need to know is decided there
and nowhere else); this module only adds the time window, the dimensions and the measures around it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, F, QuerySet, Value, When

from agencies.models import Agency
from referrals.deadlines import CONTINUED_PRESENCE_GRANTED, CP_EXPIRING_WINDOW_DAYS
from referrals.models import Referral

_GRANTED = CONTINUED_PRESENCE_GRANTED  # a constant code, safe in SQL text

# Dimensions a partner may group by (API); the dashboard may also use ``sender`` and ``receiver``.
DIMENSIONS = ("month", "week", "direction", "referral_type", "status", "priority", "counterpart")
OPERATOR_DIMENSIONS = ("sender", "receiver")

DIMENSION_DESCRIPTIONS = {
    "month": "Calendar month of `created_at` in UTC, `YYYY-MM`.",
    "week": "ISO 8601 week of `created_at` in UTC, `YYYY-Www` (weeks start on Monday).",
    "direction": "`outgoing` (your agency sent it) or `incoming` (your agency received it).",
    "referral_type": "The referral type.",
    "status": "The referral's status now.",
    "priority": "The referral's priority.",
    "counterpart": "Code of the other agency: the receiver of an outgoing referral, the sender of an incoming one.",
}

MEASURES = (
    "count",
    "acknowledged_by_deadline_share",
    "median_seconds_to_acknowledge",
    "p90_seconds_to_acknowledge",
    "median_seconds_to_accept",
    "p90_seconds_to_accept",
    "overdue_now",
    "hhs_notified_on_time_share",
    "cp_granted",
    "cp_expiring_90d",
    "cp_extended",
)
COUNT_MEASURES = ("count", "overdue_now", "cp_granted", "cp_expiring_90d", "cp_extended")

# The columns of the referral the measures read (no PII: timestamps and codes only).
_BASE_COLUMNS = (
    "created_at", "status", "priority", "referral_type",
    "acknowledge_by", "acknowledged_at", "accepted_at", "closed_at", "hhs_required", "hhs_notify_by",
    "hhs_notified_at", "outcome_code", "continued_presence_expires_on", "continued_presence_extended_at",
)  # fmt: skip

_SECONDS_TO_ACK = "EXTRACT(EPOCH FROM (r.acknowledged_at - r.created_at))"
_SECONDS_TO_ACCEPT = "EXTRACT(EPOCH FROM (r.accepted_at - r.created_at))"

# Each measure as SQL over the derived table ``r``; ``%(now)s`` is the evaluation time. percentile_cont
# ignores NULLs, so referrals not yet acknowledged (accepted) do not enter the timeliness percentiles.
_MEASURE_SQL = {
    "count": "count(*)",
    # Of the referrals whose acknowledgement was due (deadline passed while the referral was open) or done,
    # the share the receiver answered by the deadline. A referral withdrawn before its deadline without an
    # answer was never due and is left out.
    "acknowledged_by_deadline_share": (
        "(count(*) FILTER (WHERE r.acknowledged_at <= r.acknowledge_by))::double precision"
        " / NULLIF(count(*) FILTER (WHERE r.acknowledged_at IS NOT NULL"
        " OR r.acknowledge_by <= COALESCE(r.closed_at, %(now)s)), 0)"
    ),
    "median_seconds_to_acknowledge": f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {_SECONDS_TO_ACK})",
    "p90_seconds_to_acknowledge": f"percentile_cont(0.9) WITHIN GROUP (ORDER BY {_SECONDS_TO_ACK})",
    "median_seconds_to_accept": f"percentile_cont(0.5) WITHIN GROUP (ORDER BY {_SECONDS_TO_ACCEPT})",
    "p90_seconds_to_accept": f"percentile_cont(0.9) WITHIN GROUP (ORDER BY {_SECONDS_TO_ACCEPT})",
    # The same rule as Referral.overdue: awaiting acknowledgement and past the deadline.
    "overdue_now": "count(*) FILTER (WHERE r.status = 'submitted' AND r.acknowledge_by <= %(now)s)",
    # HHS child notice (22 U.S.C. 7105(b)(1)(G)): of the required notices that are due (due_by passed) or
    # recorded, the share recorded by due_by. A notice recorded late counts as late.
    "hhs_notified_on_time_share": (
        "(count(*) FILTER (WHERE r.hhs_required AND r.hhs_notified_at <= r.hhs_notify_by))::double precision"
        " / NULLIF(count(*) FILTER (WHERE r.hhs_required"
        " AND (r.hhs_notified_at IS NOT NULL OR r.hhs_notify_by <= %(now)s)), 0)"
    ),
    # Continued Presence (referrals.deadlines): first grants, grants lapsing within the window and not extended,
    # and granted extensions.
    "cp_granted": (f"count(*) FILTER (WHERE r.referral_type = 'continued_presence' AND r.outcome_code = '{_GRANTED}')"),
    "cp_expiring_90d": (
        "count(*) FILTER (WHERE r.continued_presence_extended_at IS NULL"
        " AND r.continued_presence_expires_on >= (%(now)s AT TIME ZONE 'UTC')::date"
        f" AND r.continued_presence_expires_on <= (%(now)s AT TIME ZONE 'UTC')::date + {CP_EXPIRING_WINDOW_DAYS})"
    ),
    "cp_extended": (
        f"count(*) FILTER (WHERE r.referral_type = 'continued_presence_extension' AND r.outcome_code = '{_GRANTED}')"
    ),
}

_DIMENSION_SQL = {
    "month": "to_char(date_trunc('month', r.created_at AT TIME ZONE 'UTC'), 'YYYY-MM')",
    "week": "to_char(date_trunc('week', r.created_at AT TIME ZONE 'UTC'), 'IYYY-\"W\"IW')",
    "direction": "r.direction",
    "referral_type": "r.referral_type",
    "status": "r.status",
    "priority": "r.priority",
    "counterpart": "r.counterpart",
    "sender": "r.sender",
    "receiver": "r.receiver",
}

TOTAL = "total"


@dataclass(frozen=True)
class StatsRow:
    """One group: its dimension values (``TOTAL`` for a rolled-up dimension) and its measures."""

    dimensions: dict
    measures: dict
    level: int  # how many leading dimensions are real values (``len(group_by)`` for a cell, 0 for the total)


def _base_queryset(queryset: QuerySet[Referral], *, start, end, group_by, agency: Agency | None) -> QuerySet:
    queryset = queryset.filter(created_at__gte=start, created_at__lt=end)
    annotations = {}
    if "direction" in group_by:
        annotations["direction"] = Case(When(sender_agency=agency, then=Value("outgoing")), default=Value("incoming"))
    if "counterpart" in group_by:
        annotations["counterpart"] = Case(
            When(sender_agency=agency, then=F("receiver_agency__code")), default=F("sender_agency__code")
        )
    if "sender" in group_by:
        annotations["sender"] = F("sender_agency__code")
    if "receiver" in group_by:
        annotations["receiver"] = F("receiver_agency__code")
    return queryset.annotate(**annotations).values(*_BASE_COLUMNS, *annotations)


def referral_stats(
    *,
    queryset: QuerySet[Referral],
    start: datetime.datetime,
    end: datetime.datetime,
    group_by: list[str],
    now: datetime.datetime,
    agency: Agency | None = None,
    totals: bool = False,
) -> list[StatsRow]:
    """Counts and timeliness of ``queryset``'s referrals created in ``[start, end)``, grouped by ``group_by``.

    ``direction`` and ``counterpart`` are seen from ``agency``. With ``totals``, the rows include the
    subtotals of every leading prefix of ``group_by`` and the grand total (``GROUP BY ROLLUP``), in one query.
    """
    allowed = DIMENSIONS + OPERATOR_DIMENSIONS
    if any(d not in allowed for d in group_by) or len(set(group_by)) != len(group_by):
        raise ValueError(f"group_by must be distinct values of {allowed}")
    if agency is None and ({"direction", "counterpart"} & set(group_by)):
        raise ValueError("direction and counterpart need the agency they are seen from")
    base_sql, base_params = _base_queryset(
        queryset, start=start, end=end, group_by=group_by, agency=agency
    ).query.sql_with_params()

    dimension_sql = [_DIMENSION_SQL[d] for d in group_by]
    select = [f"{sql} AS d{i}" for i, sql in enumerate(dimension_sql)]
    select += [f"{_MEASURE_SQL[m]} AS {m}" for m in MEASURES]
    if totals and group_by:
        select.append(f"GROUPING({', '.join(dimension_sql)}) AS grouping_mask")
        group_clause = f" GROUP BY ROLLUP ({', '.join(dimension_sql)})"
    elif group_by:
        group_clause = f" GROUP BY {', '.join(dimension_sql)}"
    else:
        group_clause = ""
    order_clause = f" ORDER BY {', '.join(f'd{i} NULLS LAST' for i in range(len(group_by)))}" if group_by else ""
    # The outer query's placeholders come first in the text, then the base query's. Only our own constant
    # SQL fragments are interpolated; every value (agency, window, now) is a bound parameter.
    outer_select = ", ".join(select) % {"now": "%s"}
    now_params = [now] * (", ".join(select).count("%(now)s"))
    sql = f"SELECT {outer_select} FROM ({base_sql}) AS r{group_clause}{order_clause}"  # noqa: S608 - constants only
    with connection.cursor() as cursor:
        cursor.execute(sql, [*now_params, *base_params])
        columns = [c.name for c in cursor.description]
        fetched = cursor.fetchall()

    rows = []
    width = len(group_by)
    for values in fetched:
        record = dict(zip(columns, values, strict=True))
        mask = record.get("grouping_mask", 0) or 0
        # GROUPING() sets bit (width - 1 - i) when dimension i is rolled up; ROLLUP only rolls up a suffix.
        level = sum(1 for i in range(width) if not mask & (1 << (width - 1 - i)))
        dimensions = {d: (record[f"d{i}"] if i < level else TOTAL) for i, d in enumerate(group_by)}
        measures = {m: _clean(m, record[m]) for m in MEASURES}
        rows.append(StatsRow(dimensions=dimensions, measures=measures, level=level))
    if not group_by and rows and rows[0].measures["count"] == 0 and not totals:
        return []
    return rows


def _clean(measure: str, value):
    if value is None:
        return None
    if measure in COUNT_MEASURES:
        return int(value)
    if measure in ("acknowledged_by_deadline_share", "hhs_notified_on_time_share"):
        return round(float(value), 4)
    return round(float(value), 1)
