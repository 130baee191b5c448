"""Celery application (webhook delivery workers): ``celery -A referral_api worker``."""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "referral_api.settings")

app = Celery("referral_api")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@signals.worker_init.connect
@signals.beat_init.connect
def _check_database_role(**kwargs):
    """Workers and beat refuse to start in production with a database role that could rewrite the audit log."""
    from referral_api.dbroles import enforce_app_role

    enforce_app_role()
