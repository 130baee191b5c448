"""Shared fixtures: seeded agencies, clients with chosen scopes, and API clients holding real tokens."""

from __future__ import annotations

import base64
import contextlib
import os

import pytest
from django.conf import settings
from rest_framework.test import APIClient

ALL_SCOPES = " ".join(settings.PARTNER_SCOPES)

# Every JSON answer from the API is validated against schema/openapi.yaml (tests/openapi_check.py).
pytest_plugins = ["tests.openapi_check"]


def redis_available() -> bool:
    from referral_api.devdata import redis_reachable

    return redis_reachable(settings.REDIS_URL)


def pytest_configure(config):
    # People's passwords (admin users) are hashed with PBKDF2, ~0.3 s each by design; tests use a fast hasher
    # for them. Client secrets keep their own keyed hash (agencies/client_secrets.py), as in production.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    # Each xdist worker gets its own cache namespace (see _isolated_cache).
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    settings.CACHES["default"]["KEY_PREFIX"] = f"{settings.CACHES['default'].get('KEY_PREFIX', 'ra')}-test-{worker}"
    _split_database_roles()


def _split_database_roles() -> None:
    """The tests run with the production role split: test databases are created and migrated by the owner
    (DATABASE_OWNER_URL, or DATABASE_URL when unset), and every connection of the application uses a login
    role that owns nothing (DATABASE_URL when an owner is given, else ``referral_api_app``, created here)."""
    import psycopg2
    from django.db import DatabaseError
    from django.db.backends.base.creation import BaseDatabaseCreation
    from django.test import TransactionTestCase

    from referral_api.dbroles import DEFAULT_APP_ROLE, ensure_app_role, owner_connection

    database = settings.DATABASES["default"]
    if not database.get("OWNER"):
        database["OWNER"] = {key: database.get(key) or "" for key in ("USER", "PASSWORD", "HOST", "PORT")}
        database["USER"], database["PASSWORD"] = DEFAULT_APP_ROLE, ""
    owner = database["OWNER"]
    if database["USER"] != owner["USER"]:
        admin = psycopg2.connect(
            host=owner["HOST"] or None, port=owner["PORT"] or None, user=owner["USER"],
            password=owner["PASSWORD"] or None, dbname=database["NAME"],
        )  # fmt: skip
        admin.autocommit = True
        try:
            with admin.cursor() as cursor:
                ensure_app_role(cursor, database["USER"], statement_timeout_ms=settings.DATABASE_STATEMENT_TIMEOUT_MS)
        finally:
            admin.close()

    create_test_db, destroy_test_db = BaseDatabaseCreation.create_test_db, BaseDatabaseCreation.destroy_test_db

    def create_as_owner(self, *args, **kwargs):
        with owner_connection(self.connection.alias):
            return create_test_db(self, *args, **kwargs)

    def destroy_as_owner(self, old_database_name=None, verbosity=1, keepdb=False, suffix=None):
        with owner_connection(self.connection.alias):
            if not keepdb:
                # A connection pooler (PgBouncer) may still hold server connections to the test database.
                with self._nodb_cursor() as cursor, contextlib.suppress(DatabaseError):
                    cursor.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = %s AND pid <> pg_backend_pid()",
                        [self.connection.settings_dict["NAME"]],
                    )
            return destroy_test_db(self, old_database_name, verbosity, keepdb, suffix)

    BaseDatabaseCreation.create_test_db = create_as_owner
    BaseDatabaseCreation.destroy_test_db = destroy_as_owner

    # Transactional tests empty the database afterwards with one TRUNCATE of every table: the owner's job (the
    # application role may not TRUNCATE, and not at all the audit table).
    fixture_teardown = TransactionTestCase._fixture_teardown

    def teardown_as_owner(self):
        with contextlib.ExitStack() as stack:
            for alias in self._databases_names(include_mirrors=False):
                stack.enter_context(owner_connection(alias))
            return fixture_teardown(self)

    TransactionTestCase._fixture_teardown = teardown_as_owner


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
    """Get an access token through the real token endpoint (for tests about that endpoint; others use ``api``)."""
    data = {"grant_type": "client_credentials"}
    if scope:
        data["scope"] = scope
    basic = base64.b64encode(f"{issued.client.client_id}:{issued.client_secret}".encode()).decode()
    response = APIClient().post("/oauth/token/", data, HTTP_AUTHORIZATION=f"Basic {basic}")
    assert response.status_code == 200, response.content
    return response.json()["access_token"]


def bearer(issued, scopes: str) -> APIClient:
    """An APIClient holding a live token of ``issued.client`` with ``scopes`` (``tests.factories``: no HTTP)."""
    from tests.factories import AccessTokenFactory

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessTokenFactory(application=issued.client, scope=scopes).raw}")
    client.issued = issued
    client.agency = issued.client.agency.code
    return client


@pytest.fixture
def api(make_client):
    """``api("CBP", "referrals:read")`` -> an APIClient with a bearer token of a new client of that agency.

    The one way tests get a token (the token endpoint's own tests call it through ``obtain_token``). The returned
    client has ``.issued`` (the credentials) and ``.agency`` (the agency code). A token may carry no scope at all
    (``scopes=""``); its client is then allowed every partner scope.
    """

    def _api(agency: str = "CBP", scopes: str = ALL_SCOPES) -> APIClient:
        return bearer(make_client(agency, scopes or ALL_SCOPES), scopes)

    return _api


@pytest.fixture
def cbp(api):
    return api("CBP")


@pytest.fixture
def ice(api):
    return api("ICE")


@pytest.fixture
def uscis(api):
    return api("USCIS")


@pytest.fixture
def make_referral(cbp, ice):
    """``make_referral("accepted")`` -> a CBP -> ICE referral in that status, built by the services (no HTTP), as
    its sender sees it. ``sender``/``receiver`` take other ``api`` clients; other keywords go into the body."""
    from tests.factories import REFERRAL_FACTORIES

    def _make(status: str = "submitted", sender=None, receiver=None, **overrides) -> dict:
        from referrals.api.serializers import referral_representation
        from referrals.models import Referral
        from referrals.selectors import with_representation

        sender, receiver = sender or cbp, receiver or ice
        referral = REFERRAL_FACTORIES[status](
            sender=sender.issued.client, receiver=receiver.issued.client, body=overrides
        )
        referral = with_representation(Referral.objects.filter(pk=referral.pk)).get()
        return referral_representation(referral, side="sender", pii=True, can_write=True)

    return _make


@pytest.fixture
def attachment_dir(settings, tmp_path):
    """A private attachment store for this test (a directory under its ``tmp_path``)."""
    location = tmp_path / "attachments"
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(location)},
        },
    }
    return location  # Django's setting_changed handler drops the cached storages


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


@pytest.fixture
def owner_cursor(transactional_db):
    """A cursor of the schema owner on the test database (autocommit), for what the application role may not do:
    tampering with the audit table as a superuser could, installing test triggers. Rows must be committed to be
    seen here, hence the transactional database."""
    import psycopg2
    from django.db import connection

    owner = connection.settings_dict["OWNER"]
    conn = psycopg2.connect(
        host=owner["HOST"] or None, port=owner["PORT"] or None, user=owner["USER"],
        password=owner["PASSWORD"] or None, dbname=connection.settings_dict["NAME"],
    )  # fmt: skip
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            yield cursor
    finally:
        conn.close()


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
