"""M5: the application's database role cannot rewrite the audit log; only the owner's function seals.

Every test here runs on the application's own connection (DATABASE_URL's role), as a request or a worker
does; the schema and the test database belong to the owner (DATABASE_OWNER_URL).
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from audit.chain import GENESIS_HASH, audit_seal, audit_verify_chain
from audit.models import AuditEntry
from audit.services import audit_record
from referral_api.dbroles import app_role_problems

pytestmark = pytest.mark.django_db


def _denied(sql: str, params=(), match: str = "permission denied|must be owner"):
    with pytest.raises(DatabaseError, match=match), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def _entry(sealed: bool = True) -> AuditEntry:
    entry = audit_record(action="referral.read", object_type="referral", object_id="x")
    if sealed:
        audit_seal()
    return entry


def test_the_app_connects_as_a_role_that_is_not_the_owner():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, r.rolsuper, pg_get_userbyid(c.relowner) FROM pg_roles r, pg_class c "
            "WHERE r.rolname = current_user AND c.oid = 'audit_auditentry'::regclass"
        )
        user, superuser, owner = cursor.fetchone()
    assert user == settings.DATABASES["default"]["USER"]
    assert owner == settings.DATABASES["default"]["OWNER"]["USER"] != user
    assert superuser is False
    assert app_role_problems(connection) == []


@pytest.mark.parametrize("sealed", [False, True])
def test_m5_app_role_cannot_update_delete_or_truncate_audit_rows(sealed):
    entry = _entry(sealed)
    _denied("UPDATE audit_auditentry SET action = 'x' WHERE id = %s", [entry.pk])
    _denied("UPDATE audit_auditentry SET chain_seq = NULL, prev_hash = NULL, row_hash = NULL WHERE id = %s", [entry.pk])
    _denied("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    _denied("TRUNCATE audit_auditentry")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    assert AuditEntry.objects.get(pk=entry.pk).action == "referral.read"


@pytest.mark.parametrize(
    "sql",
    [
        "ALTER TABLE audit_auditentry DISABLE TRIGGER USER",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL",
        "DROP TRIGGER audit_entry_append_only ON audit_auditentry",
        "CREATE OR REPLACE FUNCTION audit_entry_guard() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$",
        "SET session_replication_role = replica",
        "ALTER TABLE audit_auditentry OWNER TO CURRENT_USER",
        "CREATE TABLE app_owned (id int)",
    ],
)
def test_m5_app_role_cannot_disable_or_replace_the_trigger(sql):
    _denied(sql)


def test_m5_sealing_goes_through_the_owners_function_only_for_unsealed_rows_continuing_the_chain():
    first = _entry(sealed=False)
    # A forged seal (not continuing the head) is refused by the function.
    with pytest.raises(DatabaseError, match="does not continue the chain"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT audit_seal_rows(ARRAY[%s]::bigint[], ARRAY[5]::bigint[], ARRAY[%s], ARRAY[%s])",
                [first.pk, GENESIS_HASH, "a" * 64],
            )
    assert audit_seal() == 1
    # Re-sealing an already sealed row through the function is refused too.
    second = _entry(sealed=False)
    with pytest.raises(DatabaseError, match="missing or sealed already"), transaction.atomic():
        with connection.cursor() as cursor:
            head = AuditEntry.objects.get(pk=first.pk).row_hash
            cursor.execute(
                "SELECT audit_seal_rows(ARRAY[%s]::bigint[], ARRAY[2]::bigint[], ARRAY[%s], ARRAY[%s])",
                [first.pk, head, "b" * 64],
            )
    assert audit_seal() == 1
    assert AuditEntry.objects.get(pk=second.pk).chain_seq == 2
    assert audit_verify_chain().intact


def test_m5_app_role_may_read_and_write_the_ordinary_tables_but_not_the_migrations_table():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_table_privilege('referrals_referral', 'INSERT, UPDATE, DELETE'), "
            "has_table_privilege('audit_auditentry', 'INSERT'), has_table_privilege('audit_auditentry', 'SELECT'), "
            "has_table_privilege('django_migrations', 'SELECT'), has_table_privilege('django_migrations', 'INSERT')"
        )
        assert cursor.fetchone() == (True, True, True, True, False)


# --- Start-up check ---------------------------------------------------------------------------------------

START = "import referral_api.wsgi; print('started')"


def _url(user: str) -> str:
    db = settings.DATABASES["default"]
    host, port = db["OWNER"]["HOST"], db["OWNER"]["PORT"]
    if host.startswith("/"):
        from urllib.parse import quote

        host = quote(host, safe="")
    return f"postgres://{user}@{host}{':' + str(port) if port else ''}/{db['NAME']}"


def _start(debug: bool, user: str) -> subprocess.CompletedProcess:
    from tests.foundation.test_settings import production_env

    env = production_env(DATABASE_URL=_url(user), DJANGO_DEBUG="true" if debug else "false")
    env.pop("DATABASE_OWNER_URL", None)
    return subprocess.run(
        [sys.executable, "-W", "always::RuntimeWarning", "-c", START],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_m5_production_refuses_to_start_as_the_owner_or_a_superuser():
    owner = settings.DATABASES["default"]["OWNER"]["USER"]
    result = _start(debug=False, user=owner)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "owns the audit table" in result.stderr or "is a superuser" in result.stderr
    assert "DATABASE_OWNER_URL" in result.stderr  # the message names the fix


def test_m5_production_starts_with_the_application_role():
    result = _start(debug=False, user=settings.DATABASES["default"]["USER"])
    assert result.returncode == 0, result.stderr[-2000:]
    assert "started" in result.stdout


def test_m5_development_warns_instead():
    result = _start(debug=True, user=settings.DATABASES["default"]["OWNER"]["USER"])
    assert result.returncode == 0, result.stderr[-2000:]
    assert "DATABASE_URL is unsafe for the application" in result.stderr
