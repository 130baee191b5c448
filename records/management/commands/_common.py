"""Helpers shared by the records commands."""

from __future__ import annotations

import getpass
import os


def operator_name() -> str:
    """Who runs the command, for the audit trail: ``manage.py:<login>``."""
    try:
        login = getpass.getuser()
    except (KeyError, OSError):
        login = os.environ.get("USER", "unknown")
    return f"manage.py:{login}"
