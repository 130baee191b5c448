"""``GET /api/v1/stats/referrals/``: counts and timeliness over the caller's agency's referrals (JSON or CSV)."""

from __future__ import annotations

import datetime

from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from referral_api.query import check_query
from referral_api.renderers import JSONRenderer, rfc3339
from referral_api.timestamps import BadTimestamp, checked_timestamp
from referrals.selectors import referrals_visible_to
from stats.api.serializers import ReferralStatsSerializer
from stats.export import referral_stats_csv
from stats.selectors import DIMENSION_DESCRIPTIONS, DIMENSIONS, referral_stats

PARAMETERS = {"group_by", "from", "to", "format"}
FORMATS = ("json", "csv")
# Default window: the current calendar month and the 11 before it (UTC).
DEFAULT_MONTHS = 12

SUPPRESSION_RULE = """\
**CSV: small cells are suppressed** (`?format=csv`; JSON is not suppressed: it is your agency's own data,
for your own systems). The CSV is meant to be shared. Like the tables of statistical agencies (threshold and
complementary cell suppression, FCSM Statistical Policy Working Paper 22), and like the National Human
Trafficking Hotline, which redacts or groups published figures that could identify a person or situation, it
shows no small count:

1. Any count from 1 to 4 (`count` and `overdue_now`) is shown as `<5`; 0 and counts of 5 or more as they are.
2. The CSV adds subtotal rows for every leading prefix of `group_by` (dimension value `total`) and a grand
   total row. Wherever a line of the table (the rows of one group with their subtotal, or rows that differ in
   one dimension only) holds exactly one suppressed count, the smallest non-zero count left in that line is
   suppressed too and shown as `suppressed`; this repeats until no line holds exactly one suppressed count,
   so no suppressed count can be recomputed by subtraction from a total.
3. A row whose `count` is suppressed shows no timeliness measure (empty cells).
"""

EXAMPLE = {
    "from": "2026-01-01T00:00:00Z",
    "to": "2026-04-01T00:00:00Z",
    "group_by": ["month", "direction"],
    "results": [
        {
            "month": "2026-03",
            "direction": "incoming",
            "count": 42,
            "acknowledged_by_deadline_share": 0.9048,
            "median_seconds_to_acknowledge": 5400.0,
            "p90_seconds_to_acknowledge": 61200.0,
            "median_seconds_to_accept": 86400.0,
            "p90_seconds_to_accept": 259200.0,
            "overdue_now": 2,
            "hhs_notified_on_time_share": 1.0,
            "cp_granted": 6,
            "cp_expiring_90d": 0,
            "cp_extended": 0,
        }
    ],
}


def _bound(name: str, raw: str, *, end: bool) -> datetime.datetime:
    """An RFC 3339 timestamp, or a date (``from``: its start; ``to``: the end of that day, inclusive)."""
    try:
        value = parse_datetime(raw.replace(" ", "+")) if "T" in raw or "t" in raw else None
    except ValueError:
        value = None
    if value is not None:
        if timezone.is_naive(value):
            raise ValidationError({name: ["A timestamp needs a UTC offset, e.g. 2026-11-28T19:46:32Z."]})
        try:
            return checked_timestamp(value)
        except BadTimestamp as exc:
            raise ValidationError({name: [str(exc)]}) from None
    try:
        day = parse_date(raw)
    except ValueError:
        day = None
    if day is None:
        raise ValidationError({name: ["Must be an RFC 3339 timestamp (2026-11-28T19:46:32Z) or a date (2026-11-28)."]})
    if not 1900 <= day.year <= 9998:
        raise ValidationError({name: ["Must be a date from 1900-01-01 to 9998-12-31."]})
    if end:
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


