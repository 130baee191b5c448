"""The statistics as a CSV table to share (RFC 4180): subtotal rows, and small cells suppressed
(``stats.suppression``; the rule is in the module docstring there and in the API description)."""

from __future__ import annotations

import csv
import io

from stats import suppression
from stats.selectors import COUNT_MEASURES, MEASURES, TOTAL, StatsRow


def referral_stats_csv(rows: list[StatsRow], *, group_by: list[str]) -> str:
    """The rows of ``referral_stats(..., totals=True)`` as CSV text, with small counts suppressed."""
    width = len(group_by)

    def key(row):
        return tuple(row.dimensions[d] if i < row.level else None for i, d in enumerate(group_by))

    count_marks = suppression.suppress({key(r): r.measures["count"] for r in rows}, width)
    # Every other count (overdue, Continued Presence) is suppressed on its own, by the same rule.
    other_marks = {
        m: suppression.suppress({key(r): r.measures[m] for r in rows}, width) for m in COUNT_MEASURES if m != "count"
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180
    writer.writerow([*group_by, *MEASURES])
    for row in rows:
        k = key(row)
        values = []
        for measure in MEASURES:
            value = row.measures[measure]
            if measure == "count":
                value = count_marks[k] or value
            elif count_marks[k]:
                value = None  # timeliness of a suppressed cell is suppressed with it
            elif measure in other_marks:
                value = other_marks[measure][k] or value
            values.append("" if value is None else value)
        writer.writerow([*(row.dimensions[d] or TOTAL for d in group_by), *values])
    return buffer.getvalue()
