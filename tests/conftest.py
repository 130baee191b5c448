"""Shared fixtures: seeded agencies, clients with chosen scopes, and API clients holding real tokens."""

from __future__ import annotations

import base64
import os

import pytest
from django.conf import settings
from rest_framework.test import APIClient

ALL_SCOPES = " ".join(settings.PARTNER_SCOPES)


def redis_available() -> bool:
    from referral_api.devdata import redis_reachable

    return redis_reachable(settings.REDIS_URL)


def pytest_configure(config):
    # Client secrets are hashed with Django's password hashers (PBKDF2, ~0.3 s each by design). Tests create
    # hundreds of clients, so they use a fast hasher; production keeps the default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each xdist worker gets its own cache namespace (see _isolated_cache).
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    settings.CACHES["default"]["KEY_PREFIX"] = f"{settings.CACHES['default'].get('KEY_PREFIX', 'ra')}-test-{worker}"


def pytest_collection_modifyitems(config, items):
    """Tests marked ``redis`` skip without Redis, unless REQUIRE_SERVICES=1 (CI), where they must run."""
    if redis_available() or os.environ.get("REQUIRE_SERVICES") == "1":
        return
    skip = pytest.mark.skip(reason="Redis is not reachable at REDIS_URL; start it or set REQUIRE_SERVICES=1 in CI")
    for item in items:
        if "redis" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def seeded(db):
    """The seed agencies, offices and routing table."""
    from agencies.services import agencies_seed

    agencies_seed()


@pytest.fixture
def make_client(seeded):
    """Create an agency client; returns ``IssuedCredentials`` (``.client``, ``.client_secret``)."""
    from agencies.services import client_create

    def _make(agency: str = "CBP", scopes: str = ALL_SCOPES, name: str | None = None):
        return client_create(agency_code=agency, name=name or f"{agency} test client", scopes=scopes.split())

    return _make


def obtain_token(issued, scope: str | None = None) -> str:
    """Get an access token through the real token endpoint."""
    data = {"grant_type": "client_credentials"}
    if scope:
        data["scope"] = scope
    basic = base64.b64encode(f"{issued.client.client_id}:{issued.client_secret}".encode()).decode()
    response = APIClient().post("/oauth/token/", data, HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


@pytest.fixture
def api(make_client):
    """``api("CBP", "referrals:read")`` -> an APIClient with a bearer token of a new client of that agency.

    The returned client has ``.issued`` (the credentials) and ``.agency`` (the agency code).
    """

    def _api(agency: str = "CBP", scopes: str = ALL_SCOPES) -> APIClient:
        issued = make_client(agency, scopes)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {obtain_token(issued)}")
        client.issued = issued
        client.agency = agency
        return client

    return _api


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Rate-limit counters and cached tokens never leak between tests.

    Only this test process's keys are deleted (each xdist worker has its own key prefix): a FLUSHDB would
    reset the counters of tests running at the same moment in the other workers.
    """
    from django.core.cache import cache

    try:
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(f"{cache.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    except AttributeError:  # not Redis (no Redis here): a per-process cache
        cache.clear()
    except Exception:  # Redis unreachable: the tests that need it are skipped
        pass


CHROMIUM = "/usr/bin/chromium"


def _browser_missing() -> str | None:
    import shutil

    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} is missing (apt-get install -y chromium chromium-driver)"
    if not shutil.which("chromedriver") and not os.path.exists("/usr/bin/chromedriver"):
        return "chromedriver is missing (apt-get install -y chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -r requirements-dev.txt)"
    return None


@pytest.fixture
def browser():
    """Debian's headless Chromium through selenium, 1400x1000, no network but loopback.

    Skipped without Chromium, its driver or selenium, unless REQUIRE_SERVICES=1 (CI), where that fails the test.
    """
    import shutil
    import tempfile

    reason = _browser_missing()
    if reason:
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="test-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1400,1000", f"--user-data-dir={profile}",
    ):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    chromedriver = shutil.which("chromedriver") or "/usr/bin/chromedriver"
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
