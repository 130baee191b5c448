from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


def _allow_test_database_flush(sender, connection, **kwargs):
    """Let Django's test runner empty a test database between tests (it uses one TRUNCATE of every table).

    The append-only trigger refuses TRUNCATE unless the session is a superuser's and has set
    ``audit.allow_truncate``; this sets it only on connections to a test database (``test_*``), which exist
    only under the test runner. A production connection never sets it.
    """
    if connection.vendor != "postgresql":
        return
    name = connection.settings_dict.get("NAME") or ""
    test_name = (connection.settings_dict.get("TEST") or {}).get("NAME")
    if name.startswith("test_") or (test_name and name == test_name):
        with connection.cursor() as cursor:
            cursor.execute("SET audit.allow_truncate = 'on'")


def _grant_app_role(sender, using="default", **kwargs):
    """After every migrate (and test flush): the application role gets what later migrations created, and the
    audit tables (partitions included) stay INSERT and SELECT only for it (referral_api/dbroles.py)."""
    from django.db import connections

    from referral_api.dbroles import grant_app_role

    grant_app_role(connections[using])


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit log"

    def ready(self):
        connection_created.connect(_allow_test_database_flush, dispatch_uid="audit_allow_test_database_flush")
        post_migrate.connect(_grant_app_role, sender=self, dispatch_uid="audit_grant_app_role")
