"""The operators' dashboard in the admin: staff only, linked from the index, no PII, bounded queries."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client as BrowserClient

from stats.dashboard import duration_text
from tests.stats.conftest import Spec, varied_specs

URL = "/admin/dashboard/"


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("operator", password="a long test password 42", is_staff=True)


@pytest.fixture
def staff_browser(staff):
    client = BrowserClient()
    client.force_login(staff)
    return client


def test_anonymous_and_non_staff_users_are_sent_to_the_login(db):
    assert BrowserClient().get(URL)["Location"].startswith("/admin/login/")
    user = get_user_model().objects.create_user("clerk", password="a long test password 42")
    client = BrowserClient()
    client.force_login(user)
    assert client.get(URL)["Location"].startswith("/admin/login/")


def test_the_admin_index_links_to_the_dashboard(staff_browser, seeded):
    page = staff_browser.get("/admin/").content.decode()
    assert f'href="{URL}"' in page


def test_the_dashboard_shows_no_personal_data(staff_browser, make_referral):
    referral = make_referral("submitted")
    page = staff_browser.get(URL).content.decode()
    assert referral["reference"] not in page  # not overdue yet
    for secret in ("Maria", "Lopez", "A123456789", "San Ysidro", "recruiter", "+15555550100"):
        assert secret not in page


def test_the_dashboard_costs_a_constant_number_of_queries(
    staff_browser, write_referrals, make_client, now, django_assert_max_num_queries
):
    make_client("ICE", "referrals:read")
    write_referrals(varied_specs(now, n=10))
    with django_assert_max_num_queries(14) as few:
        assert staff_browser.get(URL).status_code == 200
    write_referrals(varied_specs(now, n=60, seed=5))
    make_client("CBP", "referrals:read")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert staff_browser.get(URL).status_code == 200


def test_overdue_list_and_charts(staff_browser, write_referrals, now):
    late, hours_3, hour_1 = (now - datetime.timedelta(hours=h) for h in (120, 3, 1))
    rows = write_referrals(
        [
            Spec("CBP", "ICE", "victim_assistance", "submitted", "routine", late),
            Spec("USCIS", "ICE", "investigative_lead", "submitted", "immediate_danger", hours_3),
            Spec("CBP", "USCIS", "immigration_relief_screening", "submitted", "routine", hour_1),
        ]
    )
    page = staff_browser.get(URL).content.decode()
    overdue = page.split('id="table-overdue"')[1].split("</table>")[0]
    assert rows[0].reference in overdue and rows[1].reference in overdue
    assert rows[2].reference not in overdue  # deadline in three days
    assert ">2 d<" in overdue and ">2 h<" in overdue  # late by (3-day and 1-hour deadlines)
    # Each chart is an SVG with a title and a description, followed by a captioned table.
    for chart in ("chart-volume", "chart-agencies", "chart-timeliness"):
        svg = re.search(rf'<svg[^>]*id="{chart}".*?</svg>', page, re.S).group(0)
        assert f'<title id="{chart}-title">' in svg and f'<desc id="{chart}-desc">' in svg
        assert 'role="img"' in svg and "http" not in svg.replace("http://www.w3.org/2000/svg", "")
    assert page.count("<caption>") >= 5


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, "–"),
        (59, "0 min"),
        (3600, "1 h"),
        (3660, "1 h 1 min"),
        (86_400 * 3, "3 d"),
        (90_000, "1 d 1 h"),
        (600, "10 min"),
    ],
)
def test_duration_text(seconds, text):
    assert duration_text(seconds) == text
