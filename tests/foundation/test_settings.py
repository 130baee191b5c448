"""Production settings: `check --deploy` is clean, and the process refuses to start without its secrets."""

from __future__ import annotations

import base64
import json
import os
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
SECRETS = (
    "DJANGO_SECRET_KEY",
    "FIELD_ENCRYPTION_KEYS",
    "BLIND_INDEX_KEY",
    "DATABASE_URL",
    "OAUTH_ISSUER",
)
# Everything the settings read that could make a run differ from a clean production environment.
CLEARED = (
    *SECRETS,
    "CLIENT_SECRET_HASH_KEYS",
    "DJANGO_DEBUG",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_SECURE_PROXY_SSL_HEADER",
    "DJANGO_SECURE_HSTS_SECONDS",
    "API_DOCS_ENABLED",
    "ADMIN_ENABLED",
    "REFERRAL_API_DATA_DIR",
)


def production_env(**overrides: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in CLEARED}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "referral_api.settings",
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            "BLIND_INDEX_KEY": secrets.token_hex(32),
            "DATABASE_URL": settings_database_url(),
            "DJANGO_ALLOWED_HOSTS": "referrals.example.gov",
            "OAUTH_ISSUER": "https://referrals.example.gov",
            "CLIENT_SECRET_HASH_KEYS": secrets.token_urlsafe(32),
        }
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def settings_database_url() -> str:
    return os.environ.get("DATABASE_URL") or "postgres://nobody@127.0.0.1:1/unused"


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def python(code: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_in_production():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_is_clean_behind_a_tls_terminating_proxy():
    env = production_env(DJANGO_SECURE_SSL_REDIRECT="false", DJANGO_SECURE_PROXY_SSL_HEADER="true")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("missing", "value"), [*((name, None) for name in SECRETS), ("DJANGO_SECRET_KEY", "")], ids=str
)
def test_production_refuses_to_start_without_each_secret(missing, value):
    env = production_env(**{missing: value})
    result = python(IMPORT_SETTINGS, env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr
    for other in set(SECRETS) - {missing}:
        assert f" {other}" not in result.stderr.split("refuse to start without:")[-1].split(".")[0]


def test_production_names_every_missing_secret_at_once():
    env = production_env(**dict.fromkeys(SECRETS))
    result = python(IMPORT_SETTINGS, env)
    assert result.returncode != 0
    for name in SECRETS:
        assert name in result.stderr


def test_debug_defaults_to_off():
    env = production_env(DJANGO_DEBUG=None)
    assert read_settings(env)["DEBUG"] is False
    env = production_env(DJANGO_DEBUG=None, DJANGO_SECRET_KEY=None)
    assert python(IMPORT_SETTINGS, env).returncode != 0


def test_production_refuses_a_non_postgresql_database():
    result = python(IMPORT_SETTINGS, production_env(DATABASE_URL="sqlite:////tmp/x.db"))
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


# Importing the settings module is enough (and much faster than starting Django): the guard runs at import.
IMPORT_SETTINGS = "import referral_api.settings"
PRINT_SETTINGS = """
import json
import referral_api.settings as s
print(json.dumps({
    "DEBUG": s.DEBUG, "ALLOWED_HOSTS": s.ALLOWED_HOSTS, "SECURE_SSL_REDIRECT": s.SECURE_SSL_REDIRECT,
    "SECURE_HSTS_SECONDS": s.SECURE_HSTS_SECONDS, "SESSION_COOKIE_SECURE": s.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": s.CSRF_COOKIE_SECURE, "SECURE_PROXY_SSL_HEADER": getattr(s, "SECURE_PROXY_SSL_HEADER", None),
    "ACCESS_TOKEN_SECONDS": s.ACCESS_TOKEN_SECONDS, "API_RATE_LIMIT": s.API_RATE_LIMIT,
    "THROTTLE": s.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["client"],
    "EXPIRE": s.OAUTH2_PROVIDER["ACCESS_TOKEN_EXPIRE_SECONDS"],
    "WEBHOOK_ALLOW_PRIVATE_URLS": s.WEBHOOK_ALLOW_PRIVATE_URLS, "ATTACHMENT_MAX_BYTES": s.ATTACHMENT_MAX_BYTES,
    "SECRET_KEY": s.SECRET_KEY, "FIELD_ENCRYPTION_KEYS": s.FIELD_ENCRYPTION_KEYS,
    "BLIND_INDEX_KEY": s.BLIND_INDEX_KEY,
}))
"""


def read_settings(env) -> dict:
    result = python(PRINT_SETTINGS, env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_defaults():
    env = production_env(DJANGO_ALLOWED_HOSTS=None)
    values = read_settings(env)
    assert values["DEBUG"] is False
    assert values["ALLOWED_HOSTS"] == []
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["ACCESS_TOKEN_SECONDS"] == values["EXPIRE"] == 900
    assert values["API_RATE_LIMIT"] == values["THROTTLE"] == "600/min"
    assert values["WEBHOOK_ALLOW_PRIVATE_URLS"] is False
    assert values["ATTACHMENT_MAX_BYTES"] == 10 * 1024 * 1024
    assert values["SECRET_KEY"] == env["DJANGO_SECRET_KEY"]
    assert values["FIELD_ENCRYPTION_KEYS"] == [env["FIELD_ENCRYPTION_KEYS"]]


def test_environment_overrides():
    env = production_env(
        ACCESS_TOKEN_SECONDS="300",
        API_RATE_LIMIT="10/sec",
        DJANGO_SECURE_PROXY_SSL_HEADER="true",
        DJANGO_SECURE_SSL_REDIRECT="false",
        FIELD_ENCRYPTION_KEYS="new-key,old-key",
    )
    values = read_settings(env)
    assert values["ACCESS_TOKEN_SECONDS"] == values["EXPIRE"] == 300
    assert values["THROTTLE"] == "10/sec"
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["FIELD_ENCRYPTION_KEYS"] == ["new-key", "old-key"]


def test_development_generates_secrets_once_and_keeps_them(tmp_path):
    env = production_env(
        DJANGO_DEBUG="true",
        REFERRAL_API_DATA_DIR=str(tmp_path),
        DJANGO_SECRET_KEY=None,
        FIELD_ENCRYPTION_KEYS=None,
        BLIND_INDEX_KEY=None,
    )
    first = read_settings(env)
    second = read_settings(env)
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert len(first["SECRET_KEY"]) >= 50
    assert first["FIELD_ENCRYPTION_KEYS"] == second["FIELD_ENCRYPTION_KEYS"]
    path = tmp_path / "secrets.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert first["DEBUG"] is True
    assert first["SECURE_SSL_REDIRECT"] is False


@pytest.mark.parametrize("command", ["demo_clients", "run_local"])
def test_development_only_commands_refuse_in_production(command):
    result = manage(command, env=production_env())
    assert result.returncode != 0
    assert "DJANGO_DEBUG" in result.stderr


@pytest.mark.parametrize(
    ("issuer", "starts"),
    [
        ("https://referrals.example.gov", True),
        ("http://127.0.0.1:8000", True),  # loopback: a node behind a local TLS proxy, or a test deployment
        ("http://referrals.example.gov", False),
        ("https://referrals.example.gov/?x=1", False),
    ],
)
def test_production_issuer_is_https_or_loopback(issuer, starts):
    result = python(IMPORT_SETTINGS, production_env(OAUTH_ISSUER=issuer))
    assert (result.returncode == 0) is starts, result.stderr[-500:]


def test_production_derives_the_client_secret_hash_key_when_none_is_set():
    code = "import referral_api.settings as s; print(len(s.CLIENT_SECRET_HASH_KEYS), len(s.CLIENT_SECRET_HASH_KEYS[0]))"
    result = python(code, production_env(CLIENT_SECRET_HASH_KEYS=None))
    assert result.returncode == 0, result.stderr[-500:]
    assert result.stdout.split()[-2:] == ["1", "64"]
