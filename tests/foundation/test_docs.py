"""The README documents every setting read from the environment, the two set-up commands and the quickstart."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
README = (BASE_DIR / "README.md").read_text(encoding="utf-8")
CONTRACT_CONFIGURATION = [
    "DATABASE_URL",
    "DJANGO_SECRET_KEY",
    "DJANGO_DEBUG",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_ALLOWED_HOSTS",
    "FIELD_ENCRYPTION_KEYS",
    "BLIND_INDEX_KEY",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "ACCESS_TOKEN_SECONDS",
    "API_RATE_LIMIT",
    "WEBHOOK_ALLOW_PRIVATE_URLS",
    "ATTACHMENT_MAX_BYTES",
    "ATTACHMENT_STORAGE",
]


def environment_variables_in_settings() -> set[str]:
    source = (BASE_DIR / "referral_api" / "settings.py").read_text(encoding="utf-8")
    return set(re.findall(r"""env(?:\.\w+)?\(\s*["']([A-Z][A-Z0-9_]+)["']""", source)) | set(
        re.findall(r"""Env\(\)\.\w+\(\s*["']([A-Z][A-Z0-9_]+)["']""", source)
    )


def configuration_table() -> str:
    return README.split("## Configuration", 1)[1].split("\n## ", 1)[0]


def test_every_environment_variable_is_in_the_configuration_table():
    table = configuration_table()
    names = environment_variables_in_settings() | set(CONTRACT_CONFIGURATION)
    assert len(names) > 20
    missing = sorted(name for name in names if f"`{name}`" not in table)
    assert missing == [], f"README.md 'Configuration' lacks: {missing}"


def test_readme_sections():
    for heading in (
        "## Set up",
        "## Integrator quickstart",
        "## Configuration",
        "## Production deployment",
        "## Referrals",
        "## Events and webhooks",
        "## Attachments",
        "## Privacy and audit",
    ):
        assert heading in README, heading
    assert "make run" in README and "make test" in README
    assert "curl -s -u" in README and "/api/v1/me/" in README
    assert "/api/docs/" in README and "/api/redoc/" in README
    for command in (
        "agency_client_create",
        "agency_client_rotate_secret",
        "agency_client_revoke",
        "agency_client_list",
        "check --deploy",
        "gunicorn",
    ):
        assert command in README, command


def test_adrs_exist():
    adrs = sorted(p.name for p in (BASE_DIR / "docs" / "adr").glob("*.md"))
    assert len(adrs) >= 4


def test_only_settings_py_reads_the_environment():
    """Every setting is read in referral_api/settings.py (and documented above); code reads django.conf.settings.

    The process entry points only default ``DJANGO_SETTINGS_MODULE``; gunicorn.conf.py is gunicorn's own config.
    """
    readers = re.compile(r"os\.environ(?!\.setdefault\(\"DJANGO_SETTINGS_MODULE\")|os\.getenv|environ\.Env\(")
    apps = ["referral_api", "agencies", "audit", "events", "referrals", "attachments", "stats", "schema"]
    offenders = [
        str(path.relative_to(BASE_DIR))
        for app in apps
        for path in (BASE_DIR / app).rglob("*.py")
        if path.name != "settings.py" and readers.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
