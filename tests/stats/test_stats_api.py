"""GET /api/v1/stats/referrals/: every grouping against numbers computed here, scoping, parameters, queries."""

from __future__ import annotations

import datetime
import itertools

import pytest

from stats.selectors import DIMENSIONS, referral_stats
from tests.stats.conftest import Spec, expected_stats, varied_specs

URL = "/api/v1/stats/referrals/"
ALL_GROUPINGS = [list(c) for n in range(len(DIMENSIONS) + 1) for c in itertools.combinations(DIMENSIONS, n)]


def assert_same(actual: list[dict], expected: list[dict]) -> None:
    assert len(actual) == len(expected)
    for got, want in zip(actual, expected, strict=True):
        assert set(got) == set(want)
        for name, value in want.items():
            if value is None or isinstance(value, str) or name in ("count", "overdue_now"):
                assert got[name] == value, name
            else:
                assert got[name] == pytest.approx(value, abs=0.051), name


@pytest.fixture
def varied(write_referrals, now):
    specs = varied_specs(now)
    write_referrals(specs)
    return specs


def test_every_grouping_matches_an_independent_count(api, varied, now):
    ice = api("ICE", "referrals:read")
    start = now - datetime.timedelta(days=200)
    for group_by in ALL_GROUPINGS:
        response = ice.get(URL, {"group_by": ",".join(group_by), "from": start.strftime("%Y-%m-%dT%H:%M:%SZ")})
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["group_by"] == group_by
        # Rows come ordered by their dimension values, as the expected ones are.
        expected = expected_stats(varied, agency="ICE", group_by=group_by, now=now)
        assert_same(body["results"], expected)
    totals = ice.get(URL, {"from": start.strftime("%Y-%m-%d")}).json()["results"]
    assert totals[0]["count"] == sum(1 for s in varied if "ICE" in (s.sender, s.receiver))


def test_from_and_to_bound_the_window(api, varied, now):
    ice = api("ICE", "referrals:read")
    start, end = now - datetime.timedelta(days=90), now - datetime.timedelta(days=30)
    fmt = "%Y-%m-%dT%H:%M:%SZ"
    start, end = (datetime.datetime.strptime(t.strftime(fmt), fmt).replace(tzinfo=datetime.UTC) for t in (start, end))
    body = ice.get(URL, {"group_by": "status,priority", "from": start.strftime(fmt), "to": end.strftime(fmt)}).json()
    assert body["from"] == start.strftime(fmt) and body["to"] == end.strftime(fmt)
    expected = expected_stats(varied, agency="ICE", group_by=["status", "priority"], now=now, start=start, end=end)
    assert_same(body["results"], expected)


def test_a_date_to_includes_that_whole_day(api, write_referrals, now):
    day = datetime.datetime(2026, 3, 10, tzinfo=datetime.UTC)
    write_referrals(
        [
            Spec("CBP", "ICE", "victim_assistance", "submitted", "routine", day + datetime.timedelta(hours=23)),
            Spec("CBP", "ICE", "victim_assistance", "submitted", "routine", day + datetime.timedelta(days=1)),
            Spec("CBP", "ICE", "victim_assistance", "submitted", "routine", day - datetime.timedelta(seconds=1)),
        ]
    )
    body = api("ICE", "referrals:read").get(URL, {"from": "2026-03-10", "to": "2026-03-10"}).json()
    assert (body["from"], body["to"]) == ("2026-03-10T00:00:00Z", "2026-03-11T00:00:00Z")
    assert body["results"][0]["count"] == 1


