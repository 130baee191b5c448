"""Small-cell suppression of the CSV export: primary (1 to 4 shown as <5) and complementary suppression."""

from __future__ import annotations

import csv
import datetime
import io

import pytest

from stats.suppression import COMPLEMENT_MARK, PRIMARY_MARK, suppress
from tests.stats.conftest import Spec

URL = "/api/v1/stats/referrals/"
P, C = PRIMARY_MARK, COMPLEMENT_MARK


def marks_of(counts: dict, width: int) -> dict:
    return {k: v for k, v in suppress(counts, width).items() if v}


@pytest.mark.parametrize(("count", "mark"), [(0, None), (1, P), (2, P), (4, P), (5, None), (6, None)])
def test_primary_threshold(count, mark):
    assert suppress({(): count}, 0) == {(): mark}


def test_one_small_cell_in_a_group_takes_the_next_smallest_with_it():
    # Cells a=3, b=10, c=12; total 25. Alone, a could be recomputed as 25 - 10 - 12.
    counts = {("a",): 3, ("b",): 10, ("c",): 12, (None,): 25}
    assert marks_of(counts, 1) == {("a",): P, ("b",): C}


def test_two_small_cells_need_no_complement():
    counts = {("a",): 3, ("b",): 2, ("c",): 12, (None,): 17}
    assert marks_of(counts, 1) == {("a",): P, ("b",): P}


def test_a_small_total_is_suppressed_with_its_only_cell():
    counts = {("a",): 4, (None,): 4}
    assert marks_of(counts, 1) == {("a",): P, (None,): P}


def test_zero_cells_are_not_used_as_complements():
    # Zero rows do not exist in the table (GROUP BY returns none); the complement is the smallest non-zero.
    counts = {("a",): 1, ("b",): 7, ("c",): 5, (None,): 13}
    assert marks_of(counts, 1) == {("a",): P, ("c",): C}


def test_complements_cascade_across_both_dimensions():
    # Two dimensions (x, y), ROLLUP subtotals per x and a grand total.
    #        y1   y2   | x total
    #   x1    2   10   |  12
    #   x2    9    8   |  17
    #   total          |  29
    counts = {
        ("x1", "y1"): 2, ("x1", "y2"): 10, ("x1", None): 12,
        ("x2", "y1"): 9, ("x2", "y2"): 8, ("x2", None): 17,
        (None, None): 29,
    }  # fmt: skip
    marks = marks_of(counts, 2)
    assert marks[("x1", "y1")] == P
    # Row x1: its other cell; column y1 (marginal known from another grouping): the other x in y1.
    assert marks[("x1", "y2")] == C
    assert marks[("x2", "y1")] == C
    # Then row x2 holds one suppressed cell: its other cell goes too.
    assert marks[("x2", "y2")] == C
    # No line is left with exactly one suppressed entry.
    for x in ("x1", "x2"):
        assert sum(1 for y in ("y1", "y2") if (x, y) in marks) != 1
    for y in ("y1", "y2"):
        assert sum(1 for x in ("x1", "x2") if (x, y) in marks) != 1


# --- through the API ------------------------------------------------------------------------------------


def csv_rows(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode())))


@pytest.fixture
def old(now):
    return now - datetime.timedelta(days=10)


