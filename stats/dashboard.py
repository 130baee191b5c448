"""The operators' dashboard (Django admin, staff only): volume, timeliness, overdue referrals, credential health.

Operators see every agency's referral metadata (codes, counts, timestamps); no person, narrative or other PII
is read. Counts here are not suppressed: the page is for the service's own staff, not for publication.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from agencies.models import Agency, Client, ReferralType
from audit.models import AuditEntry
from referrals.codes import Priority
from referrals.deadlines import CP_EXPIRING_WINDOW_DAYS
from referrals.models import Referral, Status
from stats import svg
from stats.selectors import TOTAL, referral_stats

MONTHS = 12
EVER = datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC)
CREDENTIAL_WINDOW = datetime.timedelta(days=30)
STALE_CLIENT = datetime.timedelta(days=30)
OVERDUE_LIMIT = 200
TOKEN_ISSUED = "token.issued"
TOKEN_REFUSED = "token.refused"


def _month_starts(now: datetime.datetime, months: int) -> list[datetime.datetime]:
    index = now.year * 12 + now.month - 1
    return [
        datetime.datetime((index - k) // 12, (index - k) % 12 + 1, 1, tzinfo=datetime.UTC)
        for k in range(months - 1, -1, -1)
    ]


def duration_text(seconds: float | None) -> str:
    """``3 d 4 h``, ``5 h 20 min``, ``1 h``, ``12 min``: how long, for people."""
    if seconds is None:
        return "–"
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"


def _volume(now, start):
    months = [m.strftime("%Y-%m") for m in _month_starts(now, MONTHS)]
    types = list(ReferralType)
    rows = referral_stats(
        queryset=Referral.objects.all(), start=start, end=now, group_by=["month", "referral_type"], now=now
    )
    matrix = {(r.dimensions["month"], r.dimensions["referral_type"]): r.measures["count"] for r in rows}
    present = [t for t in types if any(matrix.get((m, t.value)) for m in months)] or types
    table = [
        {"month": m, "counts": [matrix.get((m, t.value), 0) for t in present],
         "total": sum(matrix.get((m, t.value), 0) for t in present)}
        for m in months
    ]  # fmt: skip
    chart = svg.stacked_bars(
        chart_id="chart-volume",
        title="Referrals created per month, by type",
        desc=f"Stacked bars, one per month from {months[0]} to {months[-1]}; each segment is a referral type, "
        "labelled with its count; the number above each bar is the month's total. The table below has the data.",
        categories=months,
        series=[svg.Series(t.label, [matrix.get((m, t.value), 0) for m in months]) for t in present],
    )
    return {"chart": chart, "types": [t.label for t in present], "rows": table, "months": months}


def _agencies(now, start):
    rows = referral_stats(
        queryset=Referral.objects.all(),
        start=start,
        end=now,
        group_by=["sender", "receiver", "referral_type"],
        now=now,
    )
    codes = list(Agency.objects.order_by("code").values_list("code", flat=True))
    sent = dict.fromkeys(codes, 0)
    received = dict.fromkeys(codes, 0)
    flows = []
    for r in rows:
        d, count = r.dimensions, r.measures["count"]
        sent[d["sender"]] = sent.get(d["sender"], 0) + count
        received[d["receiver"]] = received.get(d["receiver"], 0) + count
        flows.append({"sender": d["sender"], "receiver": d["receiver"],
                      "type": ReferralType(d["referral_type"]).label, "count": count})  # fmt: skip
    labels = [c for c in sent if sent[c] or received[c]] or codes
    chart = svg.horizontal_bars(
        chart_id="chart-agencies",
        title="Referrals sent and received per agency",
        desc="For each agency, two bars: referrals it sent and referrals it received in the last "
        f"{MONTHS} months, each labelled with its count. The tables below have the data, by type.",
        labels=labels,
        series=[svg.Series("Sent", [sent[c] for c in labels]), svg.Series("Received", [received[c] for c in labels])],
    )
    table = [{"agency": c, "sent": sent[c], "received": received[c]} for c in labels]
    return {"chart": chart, "rows": table, "flows": flows}


def _timeliness(now, start):
    stats = referral_stats(
        queryset=Referral.objects.all(), start=start, end=now, group_by=["priority"], now=now, totals=True
    )
    rows = {r.dimensions["priority"]: r for r in stats}
    total = rows.pop(TOTAL, None)
    hhs_share = total.measures["hhs_notified_on_time_share"] if total else None
    priorities = [p for p in reversed(list(Priority))]  # immediate danger first
    table = []
    for p in priorities:
        m = rows[p.value].measures if p.value in rows else None
        table.append(
            {
                "priority": p.label,
                "deadline": duration_text(settings.ACKNOWLEDGE_DEADLINES[p.value]),
                "count": m["count"] if m else 0,
                "share": None if not m or m["acknowledged_by_deadline_share"] is None
                else round(m["acknowledged_by_deadline_share"] * 100),
                "median_ack": duration_text(m["median_seconds_to_acknowledge"]) if m else "–",
                "p90_ack": duration_text(m["p90_seconds_to_acknowledge"]) if m else "–",
                "median_accept": duration_text(m["median_seconds_to_accept"]) if m else "–",
                "overdue": m["overdue_now"] if m else 0,
            }
        )  # fmt: skip
    chart = svg.horizontal_bars(
        chart_id="chart-timeliness",
        title="Share acknowledged by the deadline, per priority",
        desc="One bar per priority: the percentage of referrals whose acknowledgement was due that the receiver "
        "answered by the deadline, labelled with the percentage ('no data' when none was due yet). "
        "The table below adds median and 90th-percentile times.",
        labels=[row["priority"] for row in table],
        series=[svg.Series("Acknowledged by deadline", [row["share"] for row in table])],
        maximum=100,
        fmt=lambda v: f"{v:g}%",
    )
    return {"chart": chart, "rows": table, "hhs_on_time": None if hhs_share is None else round(hhs_share * 100)}


def _overdue(now):
    queryset = (
        Referral.objects.filter(status=Status.SUBMITTED, acknowledge_by__lte=now)
        .select_related("sender_agency", "receiver_agency")
        .only(
            "reference", "referral_type", "priority", "acknowledge_by", "sender_agency__code", "receiver_agency__code"
        )
        .order_by("acknowledge_by", "reference")
    )
    rows = [
        {
            "reference": r.reference,
            "type": r.get_referral_type_display(),
            "priority": r.get_priority_display(),
            "sender": r.sender_agency.code,
            "receiver": r.receiver_agency.code,
            "deadline": r.acknowledge_by,
            "late": duration_text((now - r.acknowledge_by).total_seconds()),
        }
        for r in queryset[: OVERDUE_LIMIT + 1]
    ]
    return {"rows": rows[:OVERDUE_LIMIT], "truncated": len(rows) > OVERDUE_LIMIT}


def _credentials(now):
    since = now - CREDENTIAL_WINDOW
    tokens = {
        row["object_id"]: row
        for row in AuditEntry.objects.filter(action__in=[TOKEN_ISSUED, TOKEN_REFUSED], occurred_at__gte=since)
        .values("object_id")
        .annotate(
            issued=Count("id", filter=Q(action=TOKEN_ISSUED)),
            refused=Count("id", filter=Q(action=TOKEN_REFUSED)),
            last_refused=Max("occurred_at", filter=Q(action=TOKEN_REFUSED)),
        )
    }
    clients = []
    for c in Client.objects.select_related("agency").order_by("agency__code", "name"):
        t = tokens.get(c.client_id, {})
        flags = []
        if not c.active or not c.agency.active:
            flags.append("inactive")
        if c.last_token_at is None:
            flags.append("never used")
        elif now - c.last_token_at > STALE_CLIENT:
            flags.append("no token in 30 days")
        if t.get("refused"):
            flags.append("refusals")
        clients.append(
            {
                "agency": c.agency.code,
                "name": c.name,
                "client_id": c.client_id,
                "scopes": " ".join(c.scope_list),
                "operator": c.is_operator,
                "active": c.active and c.agency.active,
                "last_token_at": c.last_token_at,
                "issued": t.get("issued", 0),
                "refused": t.get("refused", 0),
                "last_refused": t.get("last_refused"),
                "flags": flags,
            }
        )
    unknown = tokens.get(None, {})
    return {"clients": clients, "unknown_refused": unknown.get("refused", 0), "days": CREDENTIAL_WINDOW.days}


def _continued_presence(now):
    """Continued Presence over every referral ever made (a grant made two years ago can expire next month)."""
    rows = referral_stats(queryset=Referral.objects.all(), start=EVER, end=now, group_by=[], now=now, totals=True)
    m = rows[0].measures if rows else {}
    return {
        "granted": m.get("cp_granted", 0),
        "expiring": m.get("cp_expiring_90d", 0),
        "extended": m.get("cp_extended", 0),
        "window_days": CP_EXPIRING_WINDOW_DAYS,
    }


def dashboard_context(*, now: datetime.datetime | None = None) -> dict:
    """Everything the dashboard shows, in a fixed number of queries (one per section)."""
    now = now or timezone.now()
    start = _month_starts(now, MONTHS)[0]
    return {
        "now": now,
        "start": start,
        "volume": _volume(now, start),
        "agencies": _agencies(now, start),
        "timeliness": _timeliness(now, start),
        "continued_presence": _continued_presence(now),
        "overdue": _overdue(now),
        "credentials": _credentials(now),
    }
