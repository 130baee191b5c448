"""Small-cell suppression for published tables (the CSV export).

The rule, as statistical agencies apply it to tables of counts about people (primary suppression of small
cells, then complementary suppression so that no suppressed cell can be recomputed from the totals):

1. **Primary.** A count from 1 to 4 is shown as ``<5``. Zero and counts of 5 or more are shown as they are.
2. **Complementary.** The table holds cells and the subtotals of every leading prefix of ``group_by`` down to
   the grand total. A *line* is a set of entries at the same level that differ in exactly one dimension: the
   entries of one group together with their published subtotal (the parent), or entries that differ in an
   earlier dimension (whose sum is the marginal another grouping would show). Whenever a line holds exactly
   one suppressed entry, the smallest non-zero unsuppressed entry of that line is suppressed too (ties: the
   first in the table's order; if the line has no such entry, its published parent is suppressed). This is
   repeated until no line holds exactly one suppressed entry. Complementary cells are shown as
   ``suppressed``.
3. A row whose count is suppressed has every timeliness measure suppressed too (empty).

The same rule is applied, separately, to ``overdue_now`` (a count of referrals too).
"""

from __future__ import annotations

from collections import defaultdict

PRIMARY_MARK = "<5"
COMPLEMENT_MARK = "suppressed"
THRESHOLD = 5

Key = tuple  # dimension values, with None for a rolled-up dimension


def _lines(keys: list[Key], width: int) -> list[tuple[list[Key], Key | None]]:
    """Every line of the table: (members, published parent or None)."""
    published = set(keys)
    lines: dict[tuple, list[Key]] = defaultdict(list)
    for key in keys:
        level = sum(1 for v in key if v is not None)
        for j in range(level):
            # The members agree on every coordinate except j (and share the same level).
            signature = (level, j, key[:j] + key[j + 1 :])
            lines[signature].append(key)
    result = []
    for (level, j, _), members in lines.items():
        parent = None
        if j == level - 1:
            candidate = members[0][:j] + (None,) * (width - j)
            parent = candidate if candidate in published else None
        result.append((members, parent))
    return result


def suppress(counts: dict[Key, int], width: int) -> dict[Key, str | None]:
    """Return, for each key of ``counts`` (in order), ``"<5"``, ``"suppressed"`` or ``None`` (shown as is).

    ``counts`` maps each published entry (cells and subtotals, ``None`` for a rolled-up dimension) to its count.
    """
    order = {key: i for i, key in enumerate(counts)}
    marks: dict[Key, str | None] = {
        key: PRIMARY_MARK if 0 < count < THRESHOLD else None for key, count in counts.items()
    }
    lines = _lines(list(counts), width)
    changed = True
    while changed:
        changed = False
        for members, parent in lines:
            entries = members + ([parent] if parent is not None else [])
            if sum(1 for key in entries if marks[key] is not None) != 1:
                continue
            candidates = [key for key in members if marks[key] is None and counts[key] > 0]
            if candidates:
                chosen = min(candidates, key=lambda k: (counts[k], order[k]))
            elif parent is not None and marks[parent] is None:
                chosen = parent
            else:
                continue
            marks[chosen] = COMPLEMENT_MARK
            changed = True
    return marks