def test_csv_edge_counts_and_complement(api, write_referrals, old):
    # ICE receives from CBP: 1 investigative lead, 4 victim assistance, 5 continued presence,
    # 12 information requests (answered on time: timeliness measures present).
    answered = old + datetime.timedelta(minutes=30)
    specs = (
        [Spec("CBP", "ICE", "investigative_lead", "submitted", "routine", old)]
        + [Spec("CBP", "ICE", "victim_assistance", "submitted", "routine", old)] * 4
        + [Spec("CBP", "ICE", "continued_presence", "submitted", "routine", old)] * 5
        + [Spec("CBP", "ICE", "information_request", "acknowledged", "routine", old, acknowledged_at=answered)] * 12
    )
    write_referrals(specs)
    ice = api("ICE", "referrals:read")
    rows = csv_rows(ice.get(URL, {"group_by": "referral_type", "format": "csv"}))
    by_type = {r["referral_type"]: r for r in rows}
    assert by_type["investigative_lead"]["count"] == "<5"
    assert by_type["victim_assistance"]["count"] == "<5"
    assert by_type["continued_presence"]["count"] == "5"
    assert by_type["information_request"]["count"] == "12"
    assert by_type["total"]["count"] == "22"
    # Timeliness of suppressed cells is suppressed with them; the others are shown.
    assert by_type["investigative_lead"]["overdue_now"] == ""
    assert by_type["victim_assistance"]["acknowledged_by_deadline_share"] == ""
    assert by_type["continued_presence"]["overdue_now"] == "5"
    assert float(by_type["information_request"]["median_seconds_to_acknowledge"]) == 1800.0
    assert by_type["information_request"]["overdue_now"] == "0"
    # The order: cells by their value, then the total.
    assert [r["referral_type"] for r in rows][-1] == "total"

    # Only one small cell left in the group (investigative lead): the next-smallest goes with it.
    write_referrals([Spec("CBP", "ICE", "victim_assistance", "submitted", "routine", old)] * 3)
    rows = {r["referral_type"]: r for r in csv_rows(ice.get(URL, {"group_by": "referral_type", "format": "csv"}))}
    assert rows["investigative_lead"]["count"] == "<5"
    assert rows["continued_presence"]["count"] == "suppressed"
    assert rows["continued_presence"]["median_seconds_to_acknowledge"] == ""
    assert rows["victim_assistance"]["count"] == "7"
    assert rows["information_request"]["count"] == "12"
    assert rows["total"]["count"] == "25"
    # overdue_now (a count too): 1 + 7 + 5 overdue, 0 for the answered ones; 1 is in a suppressed row already.
    assert rows["victim_assistance"]["overdue_now"] == "7"


def test_csv_of_an_empty_window_is_a_zero_total(api, seeded):
    rows = csv_rows(api("ICE", "referrals:read").get(URL, {"group_by": "month,status", "format": "csv"}))
    assert rows == [
        {
            "month": "total",
            "status": "total",
            "count": "0",
            "acknowledged_by_deadline_share": "",
            "median_seconds_to_acknowledge": "",
            "p90_seconds_to_acknowledge": "",
            "median_seconds_to_accept": "",
            "p90_seconds_to_accept": "",
            "overdue_now": "0",
            "hhs_notified_on_time_share": "",
            "cp_granted": "0",
            "cp_expiring_90d": "0",
            "cp_extended": "0",
        }
    ]


def test_csv_has_subtotals_and_no_line_with_a_single_suppressed_count(api, write_referrals, now):
    from tests.stats.conftest import varied_specs

    write_referrals(varied_specs(now, n=90, seed=3))
    rows = csv_rows(api("ICE", "referrals:read").get(URL, {"group_by": "direction,status", "format": "csv"}))
    cells = [r for r in rows if "total" not in (r["direction"], r["status"])]
    subtotals = [r for r in rows if r["direction"] != "total" and r["status"] == "total"]
    assert {r["direction"] for r in subtotals} == {"incoming", "outgoing"}
    assert rows[-1]["direction"] == rows[-1]["status"] == "total"
    assert any(r["count"] == "<5" for r in cells)
    for direction in ("incoming", "outgoing"):
        line = [r for r in cells if r["direction"] == direction]
        line += [r for r in subtotals if r["direction"] == direction]
        assert sum(1 for r in line if not r["count"].isdigit()) != 1, direction
    for status in {r["status"] for r in cells}:
        line = [r for r in cells if r["status"] == status]
        assert sum(1 for r in line if not r["count"].isdigit()) != 1, status
    # The shown counts of each group add up to its subtotal whenever nothing in it is suppressed.
    for sub in subtotals:
        line = [r for r in cells if r["direction"] == sub["direction"]]
        if all(r["count"].isdigit() for r in line):
            assert sum(int(r["count"]) for r in line) == int(sub["count"])


def test_json_is_not_suppressed(api, write_referrals, old):
    write_referrals([Spec("CBP", "ICE", "investigative_lead", "submitted", "routine", old)])
    results = api("ICE", "referrals:read").get(URL, {"group_by": "referral_type"}).json()["results"]
    assert results[0]["count"] == 1