def _months_before(moment: datetime.datetime, months: int) -> datetime.datetime:
    index = moment.year * 12 + moment.month - 1 - months
    return datetime.datetime(index // 12, index % 12 + 1, 1, tzinfo=datetime.UTC)


def parse_stats_params(params, *, now: datetime.datetime) -> dict:
    """Validate the query string: 400 naming each unknown, repeated or bad parameter."""
    check_query(params, PARAMETERS)
    group_by: list[str] = []
    if params.get("group_by"):
        group_by = [part.strip() for part in params["group_by"].split(",")]
        bad = [part for part in group_by if part not in DIMENSIONS]
        if bad:
            message = f"Unknown dimension(s) {', '.join(bad)}; use {', '.join(DIMENSIONS)}."
            raise ValidationError({"group_by": [message]})
        if len(set(group_by)) != len(group_by):
            raise ValidationError({"group_by": ["Name each dimension once."]})
    output = params.get("format", "json")
    if output not in FORMATS:
        raise ValidationError({"format": ["Must be json or csv."]})
    end = _bound("to", params["to"], end=True) if "to" in params else now
    start = _bound("from", params["from"], end=False) if "from" in params else _months_before(end, DEFAULT_MONTHS - 1)
    if start >= end:
        raise ValidationError({"from": ["Must be before to."]})
    return {"group_by": group_by, "start": start, "end": end, "format": output}


class ReferralStatsView(APIView):
    required_scopes = ["referrals:read"]
    renderer_classes = [JSONRenderer]

    def perform_content_negotiation(self, request, force=False):
        # DRF reads ?format= as its URL_FORMAT_OVERRIDE and would answer 404 for "csv"; this view reads the
        # parameter itself (parse_stats_params) and builds the CSV response directly.
        renderer = JSONRenderer()
        return renderer, renderer.media_type

    @extend_schema(
        tags=["stats"],
        operation_id="stats_referrals",
        summary="Counts and timeliness of your agency's referrals",
        description=(
            "Over the referrals your agency sent or received (no other agency's referral is ever counted), "
            "created in `[from, to)`, grouped by any combination of dimensions. Without `group_by`, one row for "
            "everything. Add `direction` to `group_by` to tell incoming from outgoing; without it a row counts "
            "both. Computed in the database; no personal data is used or returned. Unknown parameters, repeated "
            "parameters and bad values are refused (400 `validation-error` naming the parameter).\n\n"
            "Dimensions: " + "; ".join(f"`{k}`: {v}" for k, v in DIMENSION_DESCRIPTIONS.items()) + "\n\n"
            + SUPPRESSION_RULE
        ),
        parameters=[
            OpenApiParameter("group_by", OpenApiTypes.STR, description="Comma-separated dimensions, e.g. "
                             "`month,referral_type`: " + ", ".join(f"`{d}`" for d in DIMENSIONS) + "."),
            OpenApiParameter("from", OpenApiTypes.STR, description="Start (inclusive): RFC 3339 timestamp or date "
                             "(`2026-01-01`, midnight UTC). Default: the first day of the month 11 months before "
                             "`to`."),
            OpenApiParameter("to", OpenApiTypes.STR, description="End: RFC 3339 timestamp (exclusive) or date "
                             "(inclusive: the whole day, UTC). Default: now."),
            OpenApiParameter("format", OpenApiTypes.STR, enum=list(FORMATS), description="`json` (default) or "
                             "`csv` (`text/csv`, with subtotals and small cells suppressed as described above)."),
        ],
        responses={
            (200, "application/json"): ReferralStatsSerializer,
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="One row per group, then subtotals "
                                               "and the grand total; small cells suppressed."),
        },
        examples=[OpenApiExample("Incoming and outgoing, by month", value=EXAMPLE, response_only=True,
                                 media_type="application/json")],
    )  # fmt: skip
    def get(self, request):
        now = timezone.now()
        query = parse_stats_params(request.query_params, now=now)
        agency = request.auth.application.agency
        as_csv = query["format"] == "csv"
        rows = referral_stats(
            queryset=referrals_visible_to(agency=agency),
            start=query["start"],
            end=query["end"],
            group_by=query["group_by"],
            now=now,
            agency=agency,
            totals=as_csv,
        )
        if as_csv:
            return self._csv(rows, query)
        return Response(
            {
                "from": rfc3339(query["start"]),
                "to": rfc3339(query["end"]),
                "group_by": query["group_by"],
                "results": [{**row.dimensions, **row.measures} for row in rows],
            }
        )

    def _csv(self, rows, query) -> HttpResponse:
        body = referral_stats_csv(rows, group_by=query["group_by"])
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        stamp = f"{query['start']:%Y%m%d}-{query['end']:%Y%m%d}"
        response["Content-Disposition"] = f'attachment; filename="referral-stats-{stamp}.csv"'
        return response
