"""The dashboard in headless Chromium: log in through the admin form, read the numbers, make no third-party request.

Uses the ``browser`` fixture (tests/conftest.py): Debian's Chromium driven by selenium.
"""

from __future__ import annotations

import base64
import datetime
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from tests.stats.conftest import Spec

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "dashboard.png"
PASSWORD = "a long browser test password 42"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def requested_urls(driver) -> list[str]:
    """Every URL the page asked for, from Chrome's performance log (DevTools Network.requestWillBeSent)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def cells(driver, table_id: str) -> list[list[str]]:
    from selenium.webdriver.common.by import By

    rows = driver.find_elements(By.CSS_SELECTOR, f"#{table_id} tbody tr")
    return [[text(c) for c in row.find_elements(By.CSS_SELECTOR, "th, td")] for row in rows]


def text(element) -> str:
    """The element's text as written (the admin's CSS upper-cases some headers on screen)."""
    return " ".join(element.get_attribute("textContent").split())


@pytest.fixture
def dashboard_server(transactional_db, settings):
    """A live server of this test's own, started after the settings below (middleware reads them at start).

    Under ``Referrer-Policy: no-referrer`` a browser sends ``Origin: null`` with the admin login form's POST
    (Fetch standard, "serializing a request origin"), which Django's CSRF check refuses with 403. The admin
    needs at least ``same-origin``, which still sends nothing to other sites.
    """
    from pytest_django.live_server_helper import LiveServer

    settings.SECURE_REFERRER_POLICY = "same-origin"
    server = LiveServer("localhost")
    server._live_server_modified_settings.enable()
    try:
        yield server
    finally:
        server._live_server_modified_settings.disable()
        server.stop()


@pytest.fixture
def dashboard_data(seeded, write_referrals):
    from django.contrib.auth import get_user_model

    from agencies.models import Client
    from agencies.services import client_create
    from audit.services import OUTCOME_DENIED, audit_record

    now = timezone.now()
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    this_month = month_start + (now - month_start) / 2
    last_month = month_start - datetime.timedelta(days=10)
    answered = datetime.timedelta(minutes=20)
    specs = (
        [Spec("CBP", "ICE", "victim_assistance", "acknowledged", "urgent", this_month,
              acknowledged_at=this_month + answered)] * 3
        + [Spec("USCIS", "ICE", "investigative_lead", "submitted", "routine", last_month)] * 2
        + [Spec("CBP", "USCIS", "immigration_relief_screening", "submitted", "immediate_danger",
                now - datetime.timedelta(hours=3))]
    )  # fmt: skip
    referrals = write_referrals(specs)
    get_user_model().objects.create_user("operator", password=PASSWORD, is_staff=True)
    issued = client_create(agency_code="ICE", name="HSI case system", scopes=["referrals:read"])
    Client.objects.filter(pk=issued.client.pk).update(last_token_at=now - datetime.timedelta(hours=2))
    for _ in range(3):
        audit_record(
            action="token.refused",
            object_type="client",
            object_id=issued.client.client_id,
            outcome=OUTCOME_DENIED,
            reason="invalid_client",
        )
    return {"now": now, "specs": specs, "referrals": referrals, "client": issued.client}


def test_staff_user_reads_the_dashboard_with_no_third_party_request(browser, dashboard_server, dashboard_data):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.execute_cdp_cmd("Network.enable", {})
    browser.get(f"{dashboard_server.url}/admin/login/?next=/admin/dashboard/")
    browser.find_element(By.NAME, "username").send_keys("operator")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    # The click starts a navigation; wait for the dashboard to have loaded after the login's redirect.
    WebDriverWait(browser, 20).until(lambda b: b.find_elements(By.ID, "table-credentials"))
    assert urlsplit(browser.current_url).path == "/admin/dashboard/"
    assert "Operations dashboard" in browser.title

    specs = dashboard_data["specs"]
    # Volume per month: the table and the bar totals agree with what was seeded.
    expected_per_month: dict[str, int] = {}
    for s in specs:
        key = s.created_at.astimezone(datetime.UTC).strftime("%Y-%m")
        expected_per_month[key] = expected_per_month.get(key, 0) + 1
    volume = {row[0]: row for row in cells(browser, "table-volume")}
    assert len(volume) == 12
    for month, total in expected_per_month.items():
        assert volume[month][-1] == str(total)
        bar = browser.find_element(By.CSS_SELECTOR, f'#chart-volume g.bar[data-category="{month}"]')
        assert bar.get_attribute("data-total") == str(total)
    assert sum(int(row[-1]) for row in volume.values()) == len(specs)
    header = [text(th) for th in browser.find_elements(By.CSS_SELECTOR, "#table-volume thead th")]
    assert header[1:-1] == ["Investigative lead", "Victim assistance", "T/U immigration relief screening (deprecated)"]

    # Per agency: sent and received, in the table and as bar labels.
    assert cells(browser, "table-agencies") == [["CBP", "4", "0"], ["ICE", "0", "5"], ["USCIS", "2", "1"]]
    ice_labels = browser.find_elements(By.CSS_SELECTOR, '#chart-agencies g.bar-group[data-label="ICE"] text.value')
    assert [t.text for t in ice_labels] == ["0", "5"]

    # Timeliness: the three urgent ones were answered in 20 minutes, within their 24-hour deadline.
    timeliness = {row[0]: row for row in cells(browser, "table-timeliness")}
    assert timeliness["Urgent"][2:6] == ["3", "100%", "20 min", "20 min"]
    assert timeliness["Routine"][2:4] == ["2", "0%"]
    assert timeliness["Immediate danger"][3] == "0%"

    # Overdue: the two routine referrals from last month and the immediate-danger one (1-hour deadline).
    overdue = cells(browser, "table-overdue")
    references = sorted(r.reference for r in dashboard_data["referrals"][3:])
    assert sorted(row[0] for row in overdue) == references
    assert {tuple(row[3:5]) for row in overdue} == {("USCIS", "ICE"), ("CBP", "USCIS")}

    # Credential health: the client, its last token, three refusals from the audit log.
    client = dashboard_data["client"]
    row = browser.find_element(By.CSS_SELECTOR, f'#table-credentials tr[data-client-id="{client.client_id}"]')
    assert row.find_element(By.CSS_SELECTOR, "td.refused").text == "3"
    assert "refusals" in row.text and "HSI case system" in row.text

    # Every request went to the live server: no CDN, font or analytics host.
    server = urlsplit(dashboard_server.url)
    urls = requested_urls(browser)
    assert any(urlsplit(u).path == "/admin/dashboard/" for u in urls)
    # chrome:// and data: URLs are the browser's own (its new-tab page before the first navigation).
    foreign = [u for u in urls if urlsplit(u).scheme not in ("data", "blob", "about", "chrome") and
               (urlsplit(u).hostname, urlsplit(u).port) != (server.hostname, server.port)]  # fmt: skip
    assert foreign == []

    # The whole page, beyond the window (DevTools Page.captureScreenshot).
    width, height = browser.execute_script(
        "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
    )
    shot = browser.execute_cdp_cmd(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True,
         "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}},
    )  # fmt: skip
    SCREENSHOT.parent.mkdir(exist_ok=True)
    SCREENSHOT.write_bytes(base64.b64decode(shot["data"]))
