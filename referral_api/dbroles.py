"""Two database roles: the owner (runs migrations, owns every table) and the application's login role.

The application (gunicorn, Celery) connects with ``DATABASE_URL``. That role owns nothing: it may read and
write the ordinary tables, only INSERT and SELECT on the audit log, and seal audit rows only through the
``audit_seal_rows`` function, which runs with the owner's rights (``SECURITY DEFINER``). So a compromised
application process cannot disable the audit trigger, rewrite history or re-seal the chain.

``manage.py migrate`` connects with ``DATABASE_OWNER_URL`` (``DATABASE_URL`` when unset) and grants the
application role what it needs (``grant_app_role``). In production the application refuses to start when its
role is a superuser, owns the audit table or can otherwise change its trigger (``enforce_app_role``);
development only warns. See docs/deployment.md, "Database roles".
"""

from __future__ import annotations

import contextlib
import logging
import warnings

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

# The login role the development, test and CI set-ups create for the application (production names its own).
DEFAULT_APP_ROLE = "referral_api_app"
# The tables the application may only INSERT into and SELECT from (partitions included: audit_auditentry_*).
AUDIT_TABLE = "audit_auditentry"
# What each connection of the application role does at most: the same value as DATABASE_STATEMENT_TIMEOUT_MS,
# set on the role itself so that it holds through a transaction-pooling PgBouncer (no startup options there).
_CREDENTIAL_KEYS = ("USER", "PASSWORD", "HOST", "PORT")


def owner_settings(alias: str = "default") -> dict | None:
    """Return the owner's credentials for ``alias`` (``USER``, ``PASSWORD``, ``HOST``, ``PORT``) or ``None``.

    ``None`` means one role for everything (``DATABASE_OWNER_URL`` unset): migrations then run as the
    application role, which production refuses (see ``enforce_app_role``).
    """
    owner = settings.DATABASES[alias].get("OWNER")
    return dict(owner) if owner else None


@contextlib.contextmanager
def owner_connection(alias: str = "default"):
    """Run the block with connection ``alias`` logged in as the owner; the application's login comes back after.

    The open connection is closed before and after (a Django connection cannot change its user). While the
    block runs, ``settings_dict["APP_USER"]`` names the application role so migrations can grant it.
    """
    from django.db import connections

    owner = owner_settings(alias)
    connection = connections[alias]
    if not owner or connection.settings_dict.get("APP_USER"):
        yield connection  # one role, or already the owner (nested)
        return
    saved = {key: connection.settings_dict.get(key) for key in _CREDENTIAL_KEYS}
    saved_options = dict(connection.settings_dict.get("OPTIONS") or {})
    connection.close()
    connection.settings_dict.update({key: owner.get(key, saved[key]) for key in _CREDENTIAL_KEYS})
    connection.settings_dict["APP_USER"] = saved["USER"]
    # The owner always connects to PostgreSQL itself (never through a transaction pooler): DDL, SET and the
    # test runner's TRUNCATE need a session of their own.
    connection.settings_dict["OPTIONS"] = dict(owner.get("OPTIONS") or saved_options)
    try:
        yield connection
    finally:
        connection.close()
        connection.settings_dict.update(saved)
        connection.settings_dict["OPTIONS"] = saved_options
        connection.settings_dict.pop("APP_USER", None)


def app_user(connection) -> str | None:
    """The application's role while ``connection`` runs as the owner; ``None`` when there is only one role."""
    user = connection.settings_dict.get("APP_USER")
    if not user:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        if cursor.fetchone()[0] == user:
            return None
    return user


_GRANT_SQL = """
DO $grant$
DECLARE
    app text := %(app)s;
    audit_table record;
BEGIN
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %%I', app);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %%I', app);
    EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO %%I', app);
    -- No default privileges: tables of later migrations are granted by this same block after every migrate
    -- (post_migrate), and partitions the owner's functions create at run time need none (PostgreSQL checks the
    -- partitioned parent's privileges).
    EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON django_migrations FROM %%I', app);
    FOR audit_table IN
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND c.relname LIKE 'audit\\_audit%%'
    LOOP
        EXECUTE format('REVOKE ALL ON %%I FROM %%I', audit_table.relname, app);
        IF audit_table.relname LIKE 'audit\\_auditentry%%' THEN
            EXECUTE format('GRANT SELECT, INSERT ON %%I TO %%I', audit_table.relname, app);
        ELSE  -- the record of archives: written by the owner's archive transaction, read by verify
            EXECUTE format('GRANT SELECT ON %%I TO %%I', audit_table.relname, app);
        END IF;
    END LOOP;
    IF to_regprocedure('audit_seal_rows(bigint[],bigint[],text[],text[])') IS NOT NULL THEN
        REVOKE ALL ON FUNCTION audit_seal_rows(bigint[], bigint[], text[], text[]) FROM PUBLIC;
        EXECUTE format('GRANT EXECUTE ON FUNCTION audit_seal_rows(bigint[], bigint[], text[], text[]) TO %%I', app);
    END IF;
    IF to_regprocedure('audit_partitions_ensure(timestamptz,timestamptz)') IS NOT NULL THEN
        EXECUTE format('GRANT EXECUTE ON FUNCTION audit_partitions_ensure(timestamptz, timestamptz) TO %%I', app);
    END IF;
END
$grant$;
"""


