"""Route the key store to its own database when ``KEYSTORE_DATABASE_URL`` is set (alias ``keystore``)."""

from __future__ import annotations

from django.conf import settings

KEYSTORE_ALIAS = "keystore"
KEYSTORE_APP = "keystore"


def keystore_alias() -> str:
    """The database alias holding the key store: ``keystore`` if configured, else ``default``."""
    return KEYSTORE_ALIAS if KEYSTORE_ALIAS in settings.DATABASES else "default"


class KeystoreRouter:
    """Key store rows go to ``keystore_alias()``; nothing else ever goes to the ``keystore`` database."""

    def db_for_read(self, model, **hints):
        return keystore_alias() if model._meta.app_label == KEYSTORE_APP else None

    db_for_write = db_for_read

    def allow_relation(self, obj1, obj2, **hints):
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if KEYSTORE_ALIAS not in settings.DATABASES:
            return None
        if app_label == KEYSTORE_APP:
            return db == KEYSTORE_ALIAS
        return db != KEYSTORE_ALIAS
