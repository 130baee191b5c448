from __future__ import annotations

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _audited_token_endpoint(settings):
    """Route the audited token view, whatever referral_api/urls.py says today."""
    from agencies.oauth import AuditedTokenView
    from referral_api import urls

    token = next(p for p in urls.oauth_patterns if p.name == "token")
    if getattr(token.callback, "view_class", None) is not AuditedTokenView:
        settings.ROOT_URLCONF = "tests.audit.urls"


def all_audit_text() -> str:
    """Every value of every audit row, as one string (to search it for canaries)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT string_agg(to_jsonb(a)::text, E'\\n') FROM audit_auditentry a")
        return cursor.fetchone()[0] or ""
