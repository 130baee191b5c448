from django.apps import AppConfig
from django.db.backends.signals import connection_created


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


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit log"

    def ready(self):
        connection_created.connect(_allow_test_database_flush, dispatch_uid="audit_allow_test_database_flush")
