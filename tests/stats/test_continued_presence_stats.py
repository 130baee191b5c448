"""Continued Presence counts (granted, expiring within 90 days and not extended, extended) in the statistics API,
its CSV and the operators' dashboard, read from the deadline module's rules."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client as BrowserClient

from tests.referrals.conftest import create_and_walk

URL = "/api/v1/stats/referrals/"
REFERRALS = "/api/v1/referrals/"


def grant(ice, referral, effective_on, expires_on):
    response = ice.post(
        f"{REFERRALS}{referral['id']}/complete/",
        {"outcome_code": "continued_presence_granted", "outcome": "Granted.",
         "continued_presence": {"effective_on": effective_on.isoformat(), "expires_on": expires_on.isoformat()}},
        format="json",
    )  # fmt: skip
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def cp_world(api):
    cbp, ice = api("CBP"), api("ICE")
    today = datetime.date.today()
    day = datetime.timedelta(days=1)
    # A grant lapsing in 20 days, then extended by a grant lapsing in 60 days: 2 granted, 1 extended, 1 expiring.
    first = create_and_walk(cbp, ice, "accepted", referral_type="continued_presence")
    first = grant(ice, first, today - 700 * day, today + 20 * day)
    ext = create_and_walk(
        cbp, ice, "accepted", referral_type="continued_presence_extension", related_referral=first["id"]
    )
    grant(ice, ext, today + 21 * day, today + 60 * day)
    # A grant far from expiry, and a denial.
    far = create_and_walk(cbp, ice, "accepted", referral_type="continued_presence")
    grant(ice, far, today, today + 700 * day)
    denied = create_and_walk(cbp, ice, "accepted", referral_type="continued_presence")
    ice.post(f"{REFERRALS}{denied['id']}/complete/",
             {"outcome_code": "continued_presence_denied", "outcome": "Denied."}, format="json")  # fmt: skip
    # Two more referrals, so the CSV's total row is not itself a small cell (its counts would then be hidden).
    for _ in range(2):
        create_and_walk(cbp, ice)
    return cbp, ice


def test_stats_count_grants_extensions_and_expiring(cp_world, api):
    cbp, ice = cp_world
    for client in (cbp, ice):
        [row] = client.get(URL).json()["results"]
        assert (row["cp_granted"], row["cp_extended"], row["cp_expiring_90d"]) == (2, 1, 1)
    by_type = {r["referral_type"]: r for r in cbp.get(URL, {"group_by": "referral_type"}).json()["results"]}
    assert by_type["continued_presence"]["cp_granted"] == 2
    assert by_type["continued_presence_extension"]["cp_extended"] == 1
    assert by_type["continued_presence_extension"]["cp_expiring_90d"] == 1
    # Another agency counts none of them (need to know).
    assert api("USCIS").get(URL).json()["results"] == []


def test_csv_suppresses_small_cp_counts(cp_world):
    cbp, _ = cp_world
    response = cbp.get(URL, {"format": "csv"})
    assert response.status_code == 200
    header, total = response.content.decode().splitlines()[:2]
    columns = header.split(",")
    assert {"cp_granted", "cp_expiring_90d", "cp_extended"} <= set(columns)
    values = dict(zip(columns, total.split(","), strict=True))
    assert (values["cp_granted"], values["cp_extended"], values["cp_expiring_90d"]) == ("<5", "<5", "<5")


def test_dashboard_shows_continued_presence(cp_world, db):
    staff = get_user_model().objects.create_user("operator", password="a long test password 42", is_staff=True)
    browser = BrowserClient()
    browser.force_login(staff)
    page = browser.get("/admin/dashboard/").content.decode()
    assert 'id="table-continued-presence"' in page
    section = page[page.index('id="table-continued-presence"') :]
    section = section[: section.index("</table>")]
    assert "<td>2</td><td>1</td><td>1</td>" in section