def grant_app_role(connection) -> str | None:
    """Grant the application role what it needs; returns its name (``None`` with one role: nothing to do)."""
    app = app_user(connection)
    if app is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(_GRANT_SQL, {"app": app})
    return app


def app_role_problems(connection) -> list[str]:
    """Return what the connected role can do that the application role must not (empty: it is safe)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT current_user,
                   r.rolsuper,
                   r.rolbypassrls,
                   c.oid IS NOT NULL,
                   COALESCE(pg_has_role(current_user, c.relowner, 'MEMBER'), false),
                   COALESCE(has_table_privilege(c.oid, 'UPDATE'), false),
                   COALESCE(has_table_privilege(c.oid, 'DELETE'), false),
                   COALESCE(has_table_privilege(c.oid, 'TRUNCATE'), false),
                   COALESCE(has_table_privilege(c.oid, 'TRIGGER'), false)
              FROM pg_roles r
              LEFT JOIN pg_class c ON c.oid = to_regclass(%s)
             WHERE r.rolname = current_user
            """,
            [AUDIT_TABLE],
        )
        user, superuser, bypassrls, has_table, owns, update, delete, truncate, trigger = cursor.fetchone()
    problems = []
    if superuser:
        problems.append(f"role {user!r} is a superuser (it can disable the audit trigger)")
    if bypassrls:
        problems.append(f"role {user!r} has BYPASSRLS")
    if has_table and owns:
        problems.append(f"role {user!r} owns the audit table {AUDIT_TABLE} (or is a member of its owner)")
    for name, granted in (("UPDATE", update), ("DELETE", delete), ("TRUNCATE", truncate), ("TRIGGER", trigger)):
        if has_table and granted and not superuser and not owns:
            problems.append(f"role {user!r} has {name} on {AUDIT_TABLE}")
    return problems


FIX = (
    "Connect the application with a login role that owns nothing and is not a superuser: set DATABASE_URL to "
    "that role and DATABASE_OWNER_URL to the role that owns the schema, then run `manage.py migrate` (it "
    "grants the application role what it needs). See docs/deployment.md, 'Database roles'."
)


def _report(problems: list[str]) -> None:
    message = "DATABASE_URL is unsafe for the application: " + "; ".join(problems) + ". " + FIX
    if not settings.DEBUG:
        raise ImproperlyConfigured(message)
    warnings.warn(message, RuntimeWarning, stacklevel=3)
    logger.warning("database role check: %s", "; ".join(problems))


def _check_on_first_connection(sender, connection, **kwargs):
    from django.db.backends.signals import connection_created

    connection_created.disconnect(dispatch_uid="dbroles_deferred_check")
    problems = app_role_problems(connection)
    if problems:
        if not settings.DEBUG:
            connection.close()
        _report(problems)


def enforce_app_role(alias: str = "default") -> list[str]:
    """Refuse to start (production) or warn (development) when the application's role is too powerful.

    Called when gunicorn loads the application and when a Celery worker or beat starts. When the database is
    unreachable at that moment (``/readyz`` says so), the check runs on the first connection instead, and in
    production that connection is refused. Returns the problems found now.
    """
    from django.db import OperationalError, connections
    from django.db.backends.signals import connection_created

    try:
        problems = app_role_problems(connections[alias])
    except OperationalError:
        connection_created.connect(_check_on_first_connection, dispatch_uid="dbroles_deferred_check")
        return []
    finally:
        connections[alias].close()
    if problems:
        _report(problems)
    return problems


def ensure_app_role(cursor, role: str, *, password: str | None = None, statement_timeout_ms: int = 30000) -> None:
    """Create the application's login role if missing (idempotent, safe when several processes race).

    ``cursor`` belongs to a role that may create roles (the owner in development, test and CI). The role
    gets ``statement_timeout`` and ``timezone`` as its own defaults, which hold through a transaction pooler.
    """
    cursor.execute(
        """
        DO $ensure$
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = %(role)s) THEN
                BEGIN
                    EXECUTE format('CREATE ROLE %%I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS', %(role)s);
                EXCEPTION WHEN duplicate_object OR unique_violation THEN
                    NULL;  -- created meanwhile by a concurrent run
                END;
            END IF;
        END
        $ensure$;
        """,
        {"role": role},
    )
    if password:
        cursor.execute("SELECT format('ALTER ROLE %%I PASSWORD %%L', %s, %s)", [role, password])
        cursor.execute(cursor.fetchone()[0])
    cursor.execute(
        "SELECT format('ALTER ROLE %%I SET statement_timeout = %%L', %s, %s), "
        "format('ALTER ROLE %%I SET timezone = %%L', %s, 'UTC')",
        [role, f"{int(statement_timeout_ms)}ms", role],
    )
    for statement in cursor.fetchone():
        try:
            cursor.execute(statement)
        except Exception as exc:
            if "tuple concurrently updated" not in str(exc):
                raise