def test_another_agencys_referrals_are_never_counted(api, write_referrals, now):
    created = now - datetime.timedelta(days=4)
    write_referrals([Spec("CBP", "USCIS", t, "submitted", "routine", created) for t in ("victim_assistance",) * 7])
    write_referrals([Spec("CBP", "ICE", "investigative_lead", "submitted", "urgent", created)])
    ice = api("ICE", "referrals:read")
    for group_by in ALL_GROUPINGS:
        results = ice.get(URL, {"group_by": ",".join(group_by)}).json()["results"]
        assert sum(r["count"] for r in results) == 1
        assert all(r.get("counterpart", "CBP") == "CBP" for r in results)
    uscis = api("USCIS", "referrals:read").get(URL, {"group_by": "counterpart,direction"}).json()["results"]
    assert uscis == [{"counterpart": "CBP", "direction": "incoming", "count": 7, "acknowledged_by_deadline_share": 0.0,
                      "median_seconds_to_acknowledge": None, "p90_seconds_to_acknowledge": None,
                      "median_seconds_to_accept": None, "p90_seconds_to_accept": None, "overdue_now": 7,
                      "hhs_notified_on_time_share": None, "cp_granted": 0, "cp_expiring_90d": 0,
                      "cp_extended": 0}]  # fmt: skip


def test_referrals_made_through_the_api_are_counted(api, make_referral, ice):
    make_referral("submitted")
    make_referral("accepted")
    results = ice.get(URL, {"group_by": "direction,status"}).json()["results"]
    assert [(r["direction"], r["status"], r["count"]) for r in results] == [
        ("incoming", "accepted", 1),
        ("incoming", "submitted", 1),
    ]
    accepted = results[0]
    assert accepted["acknowledged_by_deadline_share"] == 1.0
    assert accepted["median_seconds_to_accept"] is not None and accepted["median_seconds_to_accept"] >= 0


def test_no_referrals_gives_no_rows(api, seeded):
    body = api("ICE", "referrals:read").get(URL, {"group_by": "month"}).json()
    assert body["results"] == []
    assert api("ICE", "referrals:read").get(URL).json()["results"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"group_by": "month,colour"}, "group_by"),
        ({"group_by": "month,month"}, "group_by"),
        ({"group_by": "given_name"}, "group_by"),
        ({"from": "yesterday"}, "from"),
        ({"from": "2026-02-30"}, "from"),
        ({"to": "2026-13-01"}, "to"),
        ({"to": "2026-03-01T10:00:00"}, "to"),
        ({"from": "2026-03-02", "to": "2026-03-01"}, "from"),
        ({"format": "xml"}, "format"),
        ({"status": "submitted"}, "status"),
        ({"page_size": "10"}, "page_size"),
    ],
)
def test_bad_parameters_are_a_problem_naming_the_parameter(api, seeded, params, field):
    response = api("ICE", "referrals:read").get(URL, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["type"].endswith("/validation-error")
    assert [e["field"] for e in problem["errors"]] == [field]


def test_a_repeated_parameter_is_refused(api, seeded):
    response = api("ICE", "referrals:read").get(URL + "?group_by=month&group_by=status")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "group_by"


def test_needs_the_referrals_read_scope(api, anon, seeded):
    assert api("ICE", "events:read").get(URL).status_code == 403
    assert anon.get(URL).status_code == 401


def test_the_request_costs_a_small_constant_number_of_queries(api, write_referrals, now, django_assert_max_num_queries):
    ice = api("ICE", "referrals:read")
    write_referrals(varied_specs(now, n=20))
    with django_assert_max_num_queries(4) as small:
        assert ice.get(URL, {"group_by": "month,counterpart,status"}).status_code == 200
    write_referrals(varied_specs(now, n=80, seed=11))
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert ice.get(URL, {"group_by": "month,counterpart,status", "format": "csv"}).status_code == 200


def test_the_statistics_are_one_aggregate_query(write_referrals, now, django_assert_num_queries):
    from agencies.models import Agency
    from referrals.selectors import referrals_visible_to

    write_referrals(varied_specs(now, n=30))
    ice = Agency.objects.get(code="ICE")
    with django_assert_num_queries(1) as captured:
        referral_stats(
            queryset=referrals_visible_to(agency=ice),
            start=now - datetime.timedelta(days=365),
            end=now,
            group_by=list(DIMENSIONS),
            now=now,
            agency=ice,
            totals=True,
        )
    sql = captured.captured_queries[0]["sql"]
    assert "percentile_cont" in sql and "ROLLUP" in sql and "FILTER" in sql
    # No column holding personal data or free text is read.
    for column in ("summary", "narrative", "assignee", 'outcome"', "given_name"):
        assert column not in sql
